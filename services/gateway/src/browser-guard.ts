// Browser-facing protections. The dashboard and the feeds are reachable from any page the desk
// user opens; these headers and checks keep other pages from framing, sniffing or reading them.
import type { FastifyInstance } from 'fastify';
import { GatewayError } from './gateway-errors.js';

/**
 * Same-origin resources only (the dashboard bundles its chart library); frames refused; no
 * inline or eval'd script. Inline styles are allowed: the chart library injects a <style> element
 * (the dashboard test fails on any CSP violation in the page's console).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** A request whose Host or Origin is not this machine's, refused in open mode (DNS rebinding). */
export class ForeignOriginError extends GatewayError {
  constructor(readonly header: 'host' | 'origin') {
    super(`the ${header} header does not name this machine; open mode serves loopback clients only`, {
      statusCode: 403,
      code: 'foreign_origin',
    });
  }
}

const LOOPBACK_NAME = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

/** Is this request from a page of this gateway (or from no page), addressed to a loopback name? */
export function loopbackRequest(
  host: string | undefined,
  origin: string | undefined,
): 'host' | 'origin' | null {
  if (host === undefined || !LOOPBACK_NAME.test(host)) return 'host';
  if (origin === undefined || origin === 'null') return origin === 'null' ? 'origin' : null;
  const sameHost = origin.replace(/^https?:\/\//i, '').toLowerCase() === host.toLowerCase();
  return sameHost ? null : 'origin';
}

/**
 * Adds the security headers to every response, answers unknown routes without echoing the URL
 * (it may carry `?apiKey=`), and, when `loopbackOnly`, refuses requests whose Host or Origin is
 * not loopback: an unauthenticated gateway must not be readable by a page that rebinds a DNS name
 * to 127.0.0.1.
 */
export function installBrowserGuard(app: FastifyInstance, options: { readonly loopbackOnly: boolean }): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).send({ code: 'not_found', message: 'no such route; see /openapi.json' }),
  );
  if (!options.loopbackOnly) return;
  // In preHandler, not onRequest: a WebSocket upgrade refused from onRequest leaves its socket
  // open on the server (found by browser-guard.test.ts), where a refusal here closes it.
  app.addHook('preHandler', async (request) => {
    const origin = request.headers.origin;
    const refused = loopbackRequest(request.headers.host, typeof origin === 'string' ? origin : undefined);
    if (refused !== null) throw new ForeignOriginError(refused);
  });
}
