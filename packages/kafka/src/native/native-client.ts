import { createRequire } from 'node:module';
import type * as RdKafka from '@confluentinc/kafka-javascript';
import { KafkaAdapterError, KafkaOperationError } from '../kafka-errors.js';
import { nativeSecurity, processKafkaSecurity } from '../kafka-security.js';

export type NativeKafka = typeof RdKafka;
export type { RdKafka };

/** The native client is an optional dependency that did not build or is not installed. */
export class NativeClientUnavailableError extends KafkaAdapterError {
  constructor(cause: unknown) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).slice(0, 200);
    super(
      `KAFKA_CLIENT=native needs @confluentinc/kafka-javascript, which did not load (${reason}); ` +
        'see docs/operations.md, "Native Kafka client", or run with KAFKA_CLIENT=kafkajs',
      { retriable: false, cause },
    );
  }
}

let loaded: NativeKafka | undefined;

/**
 * Loads the native client on first use, so processes on the kafkajs path never load (or need)
 * the compiled addon.
 */
export function nativeKafka(): NativeKafka {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)('@confluentinc/kafka-javascript') as NativeKafka;
  } catch (cause) {
    throw new NativeClientUnavailableError(cause);
  }
  return loaded;
}

/** Whether the native client loads here. */
export function nativeKafkaAvailable(): boolean {
  try {
    nativeKafka();
    return true;
  } catch {
    return false;
  }
}

interface LibrdKafkaFailure {
  readonly code?: number;
  readonly isRetriable?: boolean;
  readonly isFatal?: boolean;
}

/**
 * librdkafka's local codes for brokers that do not answer (down, paused, failing over), which it
 * does not mark retriable: ERR__RESOLVE, ERR__TRANSPORT, ERR__ALL_BROKERS_DOWN, ERR__TIMED_OUT. A
 * service started while the cluster does not answer waits for it instead of exiting on them.
 */
const UNREACHABLE_CODES = new Set([-193, -195, -187, -185]);

/**
 * Wraps a librdkafka failure; retriable when librdkafka says so or the brokers did not answer, and
 * it is not fatal.
 */
export function nativeOperationError(operation: string, target: string, cause: unknown): KafkaOperationError {
  if (cause instanceof KafkaOperationError) return cause;
  const failure = (typeof cause === 'object' && cause !== null ? cause : {}) as LibrdKafkaFailure;
  const transient = failure.isRetriable === true || UNREACHABLE_CODES.has(failure.code ?? 0);
  return new KafkaOperationError({
    operation,
    target,
    cause,
    retriable: transient && failure.isFatal !== true,
  });
}

/** Runs a node-style callback API as a promise, wrapping its error. */
export function viaCallback<T = void>(
  operation: string,
  target: string,
  call: (done: (err: unknown, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      call((err, value) =>
        err ? reject(nativeOperationError(operation, target, err)) : resolve(value as T),
      );
    } catch (error) {
      reject(nativeOperationError(operation, target, error));
    }
  });
}

/** Base configuration of every native client: brokers, a client id and this process's TLS/SASL. */
export function baseConfig(brokers: readonly string[], clientId: string): Record<string, string> {
  return {
    'metadata.broker.list': brokers.join(','),
    'client.id': clientId,
    ...nativeSecurity(processKafkaSecurity()),
  };
}

/** Connects a native client (producer or consumer); the promise settles on `ready` or the error. */
export function connectNative(
  client: RdKafka.Client<string>,
  target: string,
  timeoutMs = 30_000,
): Promise<void> {
  return viaCallback('connect', target, (done) => {
    client.connect({ timeout: timeoutMs }, (err) => done(err));
  });
}

/** Disconnects, ignoring a client that never connected. */
export function disconnectNative(client: RdKafka.Client<string>): Promise<void> {
  if (!client.isConnected()) return Promise.resolve();
  return new Promise((resolve) => client.disconnect(() => resolve()));
}
