export type { KeyLayout } from './key-layout.js';
export { createKeyLayout, DEFAULT_KEY_PREFIX } from './key-layout.js';
export {
  maskedRedisUrl,
  type OpenRedisOptions,
  openRedis,
  RedisCertificateError,
  RedisCredentialsError,
  RedisUnavailableError,
} from './open-redis.js';
export type {
  IndexProjection,
  ProjectedConstituent,
  Projection,
  ProjectionEntry,
  ProjectionFields,
} from './projection.js';
export { buildProjection, parseIndexProjection } from './projection.js';
export {
  EngineSnapshotShapeError,
  InvalidKeyPartError,
  InvalidSnapshotError,
  isRetriableRedisFailure,
  RedisOperationError,
  RedisStateError,
  StateStoreClosedError,
  StoredStateError,
  VersionConflictError,
} from './redis-errors.js';
export { redisProbe } from './redis-probe.js';
export {
  parseRecord as parseRestartRecord,
  RedisRestartTracker,
  type RedisRestartTrackerOptions,
} from './redis-restart-tracker.js';
export type { RedisStateStoreOptions } from './redis-state-store.js';
export { EMPTY_PROJECTION, RedisStateStore } from './redis-state-store.js';
export {
  REDIS_URL_HINT,
  REDIS_URL_PATTERN,
  RedisUrlError,
  redisTarget,
  SENTINEL_SCHEME,
} from './redis-target.js';
export {
  REDIS_TLS_CA_FILE,
  RedisTlsConfigError,
  redisTlsCaFileFromEnv,
  redisTlsOptions,
  redisTlsProblem,
} from './redis-tls.js';
