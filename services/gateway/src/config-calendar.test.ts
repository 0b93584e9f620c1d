// MARKET_CALENDAR_FILES: the gateway's sessions and desk states use the calculator's calendar.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const BASE = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AUTH_MODE: 'open',
};
const dir = mkdtempSync(join(tmpdir(), 'gateway-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gateway MARKET_CALENDAR_FILES', () => {
  it('adds the file’s year to the bundled ones', () => {
    const file = join(dir, '2027.json');
    writeFileSync(file, JSON.stringify({ year: 2027, hk: { holidays: [], halfDays: ['2027-12-24'] } }));
    const config = loadConfig({ ...BASE, MARKET_CALENDAR_FILES: file });
    expect(config.calendar.isHalfDay('2027-12-24', 'HK')).toBe(true);
    expect(loadConfig(BASE).calendar.years).toEqual([2025, 2026]);
  });

  it('refuses to start on a bad file, naming it, its JSON path and value', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ year: 2027, hk: { holidays: ['Christmas'] } }));
    expect(() => loadConfig({ ...BASE, MARKET_CALENDAR_FILES: file })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, MARKET_CALENDAR_FILES: file })).toThrow(
      `MARKET_CALENDAR_FILES: ${file}: $.hk.holidays[0]: must be a calendar date YYYY-MM-DD; got "Christmas"`,
    );
  });
});
