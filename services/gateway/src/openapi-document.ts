// The OpenAPI 3.1 document (GET /openapi.json): its header, the security schemes, and the shared
// schemas (openapi-schemas.ts) that the routes' own schemas refer to.
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { constituentsSchema, errorSchema, levelSchema } from './openapi-schemas.js';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'IndexFlow desk gateway',
        version: '0.1.0',
        description:
          'Live and intraday index levels. Every decimal is an exact string. Authenticate with `x-api-key` ' +
          'or `Authorization: Bearer <JWT>`. Live feed: WebSocket at /v1/ws, Server-Sent Events at /v1/stream.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  app.addSchema(levelSchema);
  app.addSchema(constituentsSchema);
  app.addSchema(errorSchema);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
