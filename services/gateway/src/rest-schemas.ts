// The OpenAPI schemas of the REST routes (rest-routes.ts), as /openapi.json publishes them.

export const errors = {
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

function decimalString() {
  return { type: 'string', description: 'exact decimal, as published' } as const;
}

export const indexListSchema = {
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
};

export const indexDetailSchema = {
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
};

export const historySchema = {
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
};

export const closesSchema = {
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
};
