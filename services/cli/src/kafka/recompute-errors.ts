// Errors `indexflow recompute` throws before or while it rebuilds levels. Each carries the value
// that was wrong and says whether running the same command again can help (`retriable`).

/** Root of the recompute errors. */
export class RecomputeError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable;
  }
}

/**
 * The output topic is one the live system reads or writes (the index-level topic, an input topic,
 * the dead-letter topic…). Recompute refuses it: desks must never see recomputed levels as live.
 */
export class RecomputeTargetError extends RecomputeError {
  readonly topic: string;

  constructor(args: { topic: string; role: string }) {
    super(`--out-topic ${args.topic} is the ${args.role} topic; recompute never writes to a live topic`, {
      retriable: false,
    });
    this.topic = args.topic;
  }
}

/** An input topic does not exist, so there is nothing to rebuild the state from. */
export class RecomputeInputMissingError extends RecomputeError {
  readonly topic: string;

  constructor(args: { topic: string }) {
    super(`input topic ${args.topic} does not exist (is TOPIC_PREFIX right?)`, { retriable: false });
    this.topic = args.topic;
  }
}

/**
 * Retention has deleted the start of an input partition. The state at --from depends on every
 * earlier event (prices, divisor changes, FX), so a rebuild from what is left would not give the
 * levels the calculator published.
 */
export class RecomputeTruncatedInputError extends RecomputeError {
  readonly topic: string;
  readonly partition: number;
  readonly lowOffset: string;

  constructor(args: { topic: string; partition: number; lowOffset: string }) {
    super(
      `input ${args.topic}:${args.partition} now starts at offset ${args.lowOffset}, not 0: retention ` +
        'deleted earlier records, so the state before --from cannot be rebuilt exactly',
      { retriable: false },
    );
    this.topic = args.topic;
    this.partition = args.partition;
    this.lowOffset = args.lowOffset;
  }
}

/** `--index` named indices the definitions do not hold. */
export class RecomputeUnknownIndexError extends RecomputeError {
  readonly indexIds: readonly string[];

  constructor(args: { indexIds: readonly string[]; known: readonly string[] }) {
    super(`--index ${args.indexIds.join(', ')} not in the index definitions (${args.known.join(', ')})`, {
      retriable: false,
    });
    this.indexIds = args.indexIds;
  }
}

/** The run stopped (SIGINT/SIGTERM) before its window was complete; its transaction was aborted. */
export class RecomputeInterruptedError extends RecomputeError {
  readonly levelsDiscarded: number;

  constructor(args: { levelsDiscarded: number }) {
    super(
      `interrupted: the ${args.levelsDiscarded} levels of this run were discarded (transaction aborted)`,
      {
        retriable: true,
      },
    );
    this.levelsDiscarded = args.levelsDiscarded;
  }
}
