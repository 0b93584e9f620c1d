// JSON Schemas of the REST answers. They document the API (OpenAPI at /openapi.json) and drive
// fastify's serialiser, which writes only the properties listed here: keep them complete.
const decimal = { type: 'string', description: 'exact decimal, as published' } as const;
const nullableDecimal = { type: ['string', 'null'], description: 'exact decimal, or null' } as const;

export const levelSchema = {
  $id: 'Level',
  type: 'object',
  description: 'A published index level (index-level.avsc without its constituents)',
  properties: {
    indexId: { type: 'string' },
    currency: { type: 'string' },
    eventTime: { type: 'integer', description: 'epoch milliseconds' },
    sequence: { type: 'integer' },
    trigger: { type: 'string', enum: ['TICK', 'FX_RATE', 'INDEX_ADJUSTMENT', 'SESSION_CLOSE'] },
    triggerSymbol: { type: ['string', 'null'] },
    level: decimal,
    prevClose: nullableDecimal,
    change: nullableDecimal,
    changePercent: nullableDecimal,
    open: nullableDecimal,
    high: nullableDecimal,
    low: nullableDecimal,
    divisor: decimal,
    marketValue: decimal,
    totalReturnLevel: nullableDecimal,
    netTotalReturnLevel: nullableDecimal,
    fxObservation: {
      type: ['object', 'null'],
      properties: {
        observationId: { type: 'string' },
        pair: { type: 'string' },
        rate: decimal,
        eventTime: { type: 'integer' },
      },
    },
    stale: { type: 'boolean' },
  },
} as const;

export const constituentsSchema = {
  $id: 'Constituents',
  type: 'object',
  description:
    'Constituents as of level `sequence`: from the level record when the calculator publishes ' +
    'contributions, otherwise computed exactly from its Redis projection',
  properties: {
    sequence: { type: 'integer' },
    source: { type: 'string', enum: ['level-record', 'projection'] },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          symbol: { type: 'string' },
          indexShares: decimal,
          price: nullableDecimal,
          fxRate: nullableDecimal,
          marketValue: nullableDecimal,
          contribution: nullableDecimal,
          weight: nullableDecimal,
        },
      },
    },
  },
} as const;

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
  },
} as const;
