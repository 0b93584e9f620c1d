// Server-Sent Events: GET /v1/stream?indices=A,B. The same messages as the WebSocket feed, each as
// `event: <type>` with its JSON as `data:`, under the same slow-client policy (the response's
// writable buffer stands in for the socket's). `id:` is `<indexId>:<sequence>` on levels.
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { entitlementsOf, requireDesk } from './auth.js';
import { connectionCap, type FeedRouteDeps, openFeedSession, sendWelcome } from './feed-route.js';
import type { FeedSession, SessionTransport } from './feed-session.js';
import { BadQueryError, NotEntitledError } from './gateway-errors.js';
import { type ServerMessage, textOf } from './protocol.js';
import type { RegisteredSession } from './session-registry.js';

/** One SSE frame of a message. */
export function sseFrame(message: ServerMessage, json: string): string {
  const id = message.type === 'level' ? `id: ${message.indexId}:${message.sequence}\n` : '';
  return `event: ${message.type}\n${id}data: ${json}\n\n`;
}

export function parseIndicesQuery(value: unknown): string[] {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadQueryError('indices', value, 'a comma-separated list of index ids');
  }
  const ids = [...new Set(value.split(',').map((id) => id.trim()))].filter((id) => id.length > 0);
  if (ids.length === 0 || ids.length > 1000) {
    throw new BadQueryError('indices', value, '1 to 1000 comma-separated index ids');
  }
  return ids;
}

const sseSchema = {
  summary: 'Live levels as Server-Sent Events',
  description:
    'Events: welcome, subscribed, snapshot (one per index), level (every level after it, in sequence; ' +
    '`conflated` > 0 when a slow client skipped some), constituents, heartbeat, slow_consumer (then the ' +
    'stream ends). Same JSON as the WebSocket feed at /v1/ws.',
  tags: ['feed'],
  querystring: {
    type: 'object',
    required: ['indices'],
    properties: { indices: { type: 'string', description: 'comma-separated index ids' } },
  },
  produces: ['text/event-stream'],
};

export function registerSseRoute(app: FastifyInstance, deps: FeedRouteDeps): void {
  app.get(
    '/v1/stream',
    {
      preHandler: [requireDesk, connectionCap(deps)],
      config: { queryCredentials: true },
      schema: sseSchema,
    },
    async (request, reply) => openSseSession(request, reply, deps),
  );
}

function openSseSession(request: FastifyRequest, reply: FastifyReply, deps: FeedRouteDeps): void {
  const entitlements = entitlementsOf(request);
  const indices = parseIndicesQuery((request.query as { indices?: unknown }).indices);
  const refused = indices.find((id) => !entitlements.allows(id));
  if (refused !== undefined) throw new NotEntitledError(entitlements.desk, refused);
  const log = request.log.child({ desk: entitlements.desk, transport: 'sse' });
  const session = openFeedSession(deps, entitlements, sseTransport(reply, log));
  // Refused (unknown id, too many) while the reply can still be a JSON error.
  session.admit(indices);
  const raw = openEventStream(reply);
  const entry: RegisteredSession = { session, transport: 'sse', shutdown: () => raw.end() };
  deps.sessions.add(entry);
  raw.on('close', () => {
    session.close();
    deps.sessions.remove(entry);
    log.info('client disconnected');
  });
  log.info('client connected');
  sendWelcome(session, entitlements, deps.heartbeatMs);
  session.subscribe(indices);
}

function sseTransport(reply: FastifyReply, log: FastifyBaseLogger): SessionTransport {
  return {
    bufferedBytes: () => reply.raw.writableLength,
    write: (outbound) => reply.raw.write(sseFrame(outbound.message, textOf(outbound))),
    dropTooSlow: (message) => {
      log.warn({ ...message }, 'slow client disconnected');
      reply.raw.end(sseFrame(message, JSON.stringify(message)));
      setTimeout(() => reply.raw.destroy(), 1000).unref();
    },
  };
}

/** Takes the response over from fastify and writes the event-stream head. */
function openEventStream(reply: FastifyReply): FastifyReply['raw'] {
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return reply.raw;
}
