// Errors that are the user's input or set-up, not a crash: a bad dataset or index file (its
// message names the file and field, `<file>: <field>: <reason>`), a KAFKA_CLIENT that names no
// client, a native client that did not build, unusable credentials, an untrusted certificate.
// They are reported without a stack, with exit code 2, in every command. The packages are
// loaded only once a command failed.
export async function isUserError(error: unknown): Promise<boolean> {
  const [dataset, engine, kafka, redis] = await Promise.all([
    import('@indexflow/dataset-files'),
    import('@indexflow/index-engine'),
    import('@indexflow/kafka'),
    import('@indexflow/redis-state'),
  ]);
  return (
    error instanceof dataset.DatasetError ||
    error instanceof engine.IndexDefinitionError ||
    error instanceof kafka.NativeClientUnavailableError ||
    error instanceof kafka.UnknownKafkaClientError ||
    error instanceof kafka.KafkaSecurityConfigError ||
    error instanceof kafka.AclPlanError ||
    error instanceof redis.RedisCredentialsError ||
    error instanceof redis.RedisCertificateError ||
    error instanceof redis.RedisTlsConfigError
  );
}
