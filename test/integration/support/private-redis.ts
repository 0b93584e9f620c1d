import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@indexflow/testkit';

/** A free TCP port on loopback, as the OS hands one out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivateRedisOptions {
  /** Append-only file with fsync on every write: a restart reloads everything acknowledged. */
  readonly appendOnly: boolean;
  /** Require AUTH with this password (`requirepass`); the URL then carries it. */
  readonly password?: string;
  /** Listen on this port (e.g. one a service was already told to use); default: a free one. */
  readonly port?: number;
  /** Speak only TLS on the port, with this certificate and key (PEM files); clients send none. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile: string };
}

/**
 * A `redis-server` process owned by one test, on its own port and data directory, so the test can
 * SIGKILL and restart it without touching the shared Redis. Without `appendOnly` it keeps nothing
 * on disk (no RDB either), so a restart comes back empty, as a cache-only deployment would.
 */
export class PrivateRedis {
  #child: ChildProcess | null = null;
  #output = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: PrivateRedisOptions,
  ) {}

  static async start(options: PrivateRedisOptions): Promise<PrivateRedis> {
    const redis = new PrivateRedis(
      options.port ?? (await freePort()),
      mkdtempSync(join(tmpdir(), 'indexflow-redis-')),
      options,
    );
    await redis.#launch();
    return redis;
  }

  get url(): string {
    const auth = this.options.password === undefined ? '' : `:${encodeURIComponent(this.options.password)}@`;
    return `${this.options.tls === undefined ? 'redis' : 'rediss'}://${auth}127.0.0.1:${this.port}`;
  }

  /** SIGKILL, as a crash or an OOM kill would end it: no shutdown save, connections dropped. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.#child = null;
  }

  /** Starts the server again on the same port and directory (reloading the AOF when enabled). */
  async restart(): Promise<void> {
    await this.kill();
    await this.#launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #launch(): Promise<void> {
    const { tls } = this.options;
    // With TLS the plain port is closed (0): a client that skips TLS cannot get in at all.
    const listen =
      tls === undefined
        ? ['--port', String(this.port)]
        : [
            ...['--port', '0', '--tls-port', String(this.port), '--tls-auth-clients', 'no'],
            ...[
              '--tls-cert-file',
              tls.certFile,
              '--tls-key-file',
              tls.keyFile,
              '--tls-ca-cert-file',
              tls.caFile,
            ],
          ];
    const args = [
      ...listen,
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      this.options.appendOnly ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
      ...(this.options.password === undefined ? [] : ['--requirepass', this.options.password]),
    ];
    this.#output = '';
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk) => {
      this.#output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      this.#output += chunk;
    });
    this.#child = child;
    try {
      await waitFor(() => /Ready to accept connections/.test(this.#output), { timeoutMs: 20_000 });
    } catch (error) {
      throw new Error(`redis-server on port ${this.port} did not start: ${this.#output.slice(-2000)}`, {
        cause: error,
      });
    }
  }
}
