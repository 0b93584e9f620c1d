// The StateStore port over Redis: two-phase snapshots (stage, then promote after Kafka commits)
// and a read projection of every index, symbol and FX pair, rewritten by each promote.
import type { InputOffsets, PipelineLogger, StateSnapshot, StateStore } from '@indexflow/pipeline';
import type { Redis } from 'ioredis';
import { createKeyLayout, type KeyLayout } from './key-layout.js';
import { defineStateScripts, type ScriptedRedis } from './lua-scripts.js';
import {
  buildProjection,
  type IndexProjection,
  type Projection,
  parseIndexProjection,
} from './projection.js';
import { promoteArguments } from './promote-arguments.js';
import { decidePending } from './recovery-decision.js';
import {
  RedisOperationError,
  RedisStateError,
  StateStoreClosedError,
  VersionConflictError,
} from './redis-errors.js';
import { decodeSnapshot, encodeSnapshot, type StoredSnapshot } from './snapshot-codec.js';

export interface RedisStateStoreOptions {
  /** The caller owns the connection (it may be shared), so `close()` leaves it open. */
  readonly redis: Redis;
  readonly calculatorId: string;
  /** First part of every key; default `indexflow`. Tests pass a unique name. */
  readonly prefix?: string;
  readonly logger?: PipelineLogger;
  /**
   * The read projection of a snapshot (default: the index engine's, see projection.ts). A
   * processor whose state has no index, symbol or FX-pair view to offer (the FX filter) passes
   * `() => EMPTY_PROJECTION`.
   */
  readonly projection?: (engine: unknown, version: number) => Projection;
}

/** No projection keys: promote rewrites (and leaves) none. */
export const EMPTY_PROJECTION: Projection = { indices: [], symbols: [], fx: [] };

export class RedisStateStore implements StateStore {
  readonly keys: KeyLayout;
  private readonly redis: ScriptedRedis;
  private readonly logger: PipelineLogger | undefined;
  private readonly project: (engine: unknown, version: number) => Projection;
  // What this instance staged last, so promote need not read back what it just wrote.
  private staged: {
    readonly version: number;
    readonly digest: string;
    readonly projection: Projection;
  } | null = null;
  private closed = false;

  constructor(options: RedisStateStoreOptions) {
    this.keys = createKeyLayout({ calculatorId: options.calculatorId, prefix: options.prefix });
    this.redis = defineStateScripts(options.redis);
    this.logger = options.logger;
    this.project = options.projection ?? buildProjection;
  }

  async stage(snapshot: StateSnapshot): Promise<void> {
    this.assertOpen('stage');
    const encoded = encodeSnapshot(snapshot);
    // Built before anything is written: an engine JSON the projection cannot read must be refused
    // now, not at promote, when Kafka has already committed the batch and recovery would be stuck.
    const projection = this.project(snapshot.engine, snapshot.version);
    const { committed, pending } = this.keys;
    await this.run('stage', pending, snapshot.version, () =>
      this.redis.indexflowStateStage(
        committed,
        pending,
        encoded.version,
        encoded.offsets,
        encoded.engine,
        encoded.digest,
      ),
    );
    this.staged = { version: snapshot.version, digest: encoded.digest, projection };
  }

  async promote(version: number): Promise<void> {
    this.assertOpen('promote');
    const staged = this.staged;
    if (staged !== null && staged.version === version) {
      await this.promoteProjection(version, staged.digest, staged.projection);
    } else {
      // Another instance (or a previous run of this one) staged it: build from what Redis holds.
      const pending = await this.readSnapshot(this.keys.pending);
      if (pending === null || pending.snapshot.version !== version) {
        throw new VersionConflictError({
          key: this.keys.pending,
          expected: version,
          found: pending?.snapshot.version ?? null,
        });
      }
      await this.promoteStored(pending);
    }
    this.staged = null;
  }

