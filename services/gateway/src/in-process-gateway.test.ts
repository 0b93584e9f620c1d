import { datasetEvents, readIndexDefinitions } from '@indexflow/dataset-files';
import { createIndexEngine, type IndexLevel } from '@indexflow/index-engine';
import { levelToRecord } from '@indexflow/kafka';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { afterEach, describe, expect, it } from 'vitest';
import { type InProcessGateway, OpenGatewayHostError, startInProcessGateway } from './in-process-gateway.js';
import { FeedClient } from './testing/feed-client.js';
import { createMemoryLogger } from './testing/memory-logger.js';

/** The sample day's first levels and the engine state after them, as the calculator would commit. */
function sampleLevels(count: number): { levels: IndexLevel[]; engine: unknown } {
  const engine = createIndexEngine(readIndexDefinitions(SAMPLE_DIR), {});
  const levels: IndexLevel[] = [];
  for (const event of datasetEvents(SAMPLE_DIR, () => {})) {
    levels.push(...engine.apply(event).levels);
    if (levels.length >= count) break;
  }
  return { levels, engine: engine.snapshot() };
}

describe('in-process gateway (the embedded run)', () => {
  let gateway: InProcessGateway | null = null;
  afterEach(async () => {
    await gateway?.close();
    gateway = null;
  });

  it('serves published levels over WebSocket in sequence, REST with projection constituents, and the dashboard', async () => {
    const { levels, engine } = sampleLevels(300);
    const last = levels.at(-1)!;
    gateway = await startInProcessGateway({
      port: 0,
      logger: createMemoryLogger('warn').logger,
      committedState: () => ({ version: 1, engine }),
    });
    const client = new FeedClient(`ws://127.0.0.1:${gateway.port}/v1/ws`);
    await client.opened;
    await client.waitFor('welcome');
    client.send({ type: 'subscribe', indices: [last.indexId] });
    await client.waitFor('snapshot');
    gateway.publish(levels);
    const expected = levels.filter((l) => l.indexId === last.indexId);
    await client.waitFor('level', (m) => m.sequence === last.sequence);
    const received = client.of('level');
    // Every level is accounted for: each follows the previous one or says how many it replaces.
    let previous: number | null = null;
    for (const message of received) {
      if (previous !== null) expect(message.sequence).toBe(previous + message.conflated + 1);
      previous = message.sequence;
      const published = expected.find((l) => l.sequence === message.sequence)!;
      expect(message.level.level).toBe(levelToRecord(published).level);
    }
    client.close();

    const list = (await (await fetch(`${gateway.url}/v1/indices`)).json()) as {
      indices: { indexId: string; latest: { sequence: number } | null }[];
    };
    expect(list.indices.map((i) => i.indexId)).toEqual(['995365.SSI', '995366.SSI', '995367.SSI']);
    expect(list.indices.find((i) => i.indexId === last.indexId)?.latest?.sequence).toBe(last.sequence);

    const detail = (await (await fetch(`${gateway.url}/v1/indices/${last.indexId}`)).json()) as {
      constituents: { source: string; sequence: number; items: { symbol: string }[] } | null;
    };
    expect(detail.constituents?.source).toBe('projection');
    expect(detail.constituents?.sequence).toBe(last.sequence);
    expect(detail.constituents?.items.length).toBeGreaterThan(5);

    // The dashboard's own key is the local desk's; any other key is refused even though auth is open.
    expect((await fetch(gateway.dashboardUrl.split('#')[0]!)).status).toBe(200);
    // The page's exchange time comes from the market calendar, served before the script.
    const script = await (await fetch(`${gateway.url}/dashboard/dashboard.js`)).text();
    expect(script.split('\n')[0]).toBe(
      'globalThis.INDEXFLOW_EXCHANGE_TIME = {"zone":"Asia/Shanghai","utcOffsetS":28800};',
    );
    expect((await fetch(`${gateway.url}/v1/indices`, { headers: { 'x-api-key': 'local' } })).status).toBe(
      200,
    );
    expect((await fetch(`${gateway.url}/v1/indices`, { headers: { 'x-api-key': 'nope' } })).status).toBe(401);
  });

  it('refuses open authentication on an address other machines can reach', async () => {
    await expect(
      startInProcessGateway({
        host: '0.0.0.0',
        port: 0,
        logger: createMemoryLogger('warn').logger,
        committedState: () => null,
      }),
    ).rejects.toBeInstanceOf(OpenGatewayHostError);
  });
});
