import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { DependencyProbes } from './dependency-probes.js';

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (Prometheus text), `/livez` and `/healthz` (the process is alive, also while
 * it heals), and `/readyz`: 200 only once `isReady()` says so (after recovery) and every probed
 * dependency answers; 503 naming what is missing otherwise.
 */
export async function startOpsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  isReady: () => boolean;
  dependencies?: DependencyProbes;
}): Promise<OpsServer> {
  const app: FastifyInstance = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.registry.contentType);
    return options.registry.metrics();
  });
  const alive = async () => ({ status: 'ok' });
  app.get('/healthz', alive);
  app.get('/livez', alive);
  app.get('/readyz', async (_request, reply) => {
    const down = options.dependencies?.down() ?? [];
    const processReady = options.isReady();
    if (processReady && down.length === 0) return { status: 'ready' };
    reply.code(503);
    return {
      status: 'not ready',
      ...(processReady ? {} : { process: 'starting, recovering or stopping' }),
      ...(down.length === 0
        ? {}
        : { down: down.map(({ name, reason, since }) => ({ name, reason, since })) }),
    };
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    close: async () => {
      options.dependencies?.stop();
      await app.close();
    },
  };
}
