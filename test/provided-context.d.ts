// Values that test/global-setup.ts provides to integration tests: `inject('kafkaBrokers')` etc.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Comma-separated Kafka bootstrap servers, e.g. `127.0.0.1:9092`. */
    kafkaBrokers: string;
    /** Confluent-compatible Schema Registry base URL, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
    schemaRegistryUrl: string;
    /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
    redisUrl: string;
  }
}

export {};
