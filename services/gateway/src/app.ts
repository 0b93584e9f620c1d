// Builds the gateway's HTTP app from its parts (the Kafka and Redis wiring is in gateway-runtime.ts): auth
// first, then rate limiting keyed by desk, OpenAPI, the REST routes, the two feeds, the dashboard.
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyWebsocket from '@fastify/websocket';
import type { Logger } from '@indexflow/observability';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { type AuthOptions, installAuth } from './auth.js';
import { installBrowserGuard } from './browser-guard.js';
import { clientErrorHandler } from './client-error.js';
import type { OutboxPolicy } from './client-outbox.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { DeskStateMonitor, type DeskStateOptions } from './desk-state-monitor.js';
import type { FeedHub } from './feed-hub.js';
import { type FeedLimits, KnownIndices } from './feed-limits.js';
import type { SessionCounters } from './feed-session.js';
import { GatewayError } from './gateway-errors.js';
import { registerOpenApi } from './openapi-document.js';
import { type RestDeps, registerClosesRoute, registerRestRoutes } from './rest-routes.js';
import type { SessionRegistry } from './session-registry.js';
import { registerSessionRoute } from './session-route.js';
import { registerSseRoute } from './sse-route.js';
import { registerWsRoute } from './ws-route.js';

export interface GatewayAppOptions {
  readonly logger: Logger;
  readonly hub: FeedHub;
  readonly sessions: SessionRegistry;
  readonly auth: AuthOptions;
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  readonly policy: OutboxPolicy;
  readonly heartbeatMs: number;
  readonly maxMessagesPerSecond: number;
  readonly counters: SessionCounters;
  readonly projection: Omit<RestDeps, 'hub'>;
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  /**
   * Refuse requests whose Host or Origin is not loopback (an open gateway on a loopback address;
   * see browser-guard.ts). Default: on exactly when `auth.mode` is open.
   */
  readonly loopbackOnly?: boolean;
  /** Caps per session and desk (defaults: 256 subscriptions, 100 connections). */
  readonly limits?: Partial<Omit<FeedLimits, 'isKnownIndex'>>;
  /** How often the known index ids are re-read from the projection (default 5000 ms). */
  readonly knownIndicesRefreshMs?: number;
  /** Market and feed state (default: stale after 30 s, the system clock, which the hub must share). */
  readonly deskState?: DeskStateOptions;
}

export const DEFAULT_FEED_STALE_MS = 30_000;

export const DEFAULT_FEED_LIMITS = { maxSubscriptionsPerSession: 256, maxConnectionsPerDesk: 100 } as const;

export async function buildGatewayApp(options: GatewayAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // Fastify's request log writes the URL, which may carry ?apiKey= or ?access_token=.
    logController: new LogController({ disableRequestLogging: true }),
    clientErrorHandler: clientErrorHandler(options.logger),
    ...(options.https === undefined ? {} : { https: options.https }),
  }) as unknown as FastifyInstance;
  installErrorAnswers(app);
  installBrowserGuard(app, { loopbackOnly: options.loopbackOnly ?? options.auth.mode === 'open' });
  installAuth(app, options.auth);
  await app.register(fastifyRateLimit, {
    // Not onRequest (the default): a WebSocket upgrade refused there leaves its socket open.
    hook: 'preHandler',
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowMs,
    // Authenticated requests count per desk; anonymous ones (e.g. key guessing) per address.
    keyGenerator: (request) =>
      request.entitlements === null ? `ip:${request.ip}` : `desk:${request.entitlements.desk}`,
  });
  await registerOpenApi(app);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  registerRestRoutes(app, { hub: options.hub, ...options.projection });
  registerClosesRoute(app, { hub: options.hub, ...options.projection });
  registerDeskState(app, options);
  await registerFeeds(app, options);
  registerDashboardRoutes(app);
  return app;
}

/** Errors as `{code, message}`: the gateway's own with their status, other 4xx as bad requests. */
function installErrorAnswers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof GatewayError) {
      return reply.code(error.statusCode).send({ code: error.code, message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = status === 429 ? 'rate_limited' : 'bad_request';
      return reply.code(status).send({ code, message: (error as Error).message });
    }
    request.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
    return reply.code(500).send({ code: 'internal', message: 'internal error' });
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        route: request.routeOptions.url,
        statusCode: reply.statusCode,
        desk: request.entitlements?.desk,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
}

/** The market and feed state of each index: GET /v1/indices/{id}/session, re-evaluated each second. */
function registerDeskState(app: FastifyInstance, options: GatewayAppOptions): void {
  const monitor = new DeskStateMonitor(
    options.hub,
    options.deskState ?? { staleAfterMs: DEFAULT_FEED_STALE_MS },
    options.projection.projectedConstituents,
  );
  registerSessionRoute(app, options.hub, monitor);
  monitor.start();
  app.addHook('onClose', async () => monitor.stop());
}

/** The WebSocket and SSE feeds, held to the feed limits (known index ids, caps). */
async function registerFeeds(app: FastifyInstance, options: GatewayAppOptions): Promise<void> {
  const known = new KnownIndices(options.hub, options.projection.projectedIndexIds);
  await known.start(options.knownIndicesRefreshMs ?? 5000, (error) =>
    app.log.warn({ err: error }, 'known index ids not refreshed from the projection'),
  );
  app.addHook('onClose', async () => known.stop());
  const feedDeps = {
    limits: {
      ...DEFAULT_FEED_LIMITS,
      ...options.limits,
      isKnownIndex: (id: string) => known.has(id),
    },
    hub: options.hub,
    sessions: options.sessions,
    policy: options.policy,
    heartbeatMs: options.heartbeatMs,
    maxMessagesPerSecond: options.maxMessagesPerSecond,
    counters: options.counters,
  };
  registerWsRoute(app, feedDeps);
  registerSseRoute(app, feedDeps);
}
