// What one client or desk can make the gateway hold: known ids only, capped subscriptions per
// session and connections per desk, and one log line for a flooding client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskDirectory } from './entitlements.js';
import { type DeskApp, sampleLevels, startDeskApp } from './testing/desk-app.js';
import { FeedClient } from './testing/feed-client.js';
import { createMemoryLogger } from './testing/memory-logger.js';

const A = '995365.SSI';
const B = '995366.SSI';
const C = '995367.SSI';

describe('feed limits', () => {
  const memory = createMemoryLogger('info');
  let gateway: DeskApp;
  const open: FeedClient[] = [];
  const connect = async () => {
    const client = new FeedClient(`${gateway.wsUrl}/v1/ws`);
    open.push(client);
    await client.opened;
    await client.waitFor('welcome');
    return client;
  };

  beforeAll(async () => {
    gateway = await startDeskApp({
      logger: memory.logger,
      levels: sampleLevels(200),
      auth: { mode: 'open', directory: new DeskDirectory([]) },
      limits: { maxSubscriptionsPerSession: 2, maxConnectionsPerDesk: 3 },
    });
    for (const id of [A, B, C]) expect(gateway.hub.latest(id), id).toBeDefined();
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await gateway?.close();
  });

  it('refuses made-up index ids, over WebSocket and SSE, and holds nothing for them', async () => {
    const client = await connect();
    const made = Array.from({ length: 50 }, (_, i) => `FAKE${i}.SSI`);
    client.send({ type: 'subscribe', indices: [made[0]] });
    const error = await client.waitFor('error');
    expect(error.code).toBe('unknown_index');
    expect(made.map((id) => gateway.hub.subscriberCount(id))).toEqual(made.map(() => 0));
    const sse = await fetch(`${gateway.url}/v1/stream?indices=${A},NOPE.SSI`);
    expect(sse.status).toBe(404);
    expect(((await sse.json()) as { code: string }).code).toBe('unknown_index');
    client.close();
  });

  it('caps subscriptions per session, refusing the whole request that would pass the cap', async () => {
    const client = await connect();
    client.send({ type: 'subscribe', indices: [A, B] });
    await client.waitFor('subscribed', (m) => m.indices.length === 2);
    client.send({ type: 'subscribe', indices: [C] });
    expect((await client.waitFor('error')).code).toBe('too_many_subscriptions');
    expect(gateway.hub.subscriberCount(C)).toBe(0);
    client.send({ type: 'unsubscribe', indices: [A] });
    client.send({ type: 'subscribe', indices: [C] });
    await client.waitFor('subscribed', (m) => m.indices.includes(C));
    client.close();
  });

  it('caps connections per desk (WebSocket and SSE together), and frees a slot on close', async () => {
    const clients = [await connect(), await connect(), await connect()];
    const fourth = new FeedClient(`${gateway.wsUrl}/v1/ws`);
    await expect(fourth.opened).rejects.toThrow('upgrade refused: HTTP 429');
    const sse = await fetch(`${gateway.url}/v1/stream?indices=${A}`);
    expect(sse.status).toBe(429);
    expect(((await sse.json()) as { code: string }).code).toBe('too_many_connections');
    clients[0]!.close();
    await clients[0]!.closed;
    await expect(connect()).resolves.toBeDefined();
    for (const client of clients) client.close();
  });

  it('logs a flooding client once, however many frames it keeps sending', async () => {
    for (const client of open) client.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const client = await connect();
    for (let i = 0; i < 200; i += 1) client.send({ type: 'unsubscribe', indices: [A] });
    expect((await client.closed).code).toBe(1008);
    const lines = memory
      .text()
      .split('\n')
      .filter((line) => line.includes('exceeded the message rate'));
    expect(lines).toHaveLength(1);
  });
});
