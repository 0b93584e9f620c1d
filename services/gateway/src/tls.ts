// TLS for the desk port: TLS_CERT_FILE and TLS_KEY_FILE (PEM) are read and checked once at start,
// so a wrong path or a key that does not match the certificate stops the gateway with the setting
// named, instead of failing inside fastify's server construction or on the first handshake. The ops
// port (metrics, health) stays plain HTTP: it listens on loopback by default and carries no desk data.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { GatewayConfig } from './config.js';

type TlsSetting = 'TLS_CERT_FILE' | 'TLS_KEY_FILE';

/** The configured TLS files cannot be used; names the setting and path, never the key's contents. */
export class TlsConfigError extends Error {
  constructor(
    readonly setting: TlsSetting,
    readonly path: string,
    readonly reason: string,
    cause: unknown,
  ) {
    super(`${setting} ${path}: ${reason}`, { cause });
    this.name = 'TlsConfigError';
  }
}

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

function read(setting: TlsSetting, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new TlsConfigError(
      setting,
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      error,
    );
  }
}

/** The certificate and key to serve HTTPS and WSS with, or undefined for plain HTTP. */
export function tlsFilesOf(
  config: Pick<GatewayConfig, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>,
): TlsFiles | undefined {
  // loadConfig already refuses one without the other; both are tested so the types narrow.
  if (config.TLS_CERT_FILE === undefined || config.TLS_KEY_FILE === undefined) return undefined;
  const files = {
    cert: read('TLS_CERT_FILE', config.TLS_CERT_FILE),
    key: read('TLS_KEY_FILE', config.TLS_KEY_FILE),
  };
  try {
    createSecureContext(files);
  } catch (error) {
    // OpenSSL's message (e.g. "key values mismatch", "no start line") says what is wrong, not the key.
    throw new TlsConfigError(
      'TLS_KEY_FILE',
      config.TLS_KEY_FILE,
      `is not a PEM private key matching TLS_CERT_FILE ${config.TLS_CERT_FILE} (${(error as Error).message})`,
      error,
    );
  }
  return files;
}
