export {
  ACL_ROLES,
  type AclGrant,
  type AclOperation,
  type AclPatternType,
  AclPlanError,
  type AclPlanOptions,
  type AclResourceType,
  type AclRole,
  aclPlan,
  aclPrincipal,
  formatAclGrant,
} from './acl-plan.js';
export {
  type AvroSerdes,
  type AvroSerdesOptions,
  createAvroSerdes,
  createReferenceAvroSerdes,
  createTopicSerdes,
} from './avro-serdes.js';
export {
  ACTIONS_IMPORT_CLIENT_ID,
  calculatorGroupId,
  corporateActionsGroupId,
  corporateActionsReaderClientId,
  eodHistoryGroupId,
  gatewayClientId,
  kafkaSafeName,
  readerGroupId,
  readerGroupPrefix,
  recomputeClientIdPrefix,
  SUBSCRIBE_CLIENT_ID,
} from './client-group-ids.js';
export {
  type CloseConstituentRecord,
  type CloseFxRecord,
  closeToRecord,
  type IndexCloseRecord,
  indexCloseKey,
  requireCloseRecord,
} from './close-record.js';
export {
  cutText,
  DEAD_LETTER_BOUNDS,
  DEAD_LETTER_DETAIL_HEADER,
  DEAD_LETTER_LENGTH_HEADER,
  DEAD_LETTER_SHA256_HEADER,
  deadLetterMessage,
} from './dead-letter-message.js';
export { DECODE_REJECT_REASONS, decodeRejectReason } from './decode-rejection.js';
export {
  adjustmentRecords,
  DerivedMessageEncoder,
  type DerivedRecords,
  fxRateRecords,
} from './derived-messages.js';
export { isFencedFailure } from './fenced-failure.js';
export { fxEventToRecord, fxObservationId, fxObservationSequence } from './fx-rate-record.js';
export { createKafkaClient, type KafkaClientOptions } from './kafka-client.js';
export {
  DEFAULT_KAFKA_CLIENT,
  isKafkaClientName,
  KAFKA_CLIENT_NAMES,
  type KafkaClientName,
  kafkaClientFromEnv,
  UnknownKafkaClientError,
} from './kafka-client-choice.js';
export {
  AvroDeserializationError,
  AvroSerializationError,
  EventSourceStartError,
  KafkaAdapterError,
  KafkaOperationError,
  LevelTransactionError,
  RecordShapeError,
  SchemaFileError,
  SchemaRegistryError,
  SchemaUnavailableError,
  UnknownInputTopicError,
  UnknownSchemaIdError,
  UnknownSymbolSuffixError,
} from './kafka-errors.js';
export {
  type InputTopic,
  inputTopic,
  KafkaEventSource,
  type KafkaEventSourceOptions,
} from './kafka-event-source.js';
export {
  KafkaFastLevelPublisher,
  type KafkaFastLevelPublisherOptions,
} from './kafka-fast-level-publisher.js';
export {
  KafkaLevelSink,
  type KafkaLevelSinkOptions,
} from './kafka-level-sink.js';
export {
  KAFKA_SASL_MECHANISMS,
  KAFKA_SECURITY_PROTOCOLS,
  type KafkaSecurity,
  KafkaSecurityConfigError,
  kafkaSecurityFromEnv,
  kafkaSecurityProblem,
} from './kafka-security.js';
export { type AclAdminOptions, KafkajsAclAdmin, kafkajsAclEntry } from './kafkajs-acl-admin.js';
export { createKafkajsLogCreator, type StructuredLogger } from './kafkajs-log-bridge.js';
export { kafkajsRecordProducer, type TransactionalProducerOptions } from './kafkajs-record-producer.js';
export { KafkajsTopicAdmin } from './kafkajs-topic-admin.js';
export { createLevelSizeGuard, encodedBytes, MAX_LEVEL_RECORD_BYTES } from './level-size-guard.js';
export {
  NativeClientUnavailableError,
  nativeKafka,
  nativeKafkaAvailable,
} from './native/native-client.js';
export { NativeEventSource, type NativeEventSourceOptions } from './native/native-event-source.js';
export {
  NativeFastLevelPublisher,
  type NativeFastLevelPublisherOptions,
} from './native/native-fast-level-publisher.js';
export { NativeLevelSink, type NativeLevelSinkOptions } from './native/native-level-sink.js';
export { NegativeCache } from './negative-cache.js';
export { kafkaProbe, type ReadinessProbe, registryProbe } from './readiness-probes.js';
export {
  createEventSource,
  createRecordReader,
  joinAssignmentGroup,
  openRecordProducer,
  openTopicAdmin,
  openTransactionalProducer,
  type RecordClientOptions,
  requireKafkaClient,
} from './record-clients.js';
export {
  adjustmentRecordToEvent,
  fxRecordToEvent,
  type IndexLevelFields,
  type LevelRecordOptions,
  levelToRecord,
  tickRecordToEvent,
} from './record-mapping.js';
export type {
  AssignmentGroupOptions,
  AssignmentMembership,
  ConsumedRecord,
  GroupReadOptions,
  NewTopicSpec,
  PartitionOffsets,
  PartitionStart,
  ProducedRecord,
  RecordBatch,
  RecordHeaders,
  RecordProducer,
  RecordReader,
  RecordTransaction,
  TopicAdmin,
  TransactionalRecordProducer,
} from './record-ports.js';
export type {
  ConstituentContributionRecord,
  ConstituentProformaRecord,
  CorporateActionRecord,
  CorporateActionType,
  DecimalString,
  EpochMillis,
  FxObservationRecord,
  FxRateRecord,
  IndexAdjustmentRecord,
  IndexLevelRecord,
  IndexProformaRecord,
  LevelTrigger,
  Market,
  MarketTickRecord,
  TradingPhase,
} from './record-types.js';
export { ALL_INDICES } from './record-types.js';
export {
  DEFAULT_SCHEMAS_DIR,
  loadSchemaFile,
  loadSchemaFiles,
  SCHEMA_NAMES,
  type SchemaFile,
  type SchemaName,
} from './schema-files.js';
export { SchemaIdLookup, type SchemaLookupPolicy } from './schema-id-lookup.js';
export {
  type RegisteredSchema,
  type RegisterTopicSchemasOptions,
  registerSchema,
  registerTopicSchemas,
  SUBJECT_COMPATIBILITY,
} from './schema-registration.js';
export { createSchemaRegistryClient, type SchemaRegistryClientOptions } from './schema-registry-client.js';
export { ensureTopics, fetchPartitionCounts, type TopicToEnsure } from './topic-admin.js';
export { topicNames } from './topic-names.js';
export {
  ALL_TOPICS,
  AVRO_TOPICS,
  type CleanupPolicy,
  corporateActionKey,
  DEAD_LETTER_HEADERS,
  fxRateKey,
  indexAdjustmentKey,
  indexLevelKey,
  type RecordBySchema,
  TOPICS,
  type TopicKey,
  type TopicName,
  type TopicSpec,
  tickKey,
  tickTopicForSymbol,
  valueSubject,
} from './topics.js';
export {
  readWatermark,
  WATERMARK_FINAL_HEADER,
  WATERMARK_HEADER,
  type Watermark,
  watermarkHeaders,
} from './watermark-record.js';
