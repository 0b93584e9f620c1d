// HS256 JWT verification for desks, with @fastify/jwt (fast-jwt underneath). The verifier lives on
// its own small fastify instance so the gateway's auth hook can call it synchronously for every
// transport (REST, SSE and the WebSocket upgrade) without @fastify/jwt's request decorators, which
// read only the Authorization header and would miss the `?access_token=` browsers must use.
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';

/** Verifies a token and returns its claims; throws on a bad signature, algorithm, claim or lifetime. */
export type JwtVerifier = (token: string) => Record<string, unknown>;

/** What a token must say besides its signature (config JWT_*). */
export interface JwtPolicy {
  /** `aud` must name it. */
  readonly audience: string;
  /** `iss` must equal it, when set. */
  readonly issuer?: string;
  /** Longest accepted lifetime, `exp` − `iat` (or `exp` − now without `iat`), in seconds. */
  readonly maxLifetimeSeconds: number;
  /** How far `iat` may be ahead of this clock, and `exp` behind it, in seconds. */
  readonly clockSkewSeconds: number;
  /** Seconds since the epoch; injected by tests. */
  readonly nowSeconds?: () => number;
}

/** A token that verified but breaks the policy's lifetime rules. */
export class JwtLifetimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtLifetimeError';
  }
}

/**
 * Returns a verifier for HS256 tokens signed with `secret`. Only HS256 is accepted, so a token
 * signed with another algorithm (or `none`) is refused even when its signature would check.
 * `exp` and `aud` are required: a token that never expires, or was minted for another service
 * with the same secret, would be a credential for ever.
 */
export async function createJwtVerifier(secret: string, policy: JwtPolicy): Promise<JwtVerifier> {
  const holder = Fastify();
  await holder.register(fastifyJwt, {
    secret,
    verify: {
      algorithms: ['HS256'],
      allowedAud: policy.audience,
      ...(policy.issuer === undefined ? {} : { allowedIss: policy.issuer }),
      requiredClaims: policy.issuer === undefined ? ['exp', 'aud'] : ['exp', 'aud', 'iss'],
      clockTolerance: policy.clockSkewSeconds * 1000,
    },
  });
  await holder.ready();
  const now = policy.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return (token) => {
    const claims = holder.jwt.verify<Record<string, unknown>>(token);
    checkLifetime(claims, policy, now());
    return claims;
  };
}

function checkLifetime(claims: Record<string, unknown>, policy: JwtPolicy, now: number): void {
  const exp = claims.exp as number;
  const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
  if (iat !== undefined && iat > now + policy.clockSkewSeconds)
    throw new JwtLifetimeError(`iat ${iat} is more than ${policy.clockSkewSeconds} s ahead of now (${now})`);
  const lifetime = exp - (iat ?? now);
  if (lifetime > policy.maxLifetimeSeconds)
    throw new JwtLifetimeError(`lifetime ${lifetime} s is above the ${policy.maxLifetimeSeconds} s allowed`);
}
