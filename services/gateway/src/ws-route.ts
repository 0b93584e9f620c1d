// The WebSocket feed: GET /v1/ws. Clients send {"type":"subscribe"|"unsubscribe","indices":[...]};
// the gateway answers with the protocol in protocol.ts. Liveness: the gateway pings on every
// heartbeat and terminates a client that did not pong since the previous one.

import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entitlementsOf, requireDesk } from './auth.js';
import type { OutboxPolicy } from './client-outbox.js';
import type { FeedHub } from './feed-hub.js';
import { type FeedLimits, TooManyConnectionsError } from './feed-limits.js';
import { FeedSession, type SessionCounters } from './feed-session.js';
import { GatewayError } from './gateway-errors.js';
import { bytesOf, parseClientMessage } from './protocol.js';
import type { RegisteredSession, SessionRegistry } from './session-registry.js';

/** WebSocket close code for a client dropped by the slow-client policy (4000–4999: application). */
export const CLOSE_SLOW_CONSUMER = 4008;
/** WebSocket close code for a client that sent too many messages. */
export const CLOSE_POLICY_VIOLATION = 1008;

const TEXT_FRAME = { binary: false } as const;

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

export function registerWsRoute(app: FastifyInstance, deps: FeedRouteDeps): void {
  app.get(
    '/v1/ws',
    {
      websocket: true,
      preHandler: [requireDesk, connectionCap(deps)],
      config: { queryCredentials: true },
      schema: { hide: true },
    },
    (socket: WebSocket, request) => {
      const entitlements = entitlementsOf(request);
      const log = request.log.child({ desk: entitlements.desk, transport: 'ws' });
      const session = new FeedSession({
        hub: deps.hub,
        entitlements,
        policy: deps.policy,
        counters: deps.counters,
        limits: deps.limits,
        transport: {
          bufferedBytes: () => socket.bufferedAmount,
          // Shared bytes, sent as a text frame: one UTF-8 encoding per fan-out, not per client.
          write: (outbound) => socket.send(bytesOf(outbound), TEXT_FRAME),
          dropTooSlow: (message) => {
            log.warn({ ...message }, 'slow client disconnected');
            socket.send(JSON.stringify(message));
            socket.close(CLOSE_SLOW_CONSUMER, 'slow consumer');
            // A client too slow to read is often too slow to answer the close handshake.
            setTimeout(() => socket.terminate(), 1000).unref();
          },
        },
      });
      let alive = true;
      socket.on('pong', () => {
        alive = true;
      });
      const entry: RegisteredSession = {
        session,
        transport: 'ws',
        onHeartbeat: () => {
          if (!alive) {
            log.info('client missed a heartbeat pong; terminating');
            socket.terminate();
            return;
          }
          alive = false;
          socket.ping();
        },
        shutdown: () => socket.close(1001, 'gateway shutting down'),
      };
      deps.sessions.add(entry);
      log.info('client connected');

      let windowStart = Date.now();
      let messagesInWindow = 0;
      let flooded = false;
      socket.on('message', (data, isBinary) => {
        // Frames still arriving while a flooding client's close completes: read, not logged again.
        if (flooded) return;
        const now = Date.now();
        if (now - windowStart >= 1000) {
          windowStart = now;
          messagesInWindow = 0;
        }
        messagesInWindow += 1;
        if (messagesInWindow > deps.maxMessagesPerSecond) {
          flooded = true;
          log.warn({ messagesInWindow }, 'client exceeded the message rate; closing');
          socket.close(CLOSE_POLICY_VIOLATION, 'too many messages');
          setTimeout(() => socket.terminate(), 1000).unref();
          return;
        }
        try {
          if (isBinary)
            throw new GatewayError('binary frames are not accepted', {
              statusCode: 400,
              code: 'bad_message',
            });
          const message = parseClientMessage(data.toString());
          if (message.type === 'subscribe') session.subscribe(message.indices);
          else session.unsubscribe(message.indices);
        } catch (error) {
          if (!(error instanceof GatewayError)) throw error;
          session.deliver({
            message: { type: 'error', code: error.code, message: error.message },
            text: null,
          });
        }
      });
      socket.on('close', () => {
        session.close();
        deps.sessions.remove(entry);
        log.info('client disconnected');
      });
      session.deliver({
        message: {
          type: 'welcome',
          desk: entitlements.desk,
          heartbeatMs: deps.heartbeatMs,
          entitled: entitlements.indices,
        },
        text: null,
      });
    },
  );
}
