// Issue #7, JWT half of access control, end to end over real sockets: tokens signed with
// @fastify/jwt (the library the gateway verifies with) against the gateway's fastify app, for REST,
// the WebSocket (header and `?access_token=`) and SSE, with the logs captured.
import fastifyJwt from '@fastify/jwt';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskDirectory, sha256Hex } from './entitlements.js';
import { createJwtVerifier } from './jwt.js';
import { type DeskApp, sampleLevels, startDeskApp } from './testing/desk-app.js';
import { FeedClient } from './testing/feed-client.js';
import { createMemoryLogger } from './testing/memory-logger.js';

const SECRET = 'jwt-secret-for-the-access-test-0123456789';
const OTHER_SECRET = 'another-secret-nobody-configured-9876543210';
const A = '995365.SSI';
const B = '995366.SSI';
const C = '995367.SSI';
const AUDIENCE = 'indexflow-gateway';
// `expiresIn` below is in seconds (fast-jwt): 60_000 s is under a day.
const POLICY = { audience: AUDIENCE, maxLifetimeSeconds: 24 * 3600, clockSkewSeconds: 60 };

/** A token issuer, as a desk's identity service would run one. */
async function issuer(secret: string, aud = AUDIENCE): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyJwt, { secret, sign: { aud } });
  await app.ready();
  return app;
}

