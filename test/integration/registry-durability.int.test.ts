// The schema registry the project's script runs keeps its subjects and ids across a SIGKILL: the
// topics hold records that name those ids, so a registry that came back empty (or renumbered)
// would leave them unreadable.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniqueName } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceEndpoints } from './support/calculator-process.js';
import { CLI } from './support/entry-points.js';
import { freePort } from './support/private-redis.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'indexflow-registry-'));
let pid: number | undefined;

function kill() {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  pid = undefined;
}

afterAll(() => {
  kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('schema registry storage', () => {
  it('keeps every subject and schema id across a SIGKILL and restart', async () => {
    const [port, management] = [await freePort(), await freePort()];
    const start = () => {
      const out = execFileSync(
        'bash',
        [join(ROOT, 'scripts/services.sh'), 'registry', dir, String(port), String(management)],
        {
          encoding: 'utf8',
        },
      );
      pid = Number(out.trim().split('\n').at(-1));
    };
    const prefix = `${uniqueName('durable')}.`;
    const init = () => {
      const run = spawnSync(process.execPath, [CLI, 'admin', 'init'], {
        env: {
          ...process.env,
          KAFKA_BROKERS: serviceEndpoints().kafkaBrokers,
          SCHEMA_REGISTRY_URL: `http://127.0.0.1:${port}/apis/ccompat/v7`,
          TOPIC_PREFIX: prefix,
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    // fetch pools keep-alive sockets: the first request after the restart may go out on one to
    // the killed process and fail; asking again opens a new connection.
    const get = async (path: string): Promise<unknown> => {
      const url = `http://127.0.0.1:${port}/apis/ccompat/v7${path}`;
      const response = await fetch(url).catch(() => fetch(url));
      return response.json();
    };
    const subjects = async () => (await get('/subjects')) as string[];

    start();
    const first = init();
    expect(first).toMatch(/subjects registered: .+=\d+/);
    const before = (await subjects()).sort();
    expect(before.length).toBeGreaterThan(3);
    const ids = async () =>
      Promise.all(
        before.map(async (subject) => {
          const latest = await fetch(
            `http://127.0.0.1:${port}/apis/ccompat/v7/subjects/${subject}/versions/latest`,
          );
          return `${subject}=${((await latest.json()) as { id: number }).id}`;
        }),
      );
    const idsBefore = await ids();

    kill();
    start();
    expect((await subjects()).sort()).toEqual(before);
    expect(await ids()).toEqual(idsBefore);
    // What every service does at start: registering the same schemas again gets the same ids.
    const again = init();
    expect(again).toContain('(0 created)');
    expect(again.slice(again.indexOf('registered:'))).toBe(first.slice(first.indexOf('registered:')));
  }, 180_000);
});
