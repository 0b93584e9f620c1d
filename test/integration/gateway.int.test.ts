import { createAvroSerdes, type IndexLevelRecord } from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadConfig,
  type RunningGateway,
  sha256Hex,
  startGateway,
} from '../../services/gateway/src/index.js';
import { FeedClient } from '../../services/gateway/src/testing/feed-client.js';
import { createMemoryLogger } from '../../services/gateway/src/testing/memory-logger.js';
import {
  type CalculatorEnvironment,
  makeDataset,
  prepareEnvironment,
} from './support/calculator-environment.js';
import { serviceEndpoints } from './support/calculator-process.js';

const A = '995365.SSI';
const B = '995366.SSI';
const C = '995367.SSI';
const DESK_KEY = 'desk-key-7f3a9c1e';
const LIMITED_KEY = 'limited-key-0b2d4e';
const WILDCARD_KEY = 'wildcard-key-4c8e1a';
const T0 = Date.parse('2025-03-20T10:00:00+08:00');

function level(indexId: string, sequence: number, withConstituents: boolean): IndexLevelRecord {
  return {
    indexId,
    currency: 'CNY',
    eventTime: T0 + sequence * 1000,
    sequence,
    trigger: 'TICK',
    triggerSymbol: '600000.SH',
    level: `1000.${String(sequence).padStart(4, '0')}123456789`,
    prevClose: '1000',
    change: `0.${String(sequence).padStart(4, '0')}123456789`,
    changePercent: '0.01',
    open: '1000.1',
    high: `1000.${String(sequence).padStart(4, '0')}123456789`,
    low: '999.9',
    divisor: '1000000',
    // The one constituent's 10.5 × 1 × 1000, so its records' table adds up to the level.
    marketValue: '10500',
    totalReturnLevel: null,
    netTotalReturnLevel: null,
    fxObservation: null,
    stale: false,
    constituents: withConstituents
      ? [
          {
            symbol: '600000.SH',
            price: '10.5',
            fxRate: '1',
            indexShares: '1000',
            contribution: '0.010500000000000000000000',
            weight: '1.000000000000000000000000',
          },
        ]
      : null,
  };
}

let environment: CalculatorEnvironment;
let gateway: RunningGateway;
let logText: () => string = () => '';
let publish: (records: IndexLevelRecord[]) => Promise<void>;

beforeAll(async () => {
  environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir: makeDataset('sample') });
  const serdes = createAvroSerdes<IndexLevelRecord>(environment.registry, environment.topics.indexLevels);
  const producer = environment.kafka.producer();
  await producer.connect();
  publish = async (records) => {
    await producer.send({
      topic: environment.topics.indexLevels,
      messages: await Promise.all(
        records.map(async (r) => ({ key: r.indexId, value: await serdes.serialize(r) })),
      ),
    });
  };
  // Levels already on the topic before the gateway starts: its history and snapshots.
  await publish([level(A, 1, true), level(A, 2, true), level(A, 3, true), level(B, 1, false)]);
  const config = loadConfig({
    ...environment.env,
    HISTORY_FROM: 'beginning',
    PORT: '0',
    OPS_PORT: '0',
    HEARTBEAT_MS: '300',
    RATE_LIMIT_MAX: '25',
    LOG_LEVEL: 'debug',
    GATEWAY_DESKS: JSON.stringify([
      { desk: 'equities', apiKeySha256: [sha256Hex(DESK_KEY)], indices: [A, B] },
      { desk: 'limited', apiKeySha256: [sha256Hex(LIMITED_KEY)], indices: [A] },
      // Entitled to any id, so only the feed limits stand between it and a made-up one.
      { desk: 'wildcard', apiKeySha256: [sha256Hex(WILDCARD_KEY)], indices: ['*'] },
    ]),
  });
  const memory = createMemoryLogger();
  logText = memory.text;
  gateway = await startGateway(config, memory.logger);
  await gateway.levels.whenCaughtUp;
  return async () => {
    await producer.disconnect();
  };
});

afterAll(async () => {
  await gateway?.close();
});

const http = (path: string) => `http://127.0.0.1:${gateway.port}${path}`;
const ws = (path: string) => `ws://127.0.0.1:${gateway.port}${path}`;
const get = (path: string, key = DESK_KEY) => fetch(http(path), { headers: { 'x-api-key': key } });
async function json<T>(path: string): Promise<T> {
  return (await get(path)).json() as Promise<T>;
}

interface Detail {
  latest: Record<string, unknown>;
  constituents: Record<string, unknown>;
}
interface History {
  points: { sequence: number; level: string }[];
}