  async recover(kafkaOffsets: InputOffsets | null): Promise<StateSnapshot | null> {
    this.assertOpen('recover');
    this.staged = null;
    const pending = await this.readSnapshot(this.keys.pending);
    const decision = decidePending(pending, kafkaOffsets);
    if (decision.action === 'promote' && pending !== null) {
      this.logger?.info(
        {
          calculatorId: this.keys.calculatorId,
          version: decision.version,
          offsets: pending.snapshot.offsets,
        },
        'promoting the pending snapshot: Kafka committed its offsets before the previous run stopped',
      );
      const committedBefore = await this.readSnapshot(this.keys.committed);
      if (committedBefore === null && decision.version > 1) {
        // Redis lost the committed snapshot (a restart without persistence) after this one was
        // staged: promote's version check cannot pass, and a lone pending state is not trusted.
        // Dropping it leaves the caller to rebuild from the input, which is always correct.
        this.logger?.warn(
          { calculatorId: this.keys.calculatorId, version: decision.version },
          'discarding a pending snapshot with no committed predecessor: state will be rebuilt',
        );
        await this.discardPending(decision.version);
      } else {
        await this.promoteStored(pending);
      }
    } else if (decision.action === 'discard' && pending !== null) {
      this.logger?.warn(
        {
          calculatorId: this.keys.calculatorId,
          version: decision.version,
          pendingOffsets: pending.snapshot.offsets,
          kafkaOffsets,
        },
        'discarding the pending snapshot: its Kafka transaction did not commit',
      );
      await this.discardPending(decision.version);
    }
    // Wherever it sits: recoverProcessor compares it with Kafka's offsets and decides.
    const committed = await this.readSnapshot(this.keys.committed);
    return committed?.snapshot ?? null;
  }

  /** Deletes the pending snapshot if it is still at `version` (any version when omitted). */
  async discardPending(version?: number): Promise<boolean> {
    this.assertOpen('discardPending');
    const pending = this.keys.pending;
    const deleted = await this.run('discardPending', pending, null, () =>
      this.redis.indexflowStateDiscardPending(pending, version === undefined ? '' : String(version)),
    );
    if (this.staged !== null && (version === undefined || this.staged.version === version))
      this.staged = null;
    return deleted === 1;
  }

  /** The projection of one index as of the last promote; null when the calculator has no such index. */
  async readIndexProjection(indexId: string): Promise<IndexProjection | null> {
    this.assertOpen('readIndexProjection');
    const key = this.keys.index(indexId);
    const fields = await this.run('readIndexProjection', key, null, () => this.redis.hgetall(key));
    return parseIndexProjection(key, indexId, fields);
  }

  /** Ids of the indices the projection holds, sorted. */
  async listIndexIds(): Promise<string[]> {
    this.assertOpen('listIndexIds');
    const key = this.keys.indices;
    const ids = await this.run('listIndexIds', key, null, () => this.redis.smembers(key));
    return ids.sort();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.staged = null;
  }

  private async promoteStored(pending: StoredSnapshot): Promise<void> {
    const { version, engine } = pending.snapshot;
    await this.promoteProjection(version, pending.digest, this.project(engine, version));
  }

  private async promoteProjection(version: number, digest: string, projection: Projection): Promise<void> {
    const call = promoteArguments(this.keys, version, digest, projection);
    await this.run('promote', this.keys.pending, version, () =>
      this.redis.indexflowStatePromote(call.keys.length, ...call.keys, ...call.args),
    );
  }

  private async readSnapshot(key: string): Promise<StoredSnapshot | null> {
    const fields = await this.run('read snapshot', key, null, () => this.redis.hgetall(key));
    return decodeSnapshot(key, fields);
  }

  /**
   * Runs one Redis call and turns its failures into this package's typed errors. `version` is
   * the snapshot version a script call is about (null for plain reads and writes).
   */
  private async run<T>(
    operation: string,
    key: string,
    version: number | null,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.translate(operation, key, version, error);
    }
  }

  // The scripts refuse with `<CODE> <version | none>` (see the headers of lua/*.lua).
  private translate(operation: string, key: string, version: number | null, error: unknown): RedisStateError {
    if (error instanceof RedisStateError) return error;
    const refusal =
      version !== null && error instanceof Error && error.name === 'ReplyError'
        ? /^(VERSION_CONFLICT|PENDING_MISMATCH|PENDING_CHANGED) (\S+)/.exec(error.message)
        : null;
    if (version === null || refusal === null)
      return new RedisOperationError({ operation, key, cause: error });
    const [, code, foundText] = refusal;
    const found = foundText === 'none' || foundText === undefined ? null : Number(foundText);
    switch (code) {
      case 'VERSION_CONFLICT':
        // stage and promote both require the committed version to be the one before theirs.
        return new VersionConflictError({ key: this.keys.committed, expected: version - 1, found });
      case 'PENDING_CHANGED':
        return new VersionConflictError({
          key: this.keys.pending,
          expected: version,
          found,
          detail: 'the pending snapshot was staged again after it was read',
        });
      default:
        return new VersionConflictError({ key: this.keys.pending, expected: version, found });
    }
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new StateStoreClosedError({ calculatorId: this.keys.calculatorId, operation });
  }
}
