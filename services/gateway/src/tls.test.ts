// Issue #7, TLS: the gateway configured with TLS_CERT_FILE/TLS_KEY_FILE (a self-signed certificate
// made here with the `openssl` binary) serves REST over HTTPS and the feed over WSS on one port, and
// refuses plain HTTP there. A missing openssl fails the test rather than skipping it: TLS would
// otherwise go untested without anyone noticing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { levelToRecord } from '@indexflow/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { DeskDirectory, sha256Hex } from './entitlements.js';
import { type DeskApp, sampleLevels, startDeskApp } from './testing/desk-app.js';
import { FeedClient } from './testing/feed-client.js';
import { createMemoryLogger } from './testing/memory-logger.js';
import { TlsConfigError, tlsFilesOf } from './tls.js';

const KEY = 'tls-desk-key-0123';
const A = '995365.SSI';

/** Writes a self-signed certificate for 127.0.0.1 (valid one day) and its key into `dir`. */
function selfSigned(dir: string, name: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(
      `the TLS test needs the openssl binary (apt-get install openssl): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return { certFile, keyFile };
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** GET over HTTPS trusting `ca` only (node:https, since fetch takes no per-request CA). */
function httpsGet(url: string, ca: Buffer | undefined, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, headers, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function httpGet(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('TLS (TLS_CERT_FILE / TLS_KEY_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-tls-'));
  const levels = sampleLevels(300);
  const before = levels.slice(0, 200);
  const after = levels.slice(200);
  let files: { certFile: string; keyFile: string };
  let ca: Buffer;
  let gateway: DeskApp;

  beforeAll(async () => {
    files = selfSigned(dir, 'gateway');
    ca = readFileSync(files.certFile);
    // The same path main.ts takes: the environment through loadConfig, the files through tlsFilesOf.
    const config = loadConfig({
      KAFKA_BROKERS: '127.0.0.1:9092',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
      REDIS_URL: 'redis://127.0.0.1:6379',
      GATEWAY_DESKS: JSON.stringify([{ desk: 'eq', apiKeySha256: [sha256Hex(KEY)], indices: ['*'] }]),
      TLS_CERT_FILE: files.certFile,
      TLS_KEY_FILE: files.keyFile,
    });
    const https = tlsFilesOf(config);
    expect(https).toBeDefined();
    gateway = await startDeskApp({
      logger: createMemoryLogger('warn').logger,
      levels: before,
      auth: { mode: config.AUTH_MODE, directory: new DeskDirectory(config.GATEWAY_DESKS) },
      ...(https === undefined ? {} : { https }),
    });
  }, 30_000);

  afterAll(async () => {
    await gateway?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves GET /v1/indices over HTTPS to a client trusting the certificate', async () => {
    expect(gateway.url).toMatch(/^https:/);
    const answer = await httpsGet(`${gateway.url}/v1/indices`, ca, { 'x-api-key': KEY });
    expect(answer.status).toBe(200);
    const ids = (JSON.parse(answer.body) as { indices: { indexId: string }[] }).indices.map((i) => i.indexId);
    expect(ids).toContain(A);
    // Still authenticated over TLS: no key, no data.
    expect((await httpsGet(`${gateway.url}/v1/indices`, ca, {})).status).toBe(401);
  });

  it('is really that certificate: a client that does not trust it refuses the connection', async () => {
    await expect(
      httpsGet(`${gateway.url}/v1/indices`, undefined, { 'x-api-key': KEY }),
    ).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('answers no plain HTTP on the TLS port', async () => {
    await expect(
      httpGet(`http://127.0.0.1:${gateway.port}/v1/indices`, { 'x-api-key': KEY }),
    ).rejects.toMatchObject({
      // The TLS server drops a connection whose first bytes are not a TLS handshake.
      code: 'ECONNRESET',
    });
    const plain = new FeedClient(`ws://127.0.0.1:${gateway.port}/v1/ws?apiKey=${KEY}`);
    await expect(plain.opened).rejects.toMatchObject({ code: 'ECONNRESET' });
    plain.close();
  });

  it('streams a subscription over wss://: the snapshot, then levels published after it', async () => {
    const client = new FeedClient(`${gateway.wsUrl}/v1/ws`, { headers: { 'x-api-key': KEY }, ca });
    try {
      expect(gateway.wsUrl).toMatch(/^wss:/);
      await client.opened;
      await client.waitFor('welcome');
      client.send({ type: 'subscribe', indices: [A] });
      const snapshot = await client.waitFor('snapshot');
      expect(snapshot.level?.sequence).toBe(before.filter((l) => l.indexId === A).at(-1)?.sequence);
      for (const level of after) gateway.hub.apply(levelToRecord(level));
      const lastA = after.filter((l) => l.indexId === A).at(-1)!;
      await client.waitFor('level', (m) => m.sequence === lastA.sequence);
    } finally {
      client.close();
    }
  });

  it('refuses unreadable files and a key that does not match the certificate, naming the setting', () => {
    const missing = { TLS_CERT_FILE: join(dir, 'absent.crt'), TLS_KEY_FILE: files.keyFile };
    expect(() => tlsFilesOf(missing)).toThrow(TlsConfigError);
    expect(() => tlsFilesOf(missing)).toThrow(/TLS_CERT_FILE .*absent\.crt: cannot be read \(ENOENT\)/);

    const other = selfSigned(dir, 'other');
    let caught: unknown;
    try {
      tlsFilesOf({ TLS_CERT_FILE: files.certFile, TLS_KEY_FILE: other.keyFile });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TlsConfigError);
    expect((caught as TlsConfigError).setting).toBe('TLS_KEY_FILE');
    // The message names the file, never the key material.
    const keyBody = readFileSync(other.keyFile, 'utf8').split('\n')[1]!;
    expect((caught as Error).message).not.toContain(keyBody);

    const notPem = join(dir, 'not-a-key.pem');
    writeFileSync(notPem, 'hello');
    expect(() => tlsFilesOf({ TLS_CERT_FILE: files.certFile, TLS_KEY_FILE: notPem })).toThrow(TlsConfigError);
    expect(tlsFilesOf({})).toBeUndefined();
  }, 30_000);

  it('refuses a certificate without its key at configuration time', () => {
    expect(() =>
      loadConfig({
        KAFKA_BROKERS: '127.0.0.1:9092',
        SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
        REDIS_URL: 'redis://127.0.0.1:6379',
        AUTH_MODE: 'open',
        TLS_CERT_FILE: files.certFile,
      }),
    ).toThrow(ConfigError);
  });
});