describe('gateway on real Kafka, Apicurio and Redis', () => {
  it('sends a snapshot on subscribe, then every level in sequence, with heartbeats, over WebSocket', async () => {
    const client = new FeedClient(ws(`/v1/ws?apiKey=${DESK_KEY}`));
    await client.opened;
    const welcome = await client.waitFor('welcome');
    expect(welcome).toMatchObject({ desk: 'equities', entitled: [A, B] });
    client.send({ type: 'subscribe', indices: [A] });
    const snapshot = await client.waitFor('snapshot');
    expect(snapshot).toMatchObject({ indexId: A, sequence: 3 });
    expect(snapshot.level?.level).toBe(level(A, 3, true).level);
    await client.waitFor('constituents', (m) => m.sequence === 3);
    await publish([level(A, 4, true), level(B, 2, false), level(A, 5, true), level(A, 6, true)]);
    await client.waitFor('level', (m) => m.sequence === 6);
    const levels = client.of('level');
    expect(levels.map((m) => [m.indexId, m.sequence, m.conflated])).toEqual([
      [A, 4, 0],
      [A, 5, 0],
      [A, 6, 0],
    ]);
    // Decimals arrive as the exact strings published.
    expect(levels.map((m) => m.level.level)).toEqual([4, 5, 6].map((s) => level(A, s, true).level));
    await client.waitFor('heartbeat');
    client.send({ type: 'subscribe', indices: [C] });
    expect(await client.waitFor('error')).toMatchObject({ code: 'not_entitled' });
    client.send({ type: 'subscribe' });
    await client.waitFor('error', (m) => m.code === 'bad_message');
    client.close();
    await client.closed;
  });

  it('refuses a WebSocket without a valid credential', async () => {
    for (const url of [ws('/v1/ws'), ws('/v1/ws?apiKey=wrong-key-123')]) {
      const client = new FeedClient(url);
      await expect(client.opened).rejects.toThrow(/HTTP 401/);
    }
  });

  it('streams the same feed as Server-Sent Events', async () => {
    const controller = new AbortController();
    const response = await fetch(http(`/v1/stream?indices=${B}`), {
      headers: { 'x-api-key': DESK_KEY },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      await waitFor(
        async () => {
          const { value } = await reader.read();
          text += new TextDecoder().decode(value);
          return text.includes(needle);
        },
        { timeoutMs: 15_000, intervalMs: 1 },
      );
    };
    await readUntil('event: snapshot');
    await publish([level(B, 3, false)]);
    await readUntil(`id: ${B}:3`);
    const events = text
      .split('\n\n')
      .filter((frame) => frame.startsWith('event: '))
      .map((frame) => frame.split('\n')[0]);
    expect(events.slice(0, 3)).toEqual(['event: welcome', 'event: subscribed', 'event: snapshot']);
    const snapshotData = JSON.parse(text.split('event: snapshot\ndata: ')[1]!.split('\n')[0]!);
    expect(snapshotData).toMatchObject({ indexId: B, sequence: 2 });
    controller.abort();
    expect((await get(`/v1/stream?indices=${C}`)).status).toBe(403);
  });

  it('serves REST with an OpenAPI document, per-desk entitlements and exact decimal strings', async () => {
    const list = await json<{ indices: { indexId: string }[] }>('/v1/indices');
    expect(list.indices.map((i) => i.indexId)).toEqual([A, B]);
    const detail = await json<Detail>(`/v1/indices/${A}`);
    const latest = gateway.hub.latest(A)!;
    expect(detail.latest).toMatchObject({
      indexId: A,
      sequence: latest.sequence,
      level: latest.level,
      prevClose: '1000',
      open: '1000.1',
      low: '999.9',
    });
    expect(detail.constituents).toMatchObject({
      sequence: latest.sequence,
      source: 'level-record',
      items: [
        {
          symbol: '600000.SH',
          price: '10.5',
          weight: '1.000000000000000000000000',
          contribution: '0.010500000000000000000000',
          marketValue: '10500',
        },
      ],
    });
    const history = await json<History>(`/v1/indices/${A}/history?date=2025-03-20`);
    expect(history.points.map((p) => p.sequence)).toEqual(
      Array.from({ length: latest.sequence }, (_, i) => i + 1),
    );
    expect(history.points[0]?.level).toBe(level(A, 1, true).level);
    expect((await get(`/v1/indices/${C}`)).status).toBe(403);
    expect((await get(`/v1/indices/${A}/history?date=20-03-2025`)).status).toBe(400);
    expect((await fetch(http('/v1/indices'))).status).toBe(401);
    const openapi = (await (await fetch(http('/openapi.json'))).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/indices',
        '/v1/indices/{indexId}',
        '/v1/indices/{indexId}/history',
        '/v1/stream',
      ]),
    );
  });

  it('counts feed refusals by reason and open connections per desk in its metrics', async () => {
    const scrape = async () => (await fetch(`http://127.0.0.1:${gateway.opsPort}/metrics`)).text();
    const client = new FeedClient(ws(`/v1/ws?apiKey=${WILDCARD_KEY}`));
    try {
      await client.opened;
      await client.waitFor('welcome');
      client.send({ type: 'subscribe', indices: ['MADE-UP.SSI'] });
      expect((await client.waitFor('error')).code).toBe('unknown_index');
      const metrics = await scrape();
      expect(metrics).toContain('indexflow_gateway_feed_refusals_total{reason="unknown_index"} 1');
      expect(metrics).toContain('indexflow_gateway_desk_connections{desk="wildcard"} 1');
      expect(metrics).toContain('indexflow_gateway_feed_limit{limit="connections_per_desk"} 100');
    } finally {
      client.close();
    }
    await waitFor(async () => !(await scrape()).includes('desk="wildcard"'));
  });

  it('rate-limits per desk, exposes metrics and readiness, and never logs a credential', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) statuses.push((await get('/v1/indices', LIMITED_KEY)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    // Another desk has its own budget.
    expect((await get('/v1/indices')).status).toBe(200);
    const ops = `http://127.0.0.1:${gateway.opsPort}`;
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/indexflow_gateway_levels_in_total \d+/);
    expect(metrics).toContain('indexflow_gateway_process_resident_memory_bytes');
    expect(logText()).toContain('client connected');
    expect(logText()).not.toContain(DESK_KEY);
    expect(logText()).not.toContain(LIMITED_KEY);
    expect(logText()).not.toContain('wrong-key-123');
  });
});
