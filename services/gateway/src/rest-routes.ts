// REST: the index list, one index's latest level with its constituents, its intraday history and
// its official closes. The schemas (what /openapi.json says) are in rest-schemas.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entitlementsOf, requireDesk } from './auth.js';
import type { ConstituentsSnapshot } from './constituents.js';
import type { FeedHub } from './feed-hub.js';
import { BadQueryError, NoHistoryError, NotEntitledError, UnknownIndexError } from './gateway-errors.js';
import { levelView } from './protocol.js';
import { closesSchema, historySchema, indexDetailSchema, indexListSchema } from './rest-schemas.js';

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

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerRestRoutes(app: FastifyInstance, deps: RestDeps): void {
  app.get('/v1/indices', { preHandler: requireDesk, schema: indexListSchema }, (request) =>
    listIndices(deps, request),
  );
  app.get('/v1/indices/:indexId', { preHandler: requireDesk, schema: indexDetailSchema }, (request) =>
    indexDetail(deps, request),
  );
  app.get(
    '/v1/indices/:indexId/history',
    { preHandler: requireDesk, schema: historySchema },
    async (request) => indexHistory(deps.hub, request),
  );
}

/** Daily official closes, from the same store as `indexflow history` (issue: end of day). */
export function registerClosesRoute(app: FastifyInstance, deps: RestDeps): void {
  app.get('/v1/indices/:indexId/closes', { preHandler: requireDesk, schema: closesSchema }, (request) =>
    indexCloses(deps, request),
  );
}

/** The index id of the path, once the desk is known to be entitled to it. */
function entitledIndexId(request: FastifyRequest): string {
  const entitlements = entitlementsOf(request);
  const { indexId } = request.params as { indexId: string };
  if (!entitlements.allows(indexId)) throw new NotEntitledError(entitlements.desk, indexId);
  return indexId;
}

function requireDate(name: string, value: string | undefined): void {
  if (value !== undefined && !DATE.test(value)) throw new BadQueryError(name, value, 'YYYY-MM-DD');
}

async function listIndices(deps: RestDeps, request: FastifyRequest) {
  const { hub } = deps;
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
}

async function indexDetail(deps: RestDeps, request: FastifyRequest) {
  const indexId = entitledIndexId(request);
  const latest = deps.hub.latest(indexId);
  // The level records' table is current to the latest level; otherwise the projection is used.
  const constituents: ConstituentsSnapshot | null =
    deps.hub.recordConstituents(indexId) ?? (await deps.projectedConstituents(indexId));
  if (latest === undefined && constituents === null) throw new UnknownIndexError(indexId);
  return {
    indexId,
    latest: latest === undefined ? null : levelView(latest),
    constituents:
      constituents === null
        ? null
        : { sequence: constituents.sequence, source: constituents.source, items: constituents.constituents },
  };
}

function indexHistory(hub: FeedHub, request: FastifyRequest) {
  const indexId = entitledIndexId(request);
  const { date, intervalMs } = request.query as { date?: string; intervalMs?: number };
  requireDate('date', date);
  const day = hub.history.day(indexId, date, intervalMs ?? 0);
  if (day === null) {
    if (hub.latest(indexId) === undefined) throw new UnknownIndexError(indexId);
    throw new NoHistoryError(indexId, date ?? null);
  }
  return { ...day, dates: hub.history.dates(indexId) };
}

async function indexCloses(deps: RestDeps, request: FastifyRequest) {
  const indexId = entitledIndexId(request);
  const { from, to } = request.query as { from?: string; to?: string };
  requireDate('from', from);
  requireDate('to', to);
  if (deps.closes === undefined) throw new NoHistoryError(indexId, null);
  const list = await deps.closes(indexId, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
  if (list.length === 0) throw new NoHistoryError(indexId, from ?? null);
  return { indexId, closes: list };
}
