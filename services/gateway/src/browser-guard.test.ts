// The gateway against browsers: security headers, a 404 that echoes nothing, and an open gateway
// that serves loopback names and same-origin pages only (DNS rebinding).
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loopbackRequest } from './browser-guard.js';
import { DeskDirectory } from './entitlements.js';
import { type DeskApp, sampleLevels, startDeskApp } from './testing/desk-app.js';
import { createMemoryLogger } from './testing/memory-logger.js';

/** GET with exactly these headers (fetch would not let a test set Host). */
function get(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function upgrade(url: string, origin: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { origin });
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (req, res) => {
      // ws leaves a refused upgrade's connection open for the caller to read or drop.
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    socket.once('error', () => resolve(0));
  });
}

/** Sends raw bytes and returns what came back before the server closed the connection. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('browser guard', () => {
  let open: DeskApp;
  let required: DeskApp;
  const memory = createMemoryLogger('trace');
  beforeAll(async () => {
    const directory = new DeskDirectory([]);
    const logger = memory.logger;
    open = await startDeskApp({ logger, levels: sampleLevels(10), auth: { mode: 'open', directory } });
    required = await startDeskApp({ logger, auth: { mode: 'required', directory } });
  });
  afterAll(async () => {
    await open?.close();
    await required?.close();
  });

  it('sends CSP, frame and nosniff headers with the dashboard and with API errors', async () => {
    for (const path of ['/dashboard', '/v1/indices/NOPE']) {
      const response = await get(open.port, path, { host: `127.0.0.1:${open.port}` });
      expect(response.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options'], path).toBe('nosniff');
      expect(response.headers['x-frame-options'], path).toBe('DENY');
    }
  });

  it('answers an unknown route with one shape that echoes nothing of the request', async () => {
    const secret = 'k3y-that-must-not-come-back';
    const response = await get(required.port, `/nothing/here?apiKey=${secret}`, {
      host: `127.0.0.1:${required.port}`,
    });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({
      code: 'not_found',
      message: 'no such route; see /openapi.json',
    });
  });

  it('in open mode refuses a foreign Host or Origin (REST and WebSocket), and serves loopback pages', async () => {
    const host = `127.0.0.1:${open.port}`;
    expect((await get(open.port, '/v1/indices', { host })).status).toBe(200);
    expect((await get(open.port, '/v1/indices', { host: `localhost:${open.port}` })).status).toBe(200);
    expect((await get(open.port, '/v1/indices', { host, origin: `http://${host}` })).status).toBe(200);
    const rebound = await get(open.port, '/v1/indices', { host: `attacker.example:${open.port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).code).toBe('foreign_origin');
    expect((await get(open.port, '/v1/indices', { host, origin: 'http://attacker.example' })).status).toBe(
      403,
    );
    expect(await upgrade(`${open.wsUrl}/v1/ws`, 'http://attacker.example')).toBe(403);
    expect(await upgrade(`${open.wsUrl}/v1/ws`, `http://${host}`)).toBe(101);
    // With desks required the credentials decide, not the Host: a proxy may name it anything.
    const proxied = await get(required.port, '/v1/indices', { host: 'desk-gateway.example' });
    expect(proxied.status).toBe(401);
  });

  it('tells loopback names from others', () => {
    expect(loopbackRequest('127.0.0.1:8080', undefined)).toBeNull();
    expect(loopbackRequest('[::1]:8080', 'http://[::1]:8080')).toBeNull();
    expect(loopbackRequest('localhost', 'https://localhost')).toBeNull();
    expect(loopbackRequest('127.0.0.1.attacker.example', undefined)).toBe('host');
    expect(loopbackRequest(undefined, undefined)).toBe('host');
    expect(loopbackRequest('localhost:8080', 'null')).toBe('origin');
    expect(loopbackRequest('localhost:8080', 'http://localhost:9999')).toBe('origin');
  });

  it('answers malformed HTTP with 400 and never logs its bytes, even at trace level', async () => {
    const key = 'key-in-a-malformed-request-7d1e';
    const answer = await raw(
      required.port,
      `GET /v1/indices HTTP/1.1\r\nx-api-key: ${key}\r\nbad header line\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    // Fastify's own handler logs the parser error, whose rawPacket holds the request's bytes.
    expect(memory.text()).not.toMatch(/rawPacket/);
    expect(memory.text()).not.toContain(key);
    expect(memory.text()).toContain('malformed request refused');
  });
});
