import { createAvroSerdes, type IndexLevelRecord } from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLOSE_SLOW_CONSUMER,
  loadConfig,
  type RunningGateway,
  sha256Hex,
  startGateway,
} from '../../services/gateway/src/index.js';
import { FeedClient } from '../../services/gateway/src/testing/feed-client.js';
import { createMemoryLogger } from '../../services/gateway/src/testing/memory-logger.js';
import { makeDataset, prepareEnvironment } from './support/calculator-environment.js';
import { serviceEndpoints } from './support/calculator-process.js';

const INDEX = '995366.SSI';
const KEY = 'slow-test-key-91ab';
// Enough bytes to fill the paused client's kernel socket buffers (send buffer up to 4 MiB here).
const LEVELS = 15_000;

const level = (sequence: number): IndexLevelRecord => ({
  indexId: INDEX,
  currency: 'CNY',
  eventTime: Date.parse('2025-03-20T10:00:00+08:00') + sequence,
  sequence,
  trigger: 'TICK',
  triggerSymbol: '600000.SH',
  level: `1000.${String(sequence).padStart(6, '0')}000000000000000001`,
  prevClose: '1000',
  change: `0.${String(sequence).padStart(6, '0')}000000000000000001`,
  changePercent: null,
  open: '1000',
  high: '1100',
  low: '900',
  divisor: '123456789.123456789123456789',
  marketValue: '123456789123.456789123456789',
  totalReturnLevel: null,
  netTotalReturnLevel: null,
  fxObservation: null,
  stale: false,
  constituents: null,
});

let gateway: RunningGateway | undefined;
afterAll(async () => {
  await gateway?.close();
});

describe('gateway slow-client policy on real Kafka', () => {
  it('conflates and then disconnects a client that stops reading, while a reading client gets every level', async () => {
    const environment = await prepareEnvironment({
      ...serviceEndpoints(),
      datasetDir: makeDataset('sample'),
    });
    gateway = await startGateway(
      loadConfig({
        ...environment.env,
        HISTORY_FROM: 'beginning',
        PORT: '0',
        OPS_PORT: '0',
        SLOW_HIGH_WATER_BYTES: String(256 * 1024),
        SLOW_MAX_BEHIND_MS: '1000',
        LOG_LEVEL: 'warn',
        GATEWAY_DESKS: JSON.stringify([{ desk: 'desk', apiKeySha256: [sha256Hex(KEY)], indices: ['*'] }]),
      }),
      createMemoryLogger('warn').logger,
    );
    const serdes = createAvroSerdes<IndexLevelRecord>(environment.registry, environment.topics.indexLevels);
    const producer = environment.kafka.producer();
    await producer.connect();
    const produce = async (from: number, to: number) => {
      for (let first = from; first <= to; first += 2500) {
        const batch = Array.from({ length: Math.min(2500, to - first + 1) }, (_, i) => level(first + i));
        await producer.send({
          topic: environment.topics.indexLevels,
          messages: await Promise.all(
            batch.map(async (r) => ({ key: INDEX, value: await serdes.serialize(r) })),
          ),
        });
      }
    };
    // The gateway serves known indices only: its first level makes INDEX one.
    await produce(1, 1);
    const started = gateway;
    await waitFor(
      async () =>
        (
          await fetch(`http://127.0.0.1:${started.port}/v1/indices/${INDEX}`, {
            headers: { 'x-api-key': KEY },
          })
        ).status === 200,
      { timeoutMs: 30_000, description: 'the gateway to know the index' },
    );
    const url = `ws://127.0.0.1:${gateway.port}/v1/ws`;
    const reader = new FeedClient(url, { headers: { 'x-api-key': KEY } });
    const stalled = new FeedClient(url, { headers: { 'x-api-key': KEY } });
    await Promise.all([reader.opened, stalled.opened]);
    for (const client of [reader, stalled]) client.send({ type: 'subscribe', indices: [INDEX] });
    await Promise.all([reader.waitFor('snapshot'), stalled.waitFor('snapshot')]);
    // The stalled client stops reading its socket, as a hung desk application would.
    (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    await produce(2, LEVELS);
    await producer.disconnect();

    const running = gateway;
    await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${running.opsPort}/metrics`)).text();
        return /indexflow_gateway_slow_client_disconnects_total 1/.test(text) && text;
      },
      { timeoutMs: 45_000, description: 'the stalled client to be disconnected' },
    );
    (stalled.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await stalled.closed;
    expect([CLOSE_SLOW_CONSUMER, 1006]).toContain(closed.code);
    const metrics = await (await fetch(`http://127.0.0.1:${running.opsPort}/metrics`)).text();
    expect(Number(/indexflow_gateway_messages_conflated_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);

    // The client that kept reading saw every level, in sequence; conflation (if its buffer ever
    // passed the mark) only ever skips forward and says by how many.
    const last = await reader.waitFor('level', (m) => m.sequence === LEVELS, 45_000);
    expect(last.sequence).toBe(LEVELS);
    const levels = reader.of('level');
    // Level 1 came in the snapshot.
    let expected = 2;
    for (const m of levels) {
      expect(m.sequence).toBe(expected + m.conflated);
      expected = m.sequence + 1;
    }
    reader.close();
  }, 90_000);
});
