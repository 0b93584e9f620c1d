// The one place a command or service turns KAFKA_CLIENT into adapters of the client-neutral
// ports (record-ports.ts) and of the pipeline's event source.

import type { EventSource } from '@indexflow/pipeline';
import type { Kafka } from 'kafkajs';
import { createKafkaClient } from './kafka-client.js';
import type { KafkaClientName } from './kafka-client-choice.js';
import { KafkaEventSource, type KafkaEventSourceOptions } from './kafka-event-source.js';
import { joinKafkajsAssignmentGroup } from './kafkajs-assignment-group.js';
import type { StructuredLogger } from './kafkajs-log-bridge.js';
import {
  openKafkajsRecordProducer,
  openKafkajsTransactionalProducer,
  type TransactionalProducerOptions,
} from './kafkajs-record-producer.js';
import { KafkajsRecordReader } from './kafkajs-record-reader.js';
import { KafkajsTopicAdmin } from './kafkajs-topic-admin.js';
import { joinNativeAssignmentGroup } from './native/native-assignment-group.js';
import { nativeKafka } from './native/native-client.js';
import { NativeEventSource } from './native/native-event-source.js';
import { NativeRecordProducer } from './native/native-record-producer.js';
import { NativeRecordReader } from './native/native-record-reader.js';
import { NativeTopicAdmin } from './native/native-topic-admin.js';
import { openNativeTransactionalProducer } from './native/native-transactional-producer.js';
import type {
  AssignmentGroupOptions,
  AssignmentMembership,
  RecordProducer,
  RecordReader,
  TopicAdmin,
  TransactionalRecordProducer,
} from './record-ports.js';

export interface RecordClientOptions {
  readonly client: KafkaClientName;
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** kafkajs's own log lines (the native client logs nothing here). */
  readonly logger?: StructuredLogger;
}

function kafkajs(options: RecordClientOptions): Kafka {
  return createKafkaClient({
    brokers: options.brokers,
    clientId: options.clientId,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

/** Throws NativeClientUnavailableError (what to do instead) when native is chosen and did not build. */
export function requireKafkaClient(client: KafkaClientName): void {
  if (client === 'native') nativeKafka();
}

export function openRecordProducer(options: RecordClientOptions): Promise<RecordProducer> {
  requireKafkaClient(options.client);
  return options.client === 'native'
    ? NativeRecordProducer.open(options)
    : openKafkajsRecordProducer(kafkajs(options));
}

export function openTransactionalProducer(
  options: RecordClientOptions & TransactionalProducerOptions,
): Promise<TransactionalRecordProducer> {
  requireKafkaClient(options.client);
  return options.client === 'native'
    ? openNativeTransactionalProducer(options)
    : openKafkajsTransactionalProducer(kafkajs(options), options);
}

export function createRecordReader(options: RecordClientOptions): RecordReader {
  requireKafkaClient(options.client);
  const logger = options.logger === undefined ? {} : { logger: options.logger };
  return options.client === 'native'
    ? new NativeRecordReader({ brokers: options.brokers, clientId: options.clientId, ...logger })
    : new KafkajsRecordReader(kafkajs(options), { clientId: options.clientId, ...logger });
}

/** The calculator's event source on the chosen client (the source options both clients share). */
export function createEventSource(
  options: RecordClientOptions & Omit<KafkaEventSourceOptions, 'kafka'>,
): EventSource {
  requireKafkaClient(options.client);
  const { client, brokers, clientId, ...source } = options;
  return client === 'native'
    ? new NativeEventSource({ brokers, clientId, ...source })
    : new KafkaEventSource({ kafka: kafkajs(options), ...source });
}

/** Topic set-up and offset lookups on the chosen client. */
export async function openTopicAdmin(options: RecordClientOptions): Promise<TopicAdmin> {
  requireKafkaClient(options.client);
  return options.client === 'native'
    ? new NativeTopicAdmin({ brokers: options.brokers, clientId: options.clientId })
    : KafkajsTopicAdmin.open(kafkajs(options));
}

/** Joins a consumer group for its partition assignment only (the sharded calculator's leases). */
export function joinAssignmentGroup(
  options: RecordClientOptions & AssignmentGroupOptions,
): Promise<AssignmentMembership> {
  requireKafkaClient(options.client);
  return options.client === 'native'
    ? joinNativeAssignmentGroup(options.brokers, options.clientId, options)
    : joinKafkajsAssignmentGroup(kafkajs(options), options);
}
