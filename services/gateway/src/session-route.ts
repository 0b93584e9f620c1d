// REST: an index's trading session (its venues' segments as instants, the gaps the chart leaves
// open) and its market and feed state, so a browser draws the day without knowing any time of day
// or UTC offset of its own.
import { timeZoneOf, tradingDateOf } from '@indexflow/market-calendar';
import type { FastifyInstance } from 'fastify';
import { entitlementsOf, requireDesk } from './auth.js';
import type { DeskStateMonitor } from './desk-state-monitor.js';
import type { FeedHub } from './feed-hub.js';
import { BadQueryError, NotEntitledError, UnknownIndexError } from './gateway-errors.js';
import { indexSessionOf } from './index-session.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const span = {
  type: 'object',
  properties: { start: { type: 'integer' }, end: { type: 'integer' } },
} as const;
const nullableSpans = { type: 'array', items: span } as const;

const sessionSchema = {
  type: ['object', 'null'],
  description: 'null when none of the index venues trades that day',
  properties: {
    date: { type: 'string' },
    day: span,
    venues: { type: 'array', items: { type: 'string' } },
    halfDay: { type: 'boolean' },
    open: { type: 'integer', description: 'epoch ms: the first segment of any venue' },
    close: { type: 'integer', description: 'epoch ms: the last official close of its venues' },
    trading: nullableSpans,
    gaps: { ...nullableSpans, description: 'lunch breaks of every venue at once: no line across them' },
    sessions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          venue: { type: 'string' },
          halfDay: { type: 'boolean' },
          phases: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                phase: { type: 'string' },
                start: { type: 'integer' },
                end: { type: 'integer' },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const deskStateSchema = {
  type: ['object', 'null'],
  properties: {
    state: { type: 'string' },
    market: { type: 'string' },
    badge: { type: 'string', enum: ['pre-open', 'open', 'lunch', 'closed', 'halted', 'stale'] },
    label: { type: 'string' },
    date: { type: 'string' },
    clock: { type: 'integer' },
    reason: { type: ['string', 'null'] },
  },
} as const;

export function registerSessionRoute(app: FastifyInstance, hub: FeedHub, monitor: DeskStateMonitor): void {
  app.get(
    '/v1/indices/:indexId/session',
    {
      preHandler: requireDesk,
      schema: {
        summary: "An index's trading session (segments as instants, lunch gaps) and its market/feed state",
        tags: ['indices'],
        params: { type: 'object', required: ['indexId'], properties: { indexId: { type: 'string' } } },
        querystring: {
          type: 'object',
          properties: {
            date: { type: 'string', description: 'YYYY-MM-DD; default the trading date of the latest level' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              indexId: { type: 'string' },
              markets: { type: 'array', items: { type: 'string' } },
              timeZone: {
                type: 'object',
                properties: { name: { type: 'string' }, utcOffsetS: { type: 'integer' } },
              },
              staleAfterMs: { type: 'integer' },
              session: sessionSchema,
              state: deskStateSchema,
            },
          },
        },
      },
    },
    async (request) => {
      const entitlements = entitlementsOf(request);
      const { indexId } = request.params as { indexId: string };
      const { date } = request.query as { date?: string };
      if (!entitlements.allows(indexId)) throw new NotEntitledError(entitlements.desk, indexId);
      if (date !== undefined && !DATE.test(date)) throw new BadQueryError('date', date, 'YYYY-MM-DD');
      const markets = await monitor.marketsOf(indexId);
      if (markets === null) throw new UnknownIndexError(indexId);
      const state = monitor.stateOf(indexId, markets);
      const latest = hub.latest(indexId);
      const day = date ?? (latest === undefined ? state?.date : tradingDateOf(latest.eventTime, 'SH'));
      const zone = timeZoneOf('SH');
      return {
        indexId,
        markets,
        timeZone: { name: zone.name, utcOffsetS: zone.utcOffsetMs / 1000 },
        staleAfterMs: monitor.staleAfterMs,
        session: day === undefined ? null : indexSessionOf(day, markets, monitor.calendar),
        state,
      };
    },
  );
}
