import type { Client } from '@confluentinc/schemaregistry';
import { schemaRegistryLibrary } from './schema-registry-library.js';

export interface SchemaRegistryClientOptions {
  /** Base URL of a Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7; `mock://` gives an in-memory registry. */
  readonly url: string;
  /** Retries per request for 5xx and network failures. Default: the client's (3). */
  readonly maxRetries?: number;
  /**
   * How long a subject's latest schema is reused before the registry is asked again. Default:
   * forever, so a newly registered version reaches running serializers only after a restart.
   */
  readonly cacheLatestTtlSecs?: number;
}

/**
 * The URL without its user info, and that user info as basic-auth credentials: a registry that
 * wants a password takes it as `https://user:password@host/…`, and the password then never
 * reaches a log line that prints the base URL.
 */
export function splitRegistryUrl(url: string): { baseUrl: string; userInfo?: string } {
  if (url.startsWith('mock://')) return { baseUrl: url };
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { baseUrl: url };
  const userInfo = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { baseUrl: parsed.toString().replace(/\/$/, ''), userInfo };
}

/** Returns a Schema Registry client for `url` (basic auth from its user info, if any). */
export function createSchemaRegistryClient(options: SchemaRegistryClientOptions): Client {
  const { baseUrl, userInfo } = splitRegistryUrl(options.url);
  return schemaRegistryLibrary().SchemaRegistryClient.newClient({
    baseURLs: [baseUrl],
    ...(userInfo === undefined ? {} : { basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo } }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.cacheLatestTtlSecs === undefined ? {} : { cacheLatestTtlSecs: options.cacheLatestTtlSecs }),
  });
}
