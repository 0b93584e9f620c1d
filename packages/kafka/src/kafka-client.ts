import { Kafka, logLevel } from 'kafkajs';
import { createKafkajsLogCreator, type StructuredLogger } from './kafkajs-log-bridge.js';

export interface KafkaClientOptions {
  /** Bootstrap brokers as host:port. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Receives kafkajs's own log lines; omit to drop them. */
  readonly logger?: StructuredLogger;
  /** Lowest kafkajs level forwarded to `logger`. Default: WARN, since kafkajs INFO logs every join and commit. */
  readonly logLevel?: logLevel;
}

/** Returns a kafkajs client whose logs go to the injected logger instead of the console. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: options.logger === undefined ? logLevel.NOTHING : (options.logLevel ?? logLevel.WARN),
    ...(options.logger === undefined ? {} : { logCreator: createKafkajsLogCreator(options.logger) }),
  });
}
