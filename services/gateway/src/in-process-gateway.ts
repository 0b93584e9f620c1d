// The gateway inside another process (the embedded `pnpm start`): the same hub, app, feeds, REST
// and dashboard as gateway-runtime.ts, but levels arrive by `publish` from the in-process calculator
// instead of the Kafka level consumer, and constituents come from its in-memory state store instead
// of Redis. Authentication is open (there is no desk configuration in a local run), so it refuses
// any address but loopback.
import type { AddressInfo } from 'node:net';
import { type IndexLevelFields, levelToRecord } from '@indexflow/kafka';
import type { MarketCalendar } from '@indexflow/market-calendar';
import type { Logger } from '@indexflow/observability';
import { buildGatewayApp, DEFAULT_FEED_STALE_MS, type GatewayAppOptions } from './app.js';
import { DeskDirectory, sha256Hex } from './entitlements.js';
import type { FeedHub } from './feed-hub.js';
import { IntradayHistory } from './intraday-history.js';
import { createRefreshedHub } from './refreshed-hub.js';
import { SessionRegistry } from './session-registry.js';
import { type CommittedState, SnapshotProjectionReader } from './snapshot-projection-reader.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Open authentication was asked for on an address other machines can reach. */
export class OpenGatewayHostError extends Error {
  constructor(readonly host: string) {
    super(`the in-process gateway has open authentication and listens on loopback only; host was ${host}`);
    this.name = 'OpenGatewayHostError';
  }
}

export interface InProcessGatewayOptions {
  /** Loopback address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  readonly logger: Logger;
  /** The calculator's committed state (the in-memory StateStore's), or null before its first commit. */
  readonly committedState: () => CommittedState | null;
  /**
   * API key of the local desk, entitled to every index. Requests without a key are let in too
   * (open authentication); the dashboard page asks for a key, so its URL carries this one.
   */
  readonly localApiKey?: string;
  /** The gateway's defaults (config.ts) unless given. */
  readonly heartbeatMs?: number;
  readonly maxMessagesPerSecond?: number;
  readonly historyMaxPoints?: number;
  /** The calendar of desk states and sessions, the engine's (default: the bundled years). */
  readonly calendar?: MarketCalendar;
}

export interface InProcessGateway {
  /** `http://host:port`. */
  readonly url: string;
  /** The dashboard, with the local desk's key in the fragment. */
  readonly dashboardUrl: string;
  readonly port: number;
  readonly hub: FeedHub;
  /** Hands committed levels to the feed, in sequence per index (as the level topic would). */
  publish(levels: readonly IndexLevelFields[]): void;
  /** Closes clients, then HTTP, then the constituents refresher. */
  close(): Promise<void>;
}

export async function startInProcessGateway(options: InProcessGatewayOptions): Promise<InProcessGateway> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new OpenGatewayHostError(host);
  const localApiKey = options.localApiKey ?? 'local';
  const projection = new SnapshotProjectionReader(options.committedState);
  const { hub, refresher } = createRefreshedHub({
    history: new IntradayHistory({ maxPointsPerDay: options.historyMaxPoints ?? 100_000, maxDays: 2 }),
    read: (indexId) => projection.constituents(indexId),
    intervalMs: 1000,
    logger: options.logger,
  });
  const sessions = new SessionRegistry(options.heartbeatMs ?? 5000);
  const app = await buildGatewayApp(localAppOptions(options, { hub, sessions, projection, localApiKey }));
  try {
    await app.listen({ host, port: options.port });
  } catch (error) {
    refresher.close();
    await app.close();
    throw error;
  }
  const port = (app.server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    dashboardUrl: `${url}/dashboard#apiKey=${encodeURIComponent(localApiKey)}`,
    port,
    hub,
    publish(levels) {
      // The same record the Kafka level sink encodes, so desks see the same fields either way.
      for (const level of levels) hub.apply(levelToRecord(level));
    },
    async close() {
      sessions.closeAll();
      await app.close();
      refresher.close();
    },
  };
}

/** A local run's app: open to the one local desk, the gateway's default limits and policy. */
function localAppOptions(
  options: InProcessGatewayOptions,
  parts: {
    readonly hub: FeedHub;
    readonly sessions: SessionRegistry;
    readonly projection: SnapshotProjectionReader;
    readonly localApiKey: string;
  },
): GatewayAppOptions {
  const { projection } = parts;
  return {
    logger: options.logger.child({ component: 'http' }),
    hub: parts.hub,
    sessions: parts.sessions,
    auth: {
      mode: 'open',
      directory: new DeskDirectory([
        { desk: 'local', apiKeySha256: [sha256Hex(parts.localApiKey)], indices: ['*'] },
      ]),
    },
    rateLimit: { max: 600, windowMs: 60_000 },
    policy: { highWaterBytes: 64 * 1024, maxBufferedBytes: 4 * 1024 * 1024, maxBehindMs: 10_000 },
    heartbeatMs: options.heartbeatMs ?? 5000,
    maxMessagesPerSecond: options.maxMessagesPerSecond ?? 20,
    counters: {},
    ...(options.calendar === undefined
      ? {}
      : { deskState: { staleAfterMs: DEFAULT_FEED_STALE_MS, calendar: options.calendar } }),
    projection: {
      projectedIndexIds: () => projection.indexIds(),
      projectedConstituents: (indexId) => projection.constituents(indexId),
    },
  };
}
