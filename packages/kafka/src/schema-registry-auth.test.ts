// Registry basic auth on the wire: a registry that answers only to `ops:p@ss` (as a registry behind
// an authenticating proxy does), reached through SCHEMA_REGISTRY_URL's user info. The user info
// must become an Authorization header, never part of the request line, and a refusal must not
// carry the password back into an error a service would log.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient } from './schema-registry-client.js';

const EXPECTED = `Basic ${Buffer.from('ops:p@ss').toString('base64')}`;

describe('schema registry basic auth', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
      const allowed = request.headers.authorization === EXPECTED;
      response.writeHead(allowed ? 200 : 401, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      response.end(
        JSON.stringify(
          allowed ? ['indexflow.index-levels-value'] : { error_code: 401, message: 'Unauthorized' },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the URL’s user info as basic auth, and nothing of it in the request line', async () => {
    const client = createSchemaRegistryClient({
      url: `http://ops:p%40ss@${base}/apis/ccompat/v7`,
      maxRetries: 0,
    });
    await expect(client.getAllSubjects()).resolves.toEqual(['indexflow.index-levels-value']);
    expect(seen.at(-1)).toEqual({ url: '/apis/ccompat/v7/subjects', authorization: EXPECTED });
  });

  it('is refused with a wrong password or none, without the password in the error', async () => {
    for (const url of [`http://ops:wrong-pass-91@${base}`, `http://${base}`]) {
      const client = createSchemaRegistryClient({ url, maxRetries: 0 });
      const error = await client.getAllSubjects().then(
        () => null,
        (caught: unknown) => caught as Error,
      );
      expect(error, url).toBeInstanceOf(Error);
      expect(`${error?.message} ${JSON.stringify(error)}`).not.toContain('wrong-pass-91');
    }
    expect(seen.slice(-2).map((request) => request.authorization)).toEqual([
      `Basic ${Buffer.from('ops:wrong-pass-91').toString('base64')}`,
      undefined,
    ]);
  });
});
