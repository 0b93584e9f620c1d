// What the two feed routes (WebSocket, ws-route.ts; Server-Sent Events, sse-route.ts) share: their
// dependencies, the per-desk connection cap and the welcome that opens every session.
import type { FastifyRequest } from 'fastify';
import { entitlementsOf } from './auth.js';
import type { OutboxPolicy } from './client-outbox.js';
import type { Entitlements } from './entitlements.js';
import type { FeedHub } from './feed-hub.js';
import { type FeedLimits, TooManyConnectionsError } from './feed-limits.js';
import { FeedSession, type SessionCounters, type SessionTransport } from './feed-session.js';
import type { SessionRegistry } from './session-registry.js';

export interface FeedRouteDeps {
  readonly hub: FeedHub;
  readonly sessions: SessionRegistry;
  readonly policy: OutboxPolicy;
  readonly heartbeatMs: number;
  readonly maxMessagesPerSecond: number;
  readonly counters: SessionCounters;
  readonly limits: FeedLimits;
}

/** A preHandler (after requireDesk) refusing a desk's connection over `maxConnectionsPerDesk`. */
export function connectionCap(deps: FeedRouteDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const desk = entitlementsOf(request).desk;
    if (deps.sessions.countDesk(desk) < deps.limits.maxConnectionsPerDesk) return;
    deps.limits.onRefused?.('too_many_connections');
    throw new TooManyConnectionsError(desk, deps.limits.maxConnectionsPerDesk);
  };
}

/** The session's first message: the desk, the heartbeat interval and what it is entitled to. */
export function sendWelcome(session: FeedSession, entitlements: Entitlements, heartbeatMs: number): void {
  session.deliver({
    message: { type: 'welcome', desk: entitlements.desk, heartbeatMs, entitled: entitlements.indices },
    text: null,
  });
}

/** A desk's session on the shared hub, whatever transport carries it (WebSocket or SSE). */
export function openFeedSession(
  deps: FeedRouteDeps,
  entitlements: Entitlements,
  transport: SessionTransport,
): FeedSession {
  const { hub, policy, counters, limits } = deps;
  return new FeedSession({ hub, entitlements, policy, counters, limits, transport });
}
