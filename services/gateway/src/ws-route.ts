// The WebSocket feed: GET /v1/ws. Clients send {"type":"subscribe"|"unsubscribe","indices":[...]};
// the gateway answers with the protocol in protocol.ts. Liveness: the gateway pings on every
// heartbeat and terminates a client that did not pong since the previous one.

import type { WebSocket } from '@fastify/websocket';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { entitlementsOf, requireDesk } from './auth.js';
import { connectionCap, type FeedRouteDeps, openFeedSession, sendWelcome } from './feed-route.js';
import type { FeedSession, SessionTransport } from './feed-session.js';
import { GatewayError } from './gateway-errors.js';
import { bytesOf, parseClientMessage } from './protocol.js';
import type { RegisteredSession } from './session-registry.js';

export type { FeedRouteDeps } from './feed-route.js';

/** WebSocket close code for a client dropped by the slow-client policy (4000–4999: application). */
export const CLOSE_SLOW_CONSUMER = 4008;
/** WebSocket close code for a client that sent too many messages. */
export const CLOSE_POLICY_VIOLATION = 1008;

const TEXT_FRAME = { binary: false } as const;

export function registerWsRoute(app: FastifyInstance, deps: FeedRouteDeps): void {
  app.get(
    '/v1/ws',
    {
      websocket: true,
      preHandler: [requireDesk, connectionCap(deps)],
      config: { queryCredentials: true },
      schema: { hide: true },
    },
    (socket: WebSocket, request) => openWsSession(socket, request, deps),
  );
}

function openWsSession(socket: WebSocket, request: FastifyRequest, deps: FeedRouteDeps): void {
  const entitlements = entitlementsOf(request);
  const log = request.log.child({ desk: entitlements.desk, transport: 'ws' });
  const session = openFeedSession(deps, entitlements, wsTransport(socket, log));
  const entry = heartbeatEntry(socket, session, log);
  deps.sessions.add(entry);
  log.info('client connected');
  const overRate = messageRate(deps.maxMessagesPerSecond);
  let flooded = false;
  socket.on('message', (data, isBinary) => {
    // Frames still arriving while a flooding client's close completes: read, not logged again.
    if (flooded) return;
    const messagesInWindow = overRate();
    if (messagesInWindow !== null) {
      flooded = true;
      log.warn({ messagesInWindow }, 'client exceeded the message rate; closing');
      socket.close(CLOSE_POLICY_VIOLATION, 'too many messages');
      setTimeout(() => socket.terminate(), 1000).unref();
      return;
    }
    applyClientFrame(session, data.toString(), isBinary);
  });
  socket.on('close', () => {
    session.close();
    deps.sessions.remove(entry);
    log.info('client disconnected');
  });
  sendWelcome(session, entitlements, deps.heartbeatMs);
}

function wsTransport(socket: WebSocket, log: FastifyBaseLogger): SessionTransport {
  return {
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
  };
}

/** The session as the registry sees it: pinged every heartbeat, terminated without a pong since. */
function heartbeatEntry(socket: WebSocket, session: FeedSession, log: FastifyBaseLogger): RegisteredSession {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  return {
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
}

/**
 * Counts a client's messages in one-second windows; the returned function, called per message,
 * gives the window's count once it passes `maxPerSecond`, else null.
 */
function messageRate(maxPerSecond: number): () => number | null {
  let windowStart = Date.now();
  let messagesInWindow = 0;
  return () => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      messagesInWindow = 0;
    }
    messagesInWindow += 1;
    return messagesInWindow > maxPerSecond ? messagesInWindow : null;
  };
}

/** A subscribe or unsubscribe; a bad frame is answered with an error message, not a close. */
function applyClientFrame(session: FeedSession, text: string, isBinary: boolean): void {
  try {
    if (isBinary)
      throw new GatewayError('binary frames are not accepted', { statusCode: 400, code: 'bad_message' });
    const message = parseClientMessage(text);
    if (message.type === 'subscribe') session.subscribe(message.indices);
    else session.unsubscribe(message.indices);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    session.deliver({ message: { type: 'error', code: error.code, message: error.message }, text: null });
  }
}
