// The checks after a fault that read from the running system, each returning what is wrong in
// words (null when nothing is): the levels an independent read_committed reader gets against the
// offline replay, the levels the gateway serves, and a clean stop.
import { Dec, formatFixed } from '@indexflow/index-engine';
import { recordAsRow, sortRows } from '../../integration/support/calculator-environment.js';
import type { CalculatorProcess } from '../../integration/support/calculator-process.js';
import { readLevels } from '../../integration/support/level-reader.js';
import type { FaultServices } from './fault-services.js';
import { fieldsOf, first, levelDifferences } from './level-differences.js';

/** A fresh read_committed reader of the level topic, from the beginning, against the replay. */
export async function checkLevels(run: FaultServices, timeoutMs: number): Promise<string | null> {
  const reader = await readLevels(run.environment, run.environment.topics.indexLevels);
  try {
    const deadline = Date.now() + timeoutMs;
    while (reader.records.length < run.expected.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    // Anything published twice would arrive after the expected count: give it a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 2000));
  } finally {
    await reader.stop();
  }
  return levelDifferences(reader.records.map(recordAsRow), run.expected);
}

interface HistoryDay {
  dates?: string[];
  points?: { eventTime: number; sequence: number; level: string }[];
}

/** Every level of every index, as the gateway serves its history (REST), against the replay. */
export async function checkGateway(run: FaultServices): Promise<string | null> {
  const indices = [...new Set(run.expected.map((row) => fieldsOf(row)[1]!))];
  const history = async (index: string, date?: string) => {
    const query = date === undefined ? '' : `?date=${date}`;
    const url = `http://127.0.0.1:${run.gatewayPort}/v1/indices/${index}/history${query}`;
    return (await (await fetch(url)).json()) as HistoryDay;
  };
  const served: string[] = [];
  for (const index of indices) {
    for (const date of (await history(index)).dates ?? []) {
      for (const point of (await history(index, date)).points ?? [])
        served.push(
          `${new Date(point.eventTime).toISOString()},${index},${formatFixed(new Dec(point.level), 10)},${point.sequence}`,
        );
    }
  }
  const expected = run.expected.map((row) => fieldsOf(row).slice(0, 4).join(','));
  const sorted = sortRows(served);
  if (sorted.length === expected.length && sorted.every((row, i) => row === expected[i])) return null;
  const servedSet = new Set(served);
  const missing = expected.filter((row) => !servedSet.has(row));
  return `${served.length}/${expected.length} levels served, ${missing.length} missing or different${first(missing)}`;
}

/** SIGTERM, then how it ended: its exit code, the signal that ended it, or that it did not (SIGKILLed). */
export async function stop(process: CalculatorProcess, timeoutMs = 30_000): Promise<number | string> {
  const ended = () => process.child.exitCode ?? process.child.signalCode;
  if (ended() !== null) return ended()!;
  process.child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
  if ((await Promise.race([process.exited, timer])) !== 'timeout') return ended() ?? 'no exit code';
  process.child.kill('SIGKILL');
  return `no exit within ${timeoutMs / 1000} s`;
}
