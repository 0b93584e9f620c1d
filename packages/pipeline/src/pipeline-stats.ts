/** Counters a driver exposes as metrics or progress; updated by the pipeline loop. */
export interface PipelineStats {
  recordsIn: number;
  events: number;
  levelsOut: number;
  rejectedByReason: Map<string, number>;
  batches: number;
  /** Levels recomputed during recovery but not republished (they were already committed). */
  levelsSuppressed: number;
}

export function createPipelineStats(): PipelineStats {
  return {
    recordsIn: 0,
    events: 0,
    levelsOut: 0,
    rejectedByReason: new Map(),
    batches: 0,
    levelsSuppressed: 0,
  };
}
