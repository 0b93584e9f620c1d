import { describe, expect, it } from 'vitest';
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
