import { createAvroSerdes, type IndexLevelRecord } from '@indexflow/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadConfig,
  type RunningGateway,
  sha256Hex,
  startGateway,
} from '../../services/gateway/src/index.js';
import { FeedClient } from '../../services/gateway/src/testing/feed-client.js';
import { levelRecord } from '../../services/gateway/src/testing/level-record.js';
import { createMemoryLogger } from '../../services/gateway/src/testing/memory-logger.js';
import { makeDataset, prepareEnvironment } from './support/calculator-environment.js';
import { serviceEndpoints } from './support/calculator-process.js';

const A = '995365.SSI';
const KEY = 'fast-desk-key-5c2e81';
const level = (sequence: number) => levelRecord(A, sequence);

let gateway: RunningGateway | undefined;
afterAll(async () => {
  await gateway?.close();
});

describe('gateway fed from the fast levels topic (LEVELS_FEED=fast)', () => {
  it('serves the fast topic, dropping the repeats a calculator restart leaves on it', async () => {
    const environment = await prepareEnvironment({
      ...serviceEndpoints(),
      datasetDir: makeDataset('sample'),
    });
    const fastTopic = environment.topics.indexLevelsFast;
    const serdes = createAvroSerdes<IndexLevelRecord>(environment.registry, fastTopic);
    const producer = environment.kafka.producer();
    await producer.connect();
    const publish = async (sequences: number[]) =>
      producer.send({
        topic: fastTopic,
        messages: await Promise.all(
          sequences.map(async (s) => ({ key: A, value: await serdes.serialize(level(s)) })),
        ),
      });
    // Nothing on the exactly-once topic: whatever the gateway serves came from the fast one.
    await publish([1, 2, 2, 3]);
    const config = loadConfig({
      ...environment.env,
      LEVELS_FEED: 'fast',
      HISTORY_FROM: 'beginning',
      PORT: '0',
      OPS_PORT: '0',
      LOG_LEVEL: 'warn',
      GATEWAY_DESKS: JSON.stringify([{ desk: 'speed', apiKeySha256: [sha256Hex(KEY)], indices: [A] }]),
    });
    gateway = await startGateway(config, createMemoryLogger().logger);
    await gateway.levels.whenCaughtUp;

    const client = new FeedClient(`ws://127.0.0.1:${gateway.port}/v1/ws?apiKey=${KEY}`);
    await client.opened;
    await client.waitFor('welcome');
    client.send({ type: 'subscribe', indices: [A] });
    expect(await client.waitFor('snapshot')).toMatchObject({ indexId: A, sequence: 3 });
    await publish([3, 4, 4, 5]);
    await client.waitFor('level', (m) => m.sequence === 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.of('level').map((m) => m.sequence)).toEqual([4, 5]);
    client.close();

    const history = (await (
      await fetch(`http://127.0.0.1:${gateway.port}/v1/indices/${A}/history?date=2025-03-20`, {
        headers: { 'x-api-key': KEY },
      })
    ).json()) as { points: { sequence: number; level: string }[] };
    expect(history.points.map((p) => p.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(history.points.at(-1)?.level).toBe('1000.5');
    await producer.disconnect();
  }, 120_000);
});
