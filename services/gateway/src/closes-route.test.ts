// The gateway's daily closes: the same records `indexflow history` reads from the close store,
// behind the same entitlements as every other route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskDirectory, sha256Hex } from './entitlements.js';
import { type DeskApp, startDeskApp } from './testing/desk-app.js';
import { createMemoryLogger } from './testing/memory-logger.js';

const A = '995365.SSI';
const B = '995366.SSI';
const close = (tradingDate: string, level: string) => ({ indexId: A, tradingDate, level, divisor: '1000.5' });

describe('GET /v1/indices/{id}/closes', () => {
  let gateway: DeskApp;
  const get = (path: string) => fetch(`${gateway.url}${path}`, { headers: { 'x-api-key': 'eq-key' } });

  beforeAll(async () => {
    gateway = await startDeskApp({
      logger: createMemoryLogger('warn').logger,
      auth: {
        mode: 'required',
        directory: new DeskDirectory([{ desk: 'eq', apiKeySha256: [sha256Hex('eq-key')], indices: [A] }]),
      },
      closes: {
        [A]: [close('2025-03-20', '1008.23'), close('2025-03-21', '1011.5'), close('2025-03-24', '999.9')],
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('returns the stored closes within [from, to], oldest first, as published (decimal strings)', async () => {
    const response = await get(`/v1/indices/${A}/closes?from=2025-03-21&to=2025-03-24`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      indexId: string;
      closes: { tradingDate: string; level: string }[];
    };
    expect(body.indexId).toBe(A);
    expect(body.closes.map((c) => [c.tradingDate, c.level])).toEqual([
      ['2025-03-21', '1011.5'],
      ['2025-03-24', '999.9'],
    ]);
  });

  it('refuses an index the desk may not read, a malformed date, and answers 404 when there is none', async () => {
    expect((await get(`/v1/indices/${B}/closes`)).status).toBe(403);
    expect((await get(`/v1/indices/${A}/closes?from=21-03-2025`)).status).toBe(400);
    expect((await get(`/v1/indices/${A}/closes?from=2026-01-01`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/v1/indices/${A}/closes`)).status).toBe(401);
  });
});
