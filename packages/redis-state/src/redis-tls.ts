import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { RedisStateError } from './redis-errors.js';

/** The setting that names the PEM file of the CA that signed Redis's certificate. */
export const REDIS_TLS_CA_FILE = 'REDIS_TLS_CA_FILE';

/** REDIS_TLS_CA_FILE is unusable; names the key and the file, never the URL's password. */
export class RedisTlsConfigError extends RedisStateError {
  readonly key = REDIS_TLS_CA_FILE;

  constructor(message: string) {
    super(`${REDIS_TLS_CA_FILE}: ${message}`, { retriable: false });
  }
}

/**
 * Reads and checks REDIS_TLS_CA_FILE: a PEM certificate file, only with a `rediss://` REDIS_URL
 * (a plain or Sentinel URL would leave it silently unused). Returns the path, or undefined when
 * unset (then the system's CAs verify Redis's certificate).
 */
export function redisTlsCaFileFromEnv(env: Record<string, string | undefined>): string | undefined {
  const caFile = env[REDIS_TLS_CA_FILE] || undefined;
  if (caFile !== undefined) redisTlsOptions(env.REDIS_URL ?? '', caFile);
  return caFile;
}

/** The setting's problem as `REDIS_TLS_CA_FILE: message` for a config report, or null when usable. */
export function redisTlsProblem(env: Record<string, string | undefined>): string | null {
  try {
    redisTlsCaFileFromEnv(env);
    return null;
  } catch (error) {
    if (error instanceof RedisTlsConfigError) return error.message;
    throw error;
  }
}

/**
 * ioredis's options to trust `caFile` (and only it) for the `rediss://` server at `url`; none
 * without a file. Throws RedisTlsConfigError when the URL is not `rediss://` or the file is no
 * PEM certificate.
 */
export function redisTlsOptions(url: string, caFile: string | undefined): RedisOptions {
  if (caFile === undefined) return {};
  const scheme = /^([a-z+]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'rediss')
    throw new RedisTlsConfigError(
      `needs a TLS REDIS_URL (rediss://host:port), not ${scheme === undefined ? 'an unset one' : `${scheme}://`}`,
    );
  return { tls: { ca: readCaCertificate(caFile) } };
}

function readCaCertificate(caFile: string): string {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new RedisTlsConfigError(`cannot be read: ${(error as Error).message.slice(0, 200)}`);
  }
  try {
    new X509Certificate(pem);
  } catch {
    throw new RedisTlsConfigError(`${caFile.slice(0, 200)} holds no PEM certificate`);
  }
  return pem;
}
