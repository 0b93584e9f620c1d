// The desk dashboard: a static page, its script modules, and lightweight-charts' standalone build, served
// from the installed package so the page needs no CDN. The page itself is public; its data calls
// carry the desk's API key, which the user gives in the URL fragment (#apiKey=...), never sent to
// the server as part of the page URL.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeZoneOf } from '@indexflow/market-calendar';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

function chartsScriptPath(): string {
  const require = createRequire(import.meta.url);
  return join(
    dirname(require.resolve('lightweight-charts/package.json')),
    'dist',
    'lightweight-charts.standalone.production.js',
  );
}

/**
 * The exchange time the page shows, from the market calendar, served as the first line of the
 * script so the browser code writes no offset of its own.
 */
function exchangeTimePrelude(): Buffer {
  const zone = timeZoneOf('SH');
  const time = { zone: zone.name, utcOffsetS: zone.utcOffsetMs / 1000 };
  return Buffer.from(`globalThis.INDEXFLOW_EXCHANGE_TIME = ${JSON.stringify(time)};\n`);
}

export function registerDashboardRoutes(app: FastifyInstance): void {
  const files = {
    page: readFileSync(join(PUBLIC_DIR, 'dashboard.html')),
    script: Buffer.concat([exchangeTimePrelude(), readFileSync(join(PUBLIC_DIR, 'dashboard.js'))]),
    merge: readFileSync(join(PUBLIC_DIR, 'level-merge.js')),
    style: readFileSync(join(PUBLIC_DIR, 'dashboard.css')),
    charts: readFileSync(chartsScriptPath()),
  };
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, async (_request, reply) => reply.redirect('/dashboard'));
  app.get('/dashboard', hidden, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(files.page),
  );
  app.get('/dashboard/dashboard.js', hidden, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(files.script),
  );
  app.get('/dashboard/level-merge.js', hidden, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(files.merge),
  );
  app.get('/dashboard/dashboard.css', hidden, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(files.style),
  );
  app.get('/dashboard/lightweight-charts.js', hidden, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(files.charts),
  );
}
