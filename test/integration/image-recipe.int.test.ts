import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceEndpoints } from './support/calculator-process.js';

/**
 * `.ci/run` builds the calculator's image with buildah (scripts/images.sh); this test covers every
 * service, faster, by running the same recipe without an image: the build context as
 * `.dockerignore` leaves it, the Dockerfile's production-only install filtered to one service,
 * the other services removed, and
 * the service compiled and started from that tree with plain node, as the image's ENTRYPOINT does. It
 * catches what would break an image: a runtime import of a devDependency, a file the context
 * leaves out, a service that needs another service's sources.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `.dockerignore` as path tests: `**\/name` anywhere, `name` at the top of the context. */
function ignoredByDockerignore(): (path: string) => boolean {
  const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const anywhere = new Set(patterns.filter((p) => p.startsWith('**/')).map((p) => p.slice(3)));
  const top = new Set(patterns.filter((p) => !p.startsWith('**/')));
  return (path) => {
    const segments = path.split(sep);
    return top.has(segments[0]!) || segments.some((segment) => anywhere.has(segment));
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const contexts: string[] = [];
afterAll(() => {
  for (const dir of contexts) rmSync(dir, { recursive: true, force: true });
});

/** The build stage of the Dockerfile for one service; returns the service's directory. */
function buildContext(service: string): string {
  const context = mkdtempSync(join(tmpdir(), `indexflow-image-${service}-`));
  contexts.push(context);
  const ignored = ignoredByDockerignore();
  cpSync(ROOT, context, {
    recursive: true,
    filter: (source) => {
      const path = relative(ROOT, source);
      return path === '' || !ignored(path);
    },
  });
  execFileSync(
    'pnpm',
    ['install', '--offline', '--frozen-lockfile', '--prod', '--filter', `{services/${service}}...`],
    { cwd: context, env: { ...process.env, CI: 'true' }, stdio: 'pipe' },
  );
  // The Dockerfile's compile stage: the same build script, on the copy.
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), context, '--no-declarations'], {
    stdio: 'pipe',
  });
  for (const other of readdirSync(join(context, 'services')))
    if (other !== service) rmSync(join(context, 'services', other), { recursive: true, force: true });
  return join(context, 'services', service);
}

function run(cwd: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js', ...args], {
    cwd,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

function servicesEnv(prefix: string): Record<string, string> {
  const { kafkaBrokers, schemaRegistryUrl, redisUrl } = serviceEndpoints();
  return {
    KAFKA_BROKERS: kafkaBrokers,
    SCHEMA_REGISTRY_URL: schemaRegistryUrl,
    REDIS_URL: redisUrl,
    TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  };
}

const uniquePrefix = (service: string) => `image-${service}-${process.pid}-${Date.now()}.`;

async function expectHealthyThenStops(
  service: string,
  env: (port: number) => Record<string, string>,
  prefix = uniquePrefix(service),
): Promise<void> {
  const dir = buildContext(service);
  expect(existsSync(join(dir, 'node_modules'))).toBe(true);
  const port = await freePort();
  const started = run(dir, [], { ...servicesEnv(prefix), ...env(port) });
  try {
    const healthy = waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return response?.ok === true;
      },
      { timeoutMs: 90_000 },
    );
    const died = started.exited.then((code) => {
      throw new Error(`exited with code ${code}`);
    });
    await Promise.race([healthy, died]);
  } catch (error) {
    started.child.kill('SIGKILL');
    throw new Error(`${service} never became healthy: ${(error as Error).message}\n${started.output()}`);
  }
  started.child.kill('SIGTERM');
  expect(await started.exited, started.output()).toBe(0);
}

describe('the Dockerfile recipe, run without Docker (production dependencies only)', () => {
  it('index-calculator starts, reports healthy and stops cleanly', async () => {
    await expectHealthyThenStops('index-calculator', (port) => ({ HTTP_PORT: String(port) }));
  }, 180_000);

  it('corporate-actions starts, reports healthy and stops cleanly', async () => {
    await expectHealthyThenStops('corporate-actions', (port) => ({ HTTP_PORT: String(port) }));
  }, 180_000);

  it('cli runs the admin init one-off, then the gateway starts on its topics, reports healthy and stops cleanly', async () => {
    // As in docker-compose.yml: the gateway reads topics that the init one-off creates.
    const prefix = uniquePrefix('gateway');
    const init = run(buildContext('cli'), ['admin', 'init'], servicesEnv(prefix));
    expect(await init.exited, init.output()).toBe(0);
    const feedPort = await freePort();
    await expectHealthyThenStops(
      'gateway',
      (port) => ({ OPS_PORT: String(port), PORT: String(feedPort), AUTH_MODE: 'open' }),
      prefix,
    );
  }, 240_000);
});
