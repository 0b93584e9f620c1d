// librdkafka's codes (rdkafka.h): ERR__FENCED, ERR_INVALID_PRODUCER_EPOCH, ERR_PRODUCER_FENCED.
const FENCED_CODES = new Set([-144, 47, 90]);
const FENCED_TYPES = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH']);

/**
 * Whether a failure (or one of its causes) says another producer took over this transactional id:
 * a newer instance of the same calculator runs, so this one must stop rather than recover and
 * fence it back.
 */
export function isFencedFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 8; depth += 1) {
    const fields = e as { code?: unknown; type?: unknown; cause?: unknown };
    if (typeof fields.code === 'number' && FENCED_CODES.has(fields.code)) return true;
    if (typeof fields.type === 'string' && FENCED_TYPES.has(fields.type)) return true;
    e = fields.cause;
  }
  return false;
}
