// Authentication: an API key (header `x-api-key`) or a JWT (`Authorization: Bearer`). The feeds
// also take them from the query (`apiKey`, `access_token`), because browsers' WebSocket and
// EventSource cannot set headers; no other route does, so a key never needs to be in a URL that
// proxies, browser history and Referer headers keep. The request logger never sees a credential:
// fastify's own request logging is off (app.ts) and ours logs the route, not the URL.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type DeskDirectory, Entitlements } from './entitlements.js';
import { UnauthenticatedError } from './gateway-errors.js';

export interface AuthOptions {
  readonly mode: 'required' | 'open';
  readonly directory: DeskDirectory;
  /** Verifies a JWT and returns its claims; absent when JWTs are not configured. */
  readonly verifyJwt?: (token: string) => Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes `?apiKey=` and `?access_token=` (the feeds: browsers cannot set headers there). */
    queryCredentials?: boolean;
  }
  interface FastifyRequest {
    /** The desk's entitlements; null on a public route or before authentication. */
    entitlements: Entitlements | null;
    /** Why authentication failed; thrown by `requireDesk` on protected routes. */
    authFailure: UnauthenticatedError | null;
  }
}

export interface Credentials {
  readonly apiKey: string | undefined;
  readonly token: string | undefined;
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** Reads the credentials a request carries, from headers first, then the query. */
export function credentialsOf(headers: Record<string, unknown>, query: unknown): Credentials {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const authorization = single(headers.authorization);
  const bearer = authorization?.toLowerCase().startsWith('bearer ')
    ? authorization.slice(7).trim()
    : undefined;
  return {
    apiKey: single(headers['x-api-key']) ?? single(q.apiKey),
    token: bearer ?? single(q.access_token),
  };
}

/** Returns the entitlements the credentials give, or throws UnauthenticatedError (never naming the secret). */
export function authenticate(options: AuthOptions, credentials: Credentials): Entitlements {
  if (credentials.apiKey !== undefined) {
    const entitlements = options.directory.byApiKey(credentials.apiKey);
    if (entitlements === null) throw new UnauthenticatedError('the API key matches no desk');
    return entitlements;
  }
  if (credentials.token !== undefined) {
    if (options.verifyJwt === undefined) throw new UnauthenticatedError('JWTs are not accepted here');
    let claims: Record<string, unknown>;
    try {
      claims = options.verifyJwt(credentials.token);
    } catch {
      throw new UnauthenticatedError('the token is invalid or expired');
    }
    const desk = typeof claims.desk === 'string' ? claims.desk : claims.sub;
    if (typeof desk !== 'string') throw new UnauthenticatedError('the token names no desk');
    const entitlements = options.directory.byDesk(desk);
    if (entitlements === null) throw new UnauthenticatedError(`the token's desk ${desk} is not configured`);
    const claim = claims.indices;
    if (Array.isArray(claim) && claim.every((id) => typeof id === 'string')) {
      return entitlements.narrow(claim as string[]);
    }
    return entitlements;
  }
  if (options.mode === 'open') return new Entitlements('anonymous', '*');
  throw new UnauthenticatedError('send an API key (x-api-key) or a JWT (Authorization: Bearer)');
}

/** Does the query carry a credential (refused outside the feeds, whatever else the request has)? */
function queryHasCredential(query: unknown): boolean {
  const { apiKey, token } = credentialsOf({}, query);
  return apiKey !== undefined || token !== undefined;
}

/** Authenticates every request up front (before rate limiting, which is keyed by desk). */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  app.decorateRequest('entitlements', null);
  app.decorateRequest('authFailure', null);
  app.addHook('onRequest', async (request) => {
    try {
      const inQuery = request.routeOptions.config?.queryCredentials === true;
      if (!inQuery && queryHasCredential(request.query))
        throw new UnauthenticatedError(
          'credentials in the URL are accepted by the feeds (/v1/ws, /v1/stream) only; send the x-api-key or Authorization header',
        );
      request.entitlements = authenticate(
        options,
        credentialsOf(request.headers as Record<string, unknown>, inQuery ? request.query : {}),
      );
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      request.authFailure = error;
    }
  });
}

/** A preHandler for protected routes: 401 unless the request was authenticated. */
export async function requireDesk(request: FastifyRequest): Promise<void> {
  if (request.entitlements === null) {
    throw request.authFailure ?? new UnauthenticatedError('no credentials');
  }
}

/** The authenticated desk's entitlements (after requireDesk). */
export function entitlementsOf(request: FastifyRequest): Entitlements {
  if (request.entitlements === null) throw request.authFailure ?? new UnauthenticatedError('no credentials');
  return request.entitlements;
}
