export { CloseHistoryKeyError, StoredCloseError } from './close-history-errors.js';
export {
  type CloseHistoryKeys,
  closeHistoryKeys,
  DEFAULT_CLOSE_HISTORY_PREFIX,
  dateScore,
} from './close-history-keys.js';
export { type CloseRange, RedisCloseHistory } from './redis-close-history.js';
