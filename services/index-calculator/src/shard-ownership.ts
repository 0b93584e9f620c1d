/** One shard's pipeline, running in this process. */
export interface RunningShard {
  /** Settles once the pipeline has ended and its adapters are closed; rejects when it failed. */
  readonly done: Promise<void>;
  /** Finishes the current batch, commits it, closes the adapters; resolves when closed. */
  stop(): Promise<void>;
  readonly ready: boolean;
}

/** How a shard is started: the Kafka/Redis wiring, kept out of the ownership rules. */
export interface ShardLauncher {
  /**
   * Resolves once no other process runs the shard (its input consumer group has no member), or
   * as soon as `cancelled()` turns true. A previous owner that crashed holds the group until its
   * session times out; one that was revoked leaves it after committing its last batch.
   */
  waitUntilFree(shard: number, cancelled: () => boolean): Promise<void>;
  start(shard: number): Promise<RunningShard>;
}

export interface OwnershipLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

interface Holding {
  cancelled: boolean;
  running: RunningShard | null;
  loop: Promise<void>;
}

/**
 * Keeps the shards this instance is assigned running, and only those. A newly assigned shard is
 * started once its previous owner is gone; a revoked one is stopped after its current batch. A
 * shard whose pipeline fails (Kafka fenced it, Redis refused a stale version) is restarted from its
 * last committed batch while it stays assigned: crash-only, per shard.
 */
export class ShardOwnership {
  readonly #held = new Map<number, Holding>();
  /** Shards being released here: a re-assignment waits for the release before starting again. */
  readonly #releasing = new Map<number, Promise<void>>();

  constructor(
    private readonly deps: {
      readonly launcher: ShardLauncher;
      readonly logger: OwnershipLogger;
      readonly retryDelayMs: number;
      readonly sleep: (ms: number) => Promise<void>;
    },
  ) {}

  /** The shards currently held, ascending. */
  get owned(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  /** True when every held shard's pipeline has recovered and is running. */
  get ready(): boolean {
    for (const holding of this.#held.values()) if (!holding.running?.ready) return false;
    return true;
  }

  /** Applies a new assignment (the group's whole answer for this instance, not a delta). */
  assign(shards: readonly number[]): void {
    const wanted = new Set(shards);
    for (const shard of [...this.#held.keys()]) if (!wanted.has(shard)) this.#release(shard);
    for (const shard of wanted) {
      if (this.#held.has(shard)) continue;
      const holding: Holding = { cancelled: false, running: null, loop: Promise.resolve() };
      holding.loop = this.#hold(shard, holding, this.#releasing.get(shard) ?? Promise.resolve());
      this.#held.set(shard, holding);
    }
    this.deps.logger.info({ shards: this.owned }, 'shards assigned');
  }

  /** Stops every held shard (each finishes and commits its batch); resolves when all are closed. */
  async releaseAll(): Promise<void> {
    for (const shard of [...this.#held.keys()]) this.#release(shard);
    await Promise.all(this.#releasing.values());
  }

  #release(shard: number): void {
    const holding = this.#held.get(shard);
    if (holding === undefined) return;
    this.#held.delete(shard);
    holding.cancelled = true;
    const released = (async () => {
      await holding.running?.stop();
      await holding.loop;
      this.deps.logger.info({ shard }, 'shard released');
    })();
    this.#releasing.set(shard, released);
    void released.finally(() => {
      if (this.#releasing.get(shard) === released) this.#releasing.delete(shard);
    });
  }

  async #hold(shard: number, holding: Holding, previous: Promise<void>): Promise<void> {
    await previous;
    const { launcher, logger } = this.deps;
    while (!holding.cancelled) {
      try {
        await launcher.waitUntilFree(shard, () => holding.cancelled);
        if (holding.cancelled) return;
        const running = await launcher.start(shard);
        holding.running = running;
        logger.info({ shard }, 'shard started');
        // A release that came during start() found nothing to stop: stop it here.
        if (holding.cancelled) {
          await running.stop();
          return;
        }
        await running.done;
        if (holding.cancelled) return;
        logger.warn({ shard }, 'shard pipeline ended without being stopped; restarting it');
      } catch (error) {
        if (holding.cancelled) return;
        logger.error({ shard, err: error }, 'shard failed; restarting it from its last committed batch');
      } finally {
        if (!holding.cancelled) holding.running = null;
      }
      await this.deps.sleep(this.deps.retryDelayMs);
    }
  }
}
