// REST: the index list, one index's latest level with its constituents, and its intraday history.
import type { FastifyInstance } from 'fastify';
import { entitlementsOf, requireDesk } from './auth.js';
import type { ConstituentsSnapshot } from './constituents.js';
import type { FeedHub } from './feed-hub.js';
import { BadQueryError, NoHistoryError, NotEntitledError, UnknownIndexError } from './gateway-errors.js';
import { levelView } from './protocol.js';

export interface RestDeps {
  readonly hub: FeedHub;
  /** Index ids the calculator's projection holds (indices that may have no level yet). */
  readonly projectedIndexIds: () => Promise<string[]>;
  /** Constituents computed from the projection, or null before the index is based. */
  readonly projectedConstituents: (indexId: string) => Promise<ConstituentsSnapshot | null>;
  /**
   * Official closes of an index in date order within [from, to], from the close-history store
   * that `indexflow history` reads too; absent when the gateway has no store.
   */
  readonly closes?: (indexId: string, range: { from?: string; to?: string }) => Promise<readonly object[]>;
}

const errors = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  403: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
};
const indexParams = {
  type: 'object',
  required: ['indexId'],
  properties: { indexId: { type: 'string' } },
} as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerRestRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { hub } = deps;

  app.get(
    '/v1/indices',
    {
      preHandler: requireDesk,
      schema: {
        summary: 'Indices the desk is entitled to, with their latest level',
        tags: ['indices'],
        response: {
          200: {
            type: 'object',
            properties: {
              indices: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    indexId: { type: 'string' },
                    latest: { anyOf: [{ $ref: 'Level#' }, { type: 'null' }] },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const entitlements = entitlementsOf(request);
      const ids = new Set([...hub.indexIds(), ...(await deps.projectedIndexIds())]);
      return {
        indices: [...ids]
          .filter((id) => entitlements.allows(id))
          .sort()
          .map((indexId) => {
            const latest = hub.latest(indexId);
            return { indexId, latest: latest === undefined ? null : levelView(latest) };
          }),
      };
    },
  );

  app.get(
    '/v1/indices/:indexId',
    {
      preHandler: requireDesk,
      schema: {
        summary: "One index's latest level (prev close, change, open/high/low) and its constituents",
        description:
          'The level is the latest the gateway read from the index-level topic. Constituents come from that ' +
          'level when it carries them; otherwise they are computed exactly from the calculator projection in ' +
          'Redis, whose `sequence` says which level they belong to.',
        tags: ['indices'],
        params: indexParams,
        response: {
          200: {
            type: 'object',
            properties: {
              indexId: { type: 'string' },
              latest: { anyOf: [{ $ref: 'Level#' }, { type: 'null' }] },
              constituents: { anyOf: [{ $ref: 'Constituents#' }, { type: 'null' }] },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const entitlements = entitlementsOf(request);
      const { indexId } = request.params as { indexId: string };
      if (!entitlements.allows(indexId)) throw new NotEntitledError(entitlements.desk, indexId);
      const latest = hub.latest(indexId);
      // The level records' table is current to the latest level; otherwise the projection is used.
      const constituents: ConstituentsSnapshot | null =
        hub.recordConstituents(indexId) ?? (await deps.projectedConstituents(indexId));
      if (latest === undefined && constituents === null) throw new UnknownIndexError(indexId);
      return {
        indexId,
        latest: latest === undefined ? null : levelView(latest),
        constituents:
          constituents === null
            ? null
            : {
                sequence: constituents.sequence,
                source: constituents.source,
                items: constituents.constituents,
              },
      };
    },
  );

  app.get(
    '/v1/indices/:indexId/history',
    {
      preHandler: requireDesk,
      schema: {
        summary: "Intraday levels of one trading day (Asia/Shanghai), from the gateway's in-memory ring",
        tags: ['indices'],
        params: indexParams,
        querystring: {
          type: 'object',
          properties: {
            date: { type: 'string', description: 'YYYY-MM-DD; default the latest day held' },
            intervalMs: {
              type: 'integer',
              minimum: 0,
              description: 'keep the last level of each interval of event time (0: every level)',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              indexId: { type: 'string' },
              date: { type: 'string' },
              dates: { type: 'array', items: { type: 'string' } },
              truncated: { type: 'boolean' },
              points: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    eventTime: { type: 'integer' },
                    sequence: { type: 'integer' },
                    level: decimalString(),
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const entitlements = entitlementsOf(request);
      const { indexId } = request.params as { indexId: string };
      const { date, intervalMs } = request.query as { date?: string; intervalMs?: number };
      if (!entitlements.allows(indexId)) throw new NotEntitledError(entitlements.desk, indexId);
      if (date !== undefined && !DATE.test(date)) throw new BadQueryError('date', date, 'YYYY-MM-DD');
      const day = hub.history.day(indexId, date, intervalMs ?? 0);
      if (day === null) {
        if (hub.latest(indexId) === undefined) throw new UnknownIndexError(indexId);
        throw new NoHistoryError(indexId, date ?? null);
      }
      return { ...day, dates: hub.history.dates(indexId) };
    },
  );
}

/** Daily official closes, from the same store as `indexflow history` (issue: end of day). */
export function registerClosesRoute(app: FastifyInstance, deps: RestDeps): void {
  const closes = deps.closes;
  app.get(
    '/v1/indices/:indexId/closes',
    {
      preHandler: requireDesk,
      schema: {
        summary: 'Official daily closes of one index (level, divisor, FX, constituents), oldest first',
        tags: ['indices'],
        params: indexParams,
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string', description: 'first trading date, YYYY-MM-DD, inclusive' },
            to: { type: 'string', description: 'last trading date, YYYY-MM-DD, inclusive' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              indexId: { type: 'string' },
              // The IndexClose records as the calculator published them (decimal strings).
              closes: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const entitlements = entitlementsOf(request);
      const { indexId } = request.params as { indexId: string };
      const { from, to } = request.query as { from?: string; to?: string };
      if (!entitlements.allows(indexId)) throw new NotEntitledError(entitlements.desk, indexId);
      for (const [name, value] of [
        ['from', from],
        ['to', to],
      ] as const) {
        if (value !== undefined && !DATE.test(value)) throw new BadQueryError(name, value, 'YYYY-MM-DD');
      }
      if (closes === undefined) throw new NoHistoryError(indexId, null);
      const list = await closes(indexId, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
      if (list.length === 0) throw new NoHistoryError(indexId, from ?? null);
      return { indexId, closes: list };
    },
  );
}

function decimalString() {
  return { type: 'string', description: 'exact decimal, as published' } as const;
}
