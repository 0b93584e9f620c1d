import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { BadClientMessageError } from './gateway-errors.js';
import { parseClientMessage } from './protocol.js';
import { parseIndicesQuery, sseFrame } from './sse-route.js';

describe('client messages', () => {
  it('parses subscribe and unsubscribe, de-duplicating ids', () => {
    expect(parseClientMessage('{"type":"subscribe","indices":["A","B","A"]}')).toEqual({
      type: 'subscribe',
      indices: ['A', 'B'],
    });
  });

  it('names what is wrong with a bad message', () => {
    for (const text of [
      'nope',
      '[]',
      '{"type":"buy","indices":["A"]}',
      '{"type":"subscribe","indices":[]}',
    ]) {
      expect(() => parseClientMessage(text)).toThrow(BadClientMessageError);
    }
    expect(() => parseClientMessage('{"type":"subscribe","indices":[1]}')).toThrow(/indices must be/);
  });

  it('frames SSE events with the level id', () => {
    const frame = sseFrame({ type: 'heartbeat', time: 5 }, '{"type":"heartbeat","time":5}');
    expect(frame).toBe('event: heartbeat\ndata: {"type":"heartbeat","time":5}\n\n');
    expect(parseIndicesQuery('A, B,A')).toEqual(['A', 'B']);
    expect(() => parseIndicesQuery('')).toThrow(/indices was ""/);
  });
});

describe('gateway config', () => {
  const base = {
    KAFKA_BROKERS: '127.0.0.1:9092',
    SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
    REDIS_URL: 'redis://127.0.0.1:6379',
  };

  it('requires desks unless auth is open, and reports every bad key with its value (secrets hidden)', () => {
    expect(() => loadConfig(base)).toThrow(/GATEWAY_DESKS/);
    expect(loadConfig({ ...base, AUTH_MODE: 'open' }).PORT).toBe(8080);
    let message = '';
    try {
      loadConfig({
        ...base,
        PORT: 'eighty',
        TLS_CERT_FILE: 'c.pem',
        JWT_SECRET: 'short-secret',
        AUTH_MODE: 'open',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PORT');
    expect(message).toContain('"eighty"');
    expect(message).toContain('TLS_CERT_FILE');
    expect(message).toContain('JWT_SECRET');
    expect(message).not.toContain('short-secret');
  });

  it('parses desks with API key digests', () => {
    const desks = JSON.stringify([{ desk: 'eq', apiKeySha256: ['a'.repeat(64)], indices: ['995365.SSI'] }]);
    expect(loadConfig({ ...base, GATEWAY_DESKS: desks }).GATEWAY_DESKS[0]?.desk).toBe('eq');
    expect(() => loadConfig({ ...base, GATEWAY_DESKS: '[{"desk":"eq","indices":[]}]' })).toThrow(/indices/);
  });
});
