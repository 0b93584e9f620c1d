import {
  isRetriableRegistryFailure,
  SchemaRegistryError,
  SchemaUnavailableError,
  UnknownSchemaIdError,
} from './kafka-errors.js';
import { NegativeCache } from './negative-cache.js';

/** How schema ids read from input records are resolved; see docs/calculator.md, "Schema registry policy". */
export interface SchemaLookupPolicy {
  /** Refused ids remembered. Default 1 000. */
  readonly negativeCacheSize?: number;
  /** How long a refused id is remembered. Default 60 000 ms. */
  readonly negativeTtlMs?: number;
  /** Lookups of one id that fail with 5xx/429/no answer before the registry is probed. Default 3. */
  readonly attempts?: number;
  /** Wait before the second attempt, doubled for each further one. Default 200 ms. */
  readonly backoffMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves schema ids with bounded cost per id: an id the registry refuses (404) is remembered
 * (negative cache) and refused without a request; an id whose lookups keep failing with 5xx/429
 * is retried with backoff a bounded number of times, then the registry is probed with another
 * request. If the registry answers the probe, the id alone is broken: it is refused
 * (SchemaUnavailableError, remembered too). If the probe fails as well, the registry is down:
 * the retriable SchemaRegistryError goes up, so good records are never dead-lettered for an
 * outage (the caller fails and restarts later instead).
 */
export class SchemaIdLookup<T> {
  readonly #inflight = new Map<number, Promise<T>>();
  readonly #refused: NegativeCache<number, Error>;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly subject: string,
    private readonly fetch: (id: number) => Promise<T>,
    private readonly probe: () => Promise<unknown>,
    policy: SchemaLookupPolicy = {},
  ) {
    this.#refused = new NegativeCache(policy.negativeCacheSize ?? 1_000, policy.negativeTtlMs ?? 60_000);
    this.#attempts = Math.max(1, policy.attempts ?? 3);
    this.#backoffMs = policy.backoffMs ?? 200;
    this.#now = policy.now ?? Date.now;
    this.#sleep = policy.sleep ?? sleep;
  }

  resolve(id: number): Promise<T> {
    const refused = this.#refused.get(id, this.#now());
    if (refused !== undefined) return Promise.reject(refused);
    let pending = this.#inflight.get(id);
    if (pending === undefined) {
      pending = this.#lookup(id).finally(() => this.#inflight.delete(id));
      this.#inflight.set(id, pending);
    }
    return pending;
  }

  async #lookup(id: number): Promise<T> {
    let last: unknown;
    for (let attempt = 1; attempt <= this.#attempts; attempt += 1) {
      if (attempt > 1) await this.#sleep(this.#backoffMs * 2 ** (attempt - 2));
      try {
        return await this.fetch(id);
      } catch (cause) {
        if (!isRetriableRegistryFailure(cause)) throw this.#refuse(id, this.#permanent(id, cause));
        last = cause;
      }
    }
    try {
      await this.probe();
    } catch {
      throw new SchemaRegistryError({
        subject: this.subject,
        cause: last,
        retriable: true,
        operation: `schema lookup by id ${id} (${this.#attempts} attempts, registry unreachable)`,
      });
    }
    throw this.#refuse(
      id,
      new SchemaUnavailableError({
        subject: this.subject,
        schemaId: id,
        attempts: this.#attempts,
        cause: last,
      }),
    );
  }

  // A registry answer (404, 422) means the id is unknown; anything else (a schema the decoder
  // cannot parse) is rethrown as it is, for the caller to classify.
  #permanent(id: number, cause: unknown): Error {
    const answered = typeof cause === 'object' && cause !== null && 'status' in cause;
    if (answered) return new UnknownSchemaIdError({ subject: this.subject, schemaId: id, cause });
    return cause instanceof Error ? cause : new Error(String(cause));
  }

  #refuse(id: number, error: Error): Error {
    this.#refused.set(id, error, this.#now());
    return error;
  }
}
