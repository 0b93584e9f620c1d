import { describe, expect, it } from 'vitest';
import { keepRunning } from '../src/keep-running.js';
import type { Logger } from '../src/root-logger.js';

function harness(outcomes: ('fail' | 'fatal' | 'stop')[]) {
  const events: string[] = [];
  let t = 0;
  let stopping = false;
  let runs = 0;
  const log = {
    error: (obj: { attempt: number; waitMs: number }) =>
      events.push(`error attempt ${obj.attempt} wait ${obj.waitMs}`),
  } as unknown as Logger;
  const options = {
    log,
    what: 'the test',
    start: async () => {
      events.push(`start ${runs + 1}`);
      return runs + 1;
    },
    run: async (runtime: number) => {
      runs += 1;
      t += 1_000;
      const outcome = outcomes[runtime - 1];
      if (outcome === 'stop') {
        stopping = true;
        return;
      }
      throw Object.assign(new Error(outcome === 'fatal' ? 'fenced' : 'broker gone'), {
        fatal: outcome === 'fatal',
      });
    },
    close: async (runtime: number) => {
      events.push(`close ${runtime}`);
    },
    isStopping: () => stopping,
    isFatal: (error: unknown) => (error as { fatal: boolean }).fatal,
    onRuntime: (runtime: number | null) => events.push(`current ${runtime}`),
    onRecovery: () => events.push('recovery'),
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    random: () => 1,
  };
  return { events, options };
}

describe('keepRunning', () => {
  it('recovers from failed runs with growing backoff, closing each runtime, until a clean stop', async () => {
    const { events, options } = harness(['fail', 'fail', 'stop']);
    await keepRunning(options);
    expect(events).toEqual([
      'start 1',
      'current 1',
      'current null',
      'close 1',
      'error attempt 1 wait 500',
      'recovery',
      'start 2',
      'current 2',
      'current null',
      'close 2',
      'error attempt 2 wait 1000',
      'recovery',
      'start 3',
      'current 3',
      'current null',
      'close 3',
    ]);
  });

  it('throws a fatal failure after closing its runtime, without another start', async () => {
    const { events, options } = harness(['fail', 'fatal', 'stop']);
    await expect(keepRunning(options)).rejects.toThrow('fenced');
    expect(events.filter((e) => e.startsWith('start'))).toEqual(['start 1', 'start 2']);
    expect(events.at(-1)).toBe('close 2');
  });

  it('starts nothing once stopping, and resets the backoff after a long healthy run', async () => {
    const { events, options } = harness(['fail', 'fail', 'stop']);
    await keepRunning({ ...options, healthyAfterMs: 1_000 });
    expect(events.filter((e) => e.startsWith('error'))).toEqual([
      'error attempt 1 wait 500',
      'error attempt 1 wait 500',
    ]);
    const stopped = harness([]);
    await keepRunning({ ...stopped.options, isStopping: () => true });
    expect(stopped.events).toEqual([]);
  });
});
