// The HTTP app's options as the configuration gives them (the Kafka gateway; the in-process one
// has its own fixed options): auth, feed limits, the slow-client policy, the metrics the app counts.
import type { RedisCloseHistory } from '@indexflow/close-history';
import type { Logger } from '@indexflow/observability';
import type { GatewayAppOptions } from './app.js';
import type { AuthOptions } from './auth.js';
import type { GatewayConfig } from './config.js';
import { DeskDirectory } from './entitlements.js';
import type { FeedHub } from './feed-hub.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { createJwtVerifier } from './jwt.js';
import type { ProjectionReader } from './projection-reader.js';
import type { SessionRegistry } from './session-registry.js';
import type { TlsFiles } from './tls.js';

/** What the app reads and counts, opened by the runtime. */
export interface AppParts {
  readonly log: Logger;
  readonly hub: FeedHub;
  readonly sessions: SessionRegistry;
  readonly metrics: GatewayMetrics;
  readonly closeHistory: RedisCloseHistory;
  readonly projection: ProjectionReader;
  readonly now: () => number;
  readonly https: TlsFiles | undefined;
}

export async function authOptionsOf(config: GatewayConfig): Promise<AuthOptions> {
  const directory = new DeskDirectory(config.GATEWAY_DESKS);
  if (config.JWT_SECRET === undefined) return { mode: config.AUTH_MODE, directory };
  const verifyJwt = await createJwtVerifier(config.JWT_SECRET, {
    audience: config.JWT_AUDIENCE,
    ...(config.JWT_ISSUER === undefined ? {} : { issuer: config.JWT_ISSUER }),
    maxLifetimeSeconds: config.JWT_MAX_LIFETIME_S,
    clockSkewSeconds: config.JWT_CLOCK_SKEW_S,
  });
  return { mode: config.AUTH_MODE, directory, verifyJwt };
}

export async function gatewayAppOptions(config: GatewayConfig, parts: AppParts): Promise<GatewayAppOptions> {
  const { metrics, closeHistory, projection } = parts;
  return {
    logger: parts.log.child({ component: 'http' }),
    hub: parts.hub,
    sessions: parts.sessions,
    auth: await authOptionsOf(config),
    // An open gateway allowed onto the network (AUTH_OPEN_ON_NETWORK) is reached by other names.
    loopbackOnly: config.AUTH_MODE === 'open' && !config.AUTH_OPEN_ON_NETWORK,
    rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
    limits: {
      maxSubscriptionsPerSession: config.MAX_SUBSCRIPTIONS_PER_SESSION,
      maxConnectionsPerDesk: config.MAX_CONNECTIONS_PER_DESK,
      onRefused: (reason) => metrics.feedRefusals.inc({ reason }),
    },
    policy: {
      highWaterBytes: config.SLOW_HIGH_WATER_BYTES,
      maxBufferedBytes: config.SLOW_MAX_BUFFERED_BYTES,
      maxBehindMs: config.SLOW_MAX_BEHIND_MS,
    },
    heartbeatMs: config.HEARTBEAT_MS,
    deskState: { staleAfterMs: config.FEED_STALE_MS, now: parts.now, calendar: config.calendar },
    maxMessagesPerSecond: config.WS_MAX_MESSAGES_PER_SECOND,
    counters: {
      onSent: (n) => metrics.messagesSent.inc(n),
      onConflated: (n) => metrics.conflated.inc(n),
      onTooSlow: () => metrics.slowDisconnects.inc(),
    },
    projection: {
      closes: (indexId, range) => closeHistory.range(indexId, range),
      projectedIndexIds: () => projection.indexIds(),
      projectedConstituents: (indexId) => projection.constituents(indexId),
    },
    ...(parts.https === undefined ? {} : { https: parts.https }),
  };
}
