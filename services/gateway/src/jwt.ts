// HS256 JWT verification for desks, with @fastify/jwt (fast-jwt underneath). The verifier lives on
// its own small fastify instance so the gateway's auth hook can call it synchronously for every
// transport (REST, SSE and the WebSocket upgrade) without @fastify/jwt's request decorators, which
// read only the Authorization header and would miss the `?access_token=` browsers must use.
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';

/** Verifies a token and returns its claims; throws on a bad signature, algorithm or expiry. */
export type JwtVerifier = (token: string) => Record<string, unknown>;

/**
 * Returns a verifier for HS256 tokens signed with `secret`. Only HS256 is accepted, so a token
 * signed with another algorithm (or `none`) is refused even when its signature would check.
 */
export async function createJwtVerifier(secret: string): Promise<JwtVerifier> {
  const holder = Fastify();
  await holder.register(fastifyJwt, { secret, verify: { algorithms: ['HS256'] } });
  await holder.ready();
  return (token) => holder.jwt.verify<Record<string, unknown>>(token);
}
