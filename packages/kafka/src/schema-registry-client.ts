import { type Client, SchemaRegistryClient } from '@confluentinc/schemaregistry';

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

/** Returns a Schema Registry client for `url`. */
export function createSchemaRegistryClient(options: SchemaRegistryClientOptions): Client {
  return SchemaRegistryClient.newClient({
    baseURLs: [options.url],
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.cacheLatestTtlSecs === undefined ? {} : { cacheLatestTtlSecs: options.cacheLatestTtlSecs }),
  });
}
