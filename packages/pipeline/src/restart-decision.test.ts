import { describe, expect, it } from 'vitest';
import { decideRestart, type RestartRecord } from './restart-decision.js';

const at = { 'ticks:0': '100', 'fx:0': '7' };
const later = { 'ticks:0': '140', 'fx:0': '7' };

/** Starts runs that all crash, from the given points, returning each verdict's mode. */
function crashLoop(points: (typeof at | null)[], restarts = 3): string[] {
  let record: RestartRecord | null = null;
  return points.map((from) => {
    const decided = decideRestart(record, from, restarts);
    record = decided.record;
    return `${decided.verdict.mode}:${decided.verdict.crashes}`;
  });
}

describe('decideRestart', () => {
  it('starts normally after a clean stop (no record left)', () => {
    expect(decideRestart(null, at, 3)).toEqual({
      verdict: { mode: 'normal', crashes: 0 },
      record: { offsets: '{"fx:0":"7","ticks:0":"100"}', crashes: 0, isolated: false, stopped: false },
    });
  });

  it('isolates after N − 1 crashes at one offset, and poisons the record the isolated run crashed on', () => {
    // The third run crashes alone on the record after `later`: three crashes caused by one record.
    expect(crashLoop([at, at, at, later, later])).toEqual([
      'normal:0',
      'normal:1',
      'isolate:2',
      'poison:1',
      'normal:1',
    ]);
  });

  it('poisons at once when the isolated run crashed before committing anything', () => {
    expect(crashLoop([at, at, at, at])).toEqual(['normal:0', 'normal:1', 'isolate:2', 'poison:3']);
  });

  it('starts counting again when a crashed run had got past its start point', () => {
    expect(crashLoop([at, later, later, at])).toEqual(['normal:0', 'normal:1', 'isolate:2', 'poison:1']);
    expect(crashLoop([at, at, later, later], 4)).toEqual(['normal:0', 'normal:1', 'normal:1', 'normal:2']);
  });

  it('does not count a run an outage ended, nor poison after it, but keeps the crashes before it', () => {
    const crashed = decideRestart(decideRestart(null, at, 3).record, at, 3).record;
    expect(crashed.crashes).toBe(1);
    const afterOutage = decideRestart({ ...crashed, stopped: true }, at, 3);
    expect(afterOutage.verdict).toEqual({ mode: 'normal', crashes: 1 });
    const isolating = { ...decideRestart(crashed, at, 3).record, stopped: true };
    expect(isolating.isolated).toBe(true);
    expect(decideRestart(isolating, at, 3).verdict).toEqual({ mode: 'isolate', crashes: 2 });
    expect(decideRestart(isolating, later, 3).verdict).toEqual({ mode: 'normal', crashes: 0 });
  });

  it('counts a crash loop from the very beginning of the input', () => {
    expect(crashLoop([null, null, null, null])).toEqual(['normal:0', 'normal:1', 'isolate:2', 'poison:3']);
  });
});