describe('JWT access (HS256) against the running gateway app', () => {
  const memory = createMemoryLogger('trace');
  const levels = sampleLevels(300);
  let gateway: DeskApp;
  let signer: FastifyInstance;
  let forger: FastifyInstance;
  let otherService: FastifyInstance;
  const tokens: string[] = [];
  /** Signs with the gateway's secret and remembers the token, so the log check covers every one. */
  const sign = (payload: Record<string, unknown>, options?: { algorithm?: 'HS512'; expiresIn?: number }) => {
    const token = options === undefined ? signer.jwt.sign(payload) : signer.jwt.sign(payload, options);
    tokens.push(token);
    return token;
  };
  const get = (path: string, token: string) =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    signer = await issuer(SECRET);
    forger = await issuer(OTHER_SECRET);
    otherService = await issuer(SECRET, 'some-other-service');
    gateway = await startDeskApp({
      logger: memory.logger,
      levels,
      auth: {
        mode: 'required',
        directory: new DeskDirectory([
          // The desk may read A and B; tokens below narrow it to A.
          { desk: 'eq', apiKeySha256: [sha256Hex('unused-eq-key')], indices: [A, B] },
          { desk: 'hk', apiKeySha256: [], indices: [C] },
        ]),
        verifyJwt: await createJwtVerifier(SECRET, POLICY),
      },
    });
    // Every index has a level, so a refusal can only come from entitlements, never from a 404.
    for (const id of [A, B, C]) expect(gateway.hub.latest(id)).toBeDefined();
  });

  afterAll(async () => {
    await gateway?.close();
    await signer?.close();
    await forger?.close();
    await otherService?.close();
  });

  it('a token for desk eq with indices [A] reads A over REST and is refused B with 403', async () => {
    const token = sign({ desk: 'eq', indices: [A] }, { expiresIn: 60_000 });

    const list = await get('/v1/indices', token);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { indices: { indexId: string }[] };
    expect(body.indices.map((i) => i.indexId)).toEqual([A]);

    const detail = await get(`/v1/indices/${A}`, token);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { latest: { indexId: string } }).latest.indexId).toBe(A);
    expect((await get(`/v1/indices/${A}/history`, token)).status).toBe(200);

    // B is the desk's, but the token's claim narrows it away; C was never the desk's.
    for (const path of [`/v1/indices/${B}`, `/v1/indices/${B}/history`, `/v1/indices/${C}`]) {
      const refused = await get(path, token);
      expect(refused.status, path).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'not_entitled' });
    }
  });

  it('a token naming its desk in `sub`, without an indices claim, gets the whole desk', async () => {
    const token = sign({ sub: 'eq' }, { expiresIn: 60_000 });
    const body = (await (await get('/v1/indices', token)).json()) as { indices: { indexId: string }[] };
    expect(body.indices.map((i) => i.indexId)).toEqual([A, B]);
    // An indices claim never widens: desk hk asking for A still gets only C.
    const widened = sign({ desk: 'hk', indices: [A, C] }, { expiresIn: 60_000 });
    expect((await get(`/v1/indices/${A}`, widened)).status).toBe(403);
    expect((await get(`/v1/indices/${C}`, widened)).status).toBe(200);
  });

  it('the WebSocket subscribes to A and is refused B, with the token in the header or in the URL', async () => {
    const token = sign({ desk: 'eq', indices: [A] }, { expiresIn: 60_000 });
    const lastA = levels.filter((l) => l.indexId === A).at(-1)!;
    for (const client of [
      new FeedClient(`${gateway.wsUrl}/v1/ws`, { headers: { authorization: `Bearer ${token}` } }),
      new FeedClient(`${gateway.wsUrl}/v1/ws?access_token=${encodeURIComponent(token)}`),
    ]) {
      try {
        await client.opened;
        const welcome = await client.waitFor('welcome');
        expect(welcome).toMatchObject({ desk: 'eq', entitled: [A] });

        client.send({ type: 'subscribe', indices: [A] });
        await client.waitFor('subscribed', (m) => m.indices.includes(A));
        const snapshot = await client.waitFor('snapshot');
        expect(snapshot.indexId).toBe(A);
        expect(snapshot.level?.sequence).toBe(lastA.sequence);

        client.send({ type: 'subscribe', indices: [B] });
        const error = await client.waitFor('error');
        expect(error.code).toBe('not_entitled');
        expect(error.message).toContain(B);
        // Nothing of B was sent, before or after the refusal.
        expect(client.of('snapshot').map((m) => m.indexId)).toEqual([A]);
      } finally {
        client.close();
      }
    }
  });

  it('refuses expired, forged, HS512, unknown-desk, never-expiring, too long-lived, issued-ahead and other-audience tokens (401)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const refused = {
      expired: sign({ desk: 'eq', indices: [A], iat: now - 120, exp: now - 60 }),
      forged: forger.jwt.sign({ desk: 'eq', indices: [A] }, { expiresIn: 60_000 }),
      hs512: sign({ desk: 'eq', indices: [A] }, { algorithm: 'HS512', expiresIn: 60_000 }),
      unknownDesk: sign({ desk: 'nobody', indices: [A] }, { expiresIn: 60_000 }),
      garbage: 'not.a.jwt',
      neverExpires: sign({ desk: 'eq', indices: [A] }),
      year9999: sign({ desk: 'eq', indices: [A], iat: now, exp: Date.parse('9999-01-01') / 1000 }),
      tooLong: sign({ desk: 'eq', indices: [A] }, { expiresIn: 3 * 24 * 3600 }),
      issuedAhead: sign({ desk: 'eq', indices: [A], iat: now + 3600, exp: now + 3700 }),
      otherAudience: otherService.jwt.sign({ desk: 'eq', indices: [A] }, { expiresIn: 60_000 }),
    };
    tokens.push(refused.forged, refused.otherAudience);
    // A control: the same claims, validly signed, are accepted, so each refusal is about its defect.
    expect(
      (await get(`/v1/indices/${A}`, sign({ desk: 'eq', indices: [A] }, { expiresIn: 60_000 }))).status,
    ).toBe(200);
    for (const [name, token] of Object.entries(refused)) {
      const response = await get(`/v1/indices/${A}`, token);
      expect(response.status, name).toBe(401);
      const body = (await response.json()) as { code: string; message: string };
      expect(body.code, name).toBe('unauthenticated');
      expect(body.message, name).not.toContain(token);

      const sse = await fetch(
        `${gateway.url}/v1/stream?indices=${A}&access_token=${encodeURIComponent(token)}`,
      );
      expect(sse.status, `${name} (SSE)`).toBe(401);
      await sse.body?.cancel();

      const ws = new FeedClient(`${gateway.wsUrl}/v1/ws?access_token=${encodeURIComponent(token)}`);
      await expect(ws.opened, `${name} (WebSocket)`).rejects.toThrow('upgrade refused: HTTP 401');
      ws.close();
    }
  });

  it('takes credentials from the URL on the feeds only, never on REST', async () => {
    const key = 'unused-eq-key';
    const token = sign({ desk: 'eq', indices: [A] }, { expiresIn: 60_000 });
    expect((await fetch(`${gateway.url}/v1/indices/${A}`, { headers: { 'x-api-key': key } })).status).toBe(
      200,
    );
    for (const query of [`apiKey=${key}`, `access_token=${encodeURIComponent(token)}`]) {
      const rest = await fetch(`${gateway.url}/v1/indices/${A}?${query}`);
      expect(rest.status, query).toBe(401);
      const body = (await rest.json()) as { message: string };
      expect(body.message).toContain('accepted by the feeds (/v1/ws, /v1/stream) only');
      expect(body.message).not.toContain(key);
      // A header credential does not make a URL credential acceptable: the URL is what leaks.
      const both = await fetch(`${gateway.url}/v1/indices?${query}`, { headers: { 'x-api-key': key } });
      expect(both.status, query).toBe(401);

      const sse = await fetch(`${gateway.url}/v1/stream?indices=${A}&${query}`);
      expect(sse.status, `${query} (SSE)`).toBe(200);
      await sse.body?.cancel();
      const ws = new FeedClient(`${gateway.wsUrl}/v1/ws?${query}`);
      await ws.opened;
      expect(await ws.waitFor('welcome')).toMatchObject({ desk: 'eq' });
      ws.close();
    }
  });

  it('never logs the secret or a token, even at trace level', () => {
    const logged = memory.text();
    // The log did record the traffic above (so an empty log cannot pass this test).
    expect(logged).toContain('client connected');
    expect(logged).toContain('"desk":"eq"');
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(OTHER_SECRET);
    expect(tokens.length).toBeGreaterThan(5);
    for (const token of tokens) {
      // The signature is the secret-derived part; the header and payload are base64 of public claims.
      expect(logged).not.toContain(token.split('.')[2]);
    }
  });
});
