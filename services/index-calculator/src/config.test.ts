import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('loadConfig', () => {
  it('defaults to the single calculator (one shard)', () => {
    const config = loadConfig(base);
    expect(config.SHARDS).toBe(1);
    expect(config.SHARD_INDICES).toBeUndefined();
  });

  it('dead-letters a poison pill after 3 crashes unless told otherwise, and never after fewer than 2', () => {
    expect(loadConfig(base).POISON_PILL_RESTARTS).toBe(3);
    expect(loadConfig({ ...base, POISON_PILL_RESTARTS: '5' }).POISON_PILL_RESTARTS).toBe(5);
    expect(() => loadConfig({ ...base, POISON_PILL_RESTARTS: '1' })).toThrow(/POISON_PILL_RESTARTS/);
  });

  it('reads a sharded configuration', () => {
    const config = loadConfig({ ...base, SHARDS: '12', SHARD_INDICES: '995365.SSI=11' });
    expect(config.SHARDS).toBe(12);
    expect(config.SHARD_SESSION_TIMEOUT_MS).toBe(10_000);
  });

  it('reports every bad key at once, including a listed shard out of range', () => {
    const error = (() => {
      try {
        loadConfig({ ...base, SHARDS: '2', SHARD_INDICES: '995365.SSI=2', BATCH_SIZE: '0' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.some((p) => p.startsWith('BATCH_SIZE'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SHARD_INDICES') && p.includes('995365.SSI=2'))).toBe(true);
  });

  it('uses the native client unless KAFKA_CLIENT asks for kafkajs, and refuses any other client', () => {
    expect(loadConfig(base).KAFKA_CLIENT).toBe('native');
    expect(loadConfig({ ...base, KAFKA_CLIENT: 'kafkajs' }).KAFKA_CLIENT).toBe('kafkajs');
    expect(() => loadConfig({ ...base, KAFKA_CLIENT: 'rdkafka' })).toThrow(/KAFKA_CLIENT: .*"rdkafka"/);
  });
});

describe('loadConfig: MARKET_CALENDAR_FILES', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calculator-calendar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('uses the bundled years without it, and adds each listed file’s year', () => {
    expect(loadConfig(base).calendar.years).toEqual([2025, 2026]);
    const y2027 = file('2027.json', { year: 2027, hk: { holidays: [], halfDays: ['2027-12-24'] } });
    const y2028 = file('2028.json', { year: 2028, ashare: { holidays: ['2028-01-03'] } });
    const config = loadConfig({ ...base, MARKET_CALENDAR_FILES: ` ${y2027} , ${y2028}` });
    expect(config.calendar.years).toEqual([2025, 2026, 2027, 2028]);
    expect(config.calendar.closeInstant('2027-12-24', 'HK')).toBe(Date.parse('2027-12-24T12:10:00+08:00'));
    expect(config.calendar.isTradingDay('2028-01-03', 'SH')).toBe(false);
  });

  it('refuses to start on a bad or missing file, naming the file, the JSON path and the value', () => {
    const bad = file('bad.json', { year: 2027, hk: { holidays: ['2027-02-30'] } });
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...base, ...env });
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      throw new Error('the configuration was accepted');
    };
    expect(problems({ MARKET_CALENDAR_FILES: bad })).toEqual([
      `MARKET_CALENDAR_FILES: ${bad}: $.hk.holidays[0]: must be a calendar date YYYY-MM-DD; got "2027-02-30"`,
    ]);
    const missing = join(dir, 'missing.json');
    expect(problems({ MARKET_CALENDAR_FILES: missing })[0]).toMatch(
      new RegExp(`^MARKET_CALENDAR_FILES: ${missing}: cannot be read: ENOENT`),
    );
    // Reported beside any other bad key, all at once.
    expect(problems({ MARKET_CALENDAR_FILES: bad, BATCH_SIZE: '0' }).map((p) => p.split(':')[0])).toEqual([
      'BATCH_SIZE',
      'MARKET_CALENDAR_FILES',
    ]);
  });
});
