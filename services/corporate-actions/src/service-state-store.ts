import type { Redis } from 'ioredis';

// Where the corporate-actions service keeps its register's state (the FX filter keeps its state in
// the pipeline's two-phase store, under the id `ca:<serviceId>:fx`; see fx-filter.ts). Every key carries the hash tag
// `{ca:<serviceId>}`, so the Lua script that writes several of them works on Redis Cluster, and no
// key is shared with a calculator (whose keys are tagged `{<calculatorId>}`): each key has one writer.
//
//   <prefix>:{ca:<id>}:register            hash  version, offset (next actions-topic offset), snapshot (JSON)
//   <prefix>:{ca:<id>}:adjustment:<date>   hash  record (the published IndexAdjustment, JSON)
//   <prefix>:{ca:<id>}:proforma:<date>     hash  <indexId> → pro-forma JSON (old/new divisor, shares, prices)
//
// Writes are compare-and-set on `version`: a second instance (or a zombie) that read an older
// version fails with StateVersionConflictError instead of overwriting newer state.

const SAVE_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'version')
if (current or '0') ~= ARGV[1] then
  return redis.error_reply('VERSION_CONFLICT ' .. (current or '0'))
end
local next = tostring(tonumber(ARGV[1]) + 1)
redis.call('HSET', KEYS[1], 'version', next, 'offset', ARGV[2], 'snapshot', ARGV[3])
if #KEYS >= 3 then
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('HSET', KEYS[2], 'record', ARGV[4])
  for i = 5, #ARGV, 2 do
    redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  end
end
return next
`;

export type StateName = 'register';

export interface StoredState<T> {
  readonly version: number;
  /** Next offset of the input topic to process (everything before it is in `snapshot`). */
  readonly offset: string;
  readonly snapshot: T;
}

/** Another writer saved a newer version since this one was read. */
export class StateVersionConflictError extends Error {
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly found: string,
  ) {
    super(`${key}: expected version ${expected}, found ${found}; another instance is writing this state`);
    this.name = 'StateVersionConflictError';
  }
}

/** The stored JSON could not be read back. */
export class StoredServiceStateError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {
    super(`${key}: stored state is unreadable: ${JSON.stringify(value)?.slice(0, 200)}`);
    this.name = 'StoredServiceStateError';
  }
}

interface ScriptRedis extends Redis {
  indexflowCaSave(numKeys: number, ...args: string[]): Promise<string>;
}

export class ServiceStateStore {
  readonly #redis: ScriptRedis;
  readonly #base: string;

  constructor(redis: Redis, options: { serviceId: string; prefix?: string }) {
    redis.defineCommand('indexflowCaSave', { lua: SAVE_SCRIPT });
    this.#redis = redis as ScriptRedis;
    this.#base = `${options.prefix || 'indexflow'}:{ca:${options.serviceId}}:`;
  }

  key(name: string): string {
    return `${this.#base}${name}`;
  }

  async load<T>(name: StateName): Promise<StoredState<T> | null> {
    const key = this.key(name);
    const fields = await this.#redis.hgetall(key);
    if (Object.keys(fields).length === 0) return null;
    const version = Number(fields.version);
    if (!Number.isSafeInteger(version) || version < 1 || fields.offset === undefined)
      throw new StoredServiceStateError(key, fields);
    try {
      return { version, offset: fields.offset, snapshot: JSON.parse(fields.snapshot ?? '') as T };
    } catch {
      throw new StoredServiceStateError(key, fields.snapshot);
    }
  }

  /**
   * Saves a new version of `name` if the stored one is still `expectedVersion` (0 = none), and in
   * the same atomic step, when given, a published adjustment and its per-index pro-forma.
   */
  async save<T>(
    name: StateName,
    expectedVersion: number,
    offset: string,
    snapshot: T,
    published?: { date: string; record: unknown; proforma: ReadonlyMap<string, unknown> },
  ): Promise<number> {
    const key = this.key(name);
    const keys = [key];
    const args = [String(expectedVersion), offset, JSON.stringify(snapshot)];
    if (published) {
      keys.push(this.key(`adjustment:${published.date}`), this.key(`proforma:${published.date}`));
      args.push(JSON.stringify(published.record));
      for (const [indexId, value] of published.proforma) args.push(indexId, JSON.stringify(value));
    }
    try {
      return Number(await this.#redis.indexflowCaSave(keys.length, ...keys, ...args));
    } catch (error) {
      const match = /VERSION_CONFLICT (\S+)/.exec(String((error as Error).message));
      if (match) throw new StateVersionConflictError(key, expectedVersion, match[1]!);
      throw error;
    }
  }

  /** The published adjustment of a date, as saved with the register (null when not published). */
  async readAdjustment(date: string): Promise<unknown> {
    const text = await this.#redis.hget(this.key(`adjustment:${date}`), 'record');
    return text === null ? null : JSON.parse(text);
  }

  async readProforma(date: string): Promise<Record<string, unknown>> {
    const fields = await this.#redis.hgetall(this.key(`proforma:${date}`));
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, JSON.parse(v)]));
  }
}
