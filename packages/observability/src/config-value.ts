/** Keys whose values are never printed: passwords, secrets, tokens, keys, and desk lists of digests. */
const SECRET_KEY = /PASSWORD|SECRET|TOKEN|KEY|DESKS/;
/** A URL's user and password, wherever one appears in a value (REDIS_URL=redis://:pw@host). */
const USER_INFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi;

/**
 * How a configuration error shows the value it refuses: `missing`, `was set (hidden)` for a
 * secret, or the value with any URL credentials masked and cut to 200 characters. Every service's
 * config errors go through it, so none echoes a password.
 */
export function shownConfigValue(key: string, value: unknown): string {
  if (value === undefined) return 'missing';
  if (SECRET_KEY.test(key)) return 'was set (hidden)';
  return `was ${JSON.stringify(String(value).replace(USER_INFO, '$1***@').slice(0, 200))}`;
}
