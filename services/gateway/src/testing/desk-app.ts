// The gateway's fastify app (buildGatewayApp, as gateway-runtime.ts wires it) on 127.0.0.1:0 with a hub
// holding the sample day's first levels, for tests of access control and TLS that need no Kafka
// or Redis: auth, entitlements, TLS and both feeds are the production code; only the level source
// (the Kafka consumer) and the Redis projection are left out.
import type { AddressInfo } from 'node:net';
import { datasetEvents, readIndexDefinitions } from '@indexflow/dataset-files';
import { createIndexEngine, type IndexLevel } from '@indexflow/index-engine';
import { levelToRecord } from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp, type GatewayAppOptions } from '../app.js';
import type { AuthOptions } from '../auth.js';
import { FeedHub } from '../feed-hub.js';
import { IntradayHistory } from '../intraday-history.js';
import { SessionRegistry } from '../session-registry.js';
import type { TlsFiles } from '../tls.js';

/** The first `count` levels of the sample day, as the calculator publishes them. */
export function sampleLevels(count: number): IndexLevel[] {
  const engine = createIndexEngine(readIndexDefinitions(SAMPLE_DIR), {});
  const levels: IndexLevel[] = [];
  for (const event of datasetEvents(SAMPLE_DIR, () => {})) {
    levels.push(...engine.apply(event).levels);
    if (levels.length >= count) break;
  }
  return levels;
}

export interface DeskApp {
  readonly app: FastifyInstance;
  readonly hub: FeedHub;
  readonly port: number;
  /** `http://127.0.0.1:port` or `https://…`, as `https` was given. */
  readonly url: string;
  /** The same origin for WebSockets (`ws://` or `wss://`). */
  readonly wsUrl: string;
  close(): Promise<void>;
}

export async function startDeskApp(options: {
  readonly auth: AuthOptions;
  readonly logger: Logger;
  readonly https?: TlsFiles;
  readonly levels?: readonly IndexLevel[];
  /** Official closes by index, standing in for the close-history store. */
  readonly closes?: Readonly<Record<string, readonly { tradingDate: string }[]>>;
  readonly limits?: GatewayAppOptions['limits'];
}): Promise<DeskApp> {
  const hub = new FeedHub({ history: new IntradayHistory({ maxPointsPerDay: 10_000, maxDays: 2 }) });
  for (const level of options.levels ?? []) hub.apply(levelToRecord(level));
  const sessions = new SessionRegistry(60_000);
  const app = await buildGatewayApp({
    logger: options.logger,
    hub,
    sessions,
    auth: options.auth,
    rateLimit: { max: 600, windowMs: 60_000 },
    policy: { highWaterBytes: 64 * 1024, maxBufferedBytes: 4 * 1024 * 1024, maxBehindMs: 10_000 },
    heartbeatMs: 60_000,
    maxMessagesPerSecond: 20,
    counters: {},
    projection: {
      projectedIndexIds: async () => [],
      projectedConstituents: async () => null,
      closes: async (indexId, range) =>
        (options.closes?.[indexId] ?? []).filter(
          (c) =>
            (range.from === undefined || c.tradingDate >= range.from) &&
            (range.to === undefined || c.tradingDate <= range.to),
        ),
    },
    ...(options.https === undefined ? {} : { https: options.https }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const secure = options.https !== undefined;
  return {
    app,
    hub,
    port,
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    wsUrl: `${secure ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    async close() {
      sessions.closeAll();
      await app.close();
    },
  };
}
