import { Kafka, logLevel } from 'kafkajs';
import { type KafkaSecurity, kafkajsSecurity, processKafkaSecurity } from './kafka-security.js';
import { createKafkajsLogCreator, type StructuredLogger } from './kafkajs-log-bridge.js';

export interface KafkaClientOptions {
  /** Bootstrap brokers as host:port. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Receives kafkajs's own log lines; omit to drop them. */
  readonly logger?: StructuredLogger;
  /** Lowest kafkajs level forwarded to `logger`. Default: WARN, since kafkajs INFO logs every join and commit. */
  readonly logLevel?: logLevel;
  /** TLS and SASL; default: this process's KAFKA_SECURITY_PROTOCOL and KAFKA_SASL_* settings. */
  readonly security?: KafkaSecurity;
}

/** Returns a kafkajs client whose logs go to the injected logger instead of the console. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...kafkajsSecurity(options.security ?? processKafkaSecurity()),
    logLevel: options.logger === undefined ? logLevel.NOTHING : (options.logLevel ?? logLevel.WARN),
    ...(options.logger === undefined ? {} : { logCreator: createKafkajsLogCreator(options.logger) }),
  });
}
