import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { formatLevelRow, replayDataset, shanghaiMidnight } from '@indexflow/dataset-files';
import type { OfficialClose } from '@indexflow/index-engine';
import { closeToRecord, type IndexCloseRecord, type IndexLevelRecord } from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareEnvironment, recordAsRow, sortRows } from './support/calculator-environment.js';
import {
  type CalculatorProcess,
  serviceEndpoints,
  trackedCalculators,
} from './support/calculator-process.js';
import { trackedCorporateActions } from './support/corporate-actions-process.js';
import { CLI } from './support/entry-points.js';
import { buildScenarioDataset, SCENARIO_DAYS, type ScenarioDataset } from './support/scenario-dataset.js';
import { TopicReader } from './support/topic-reader.js';

/**
 * Live equals replay, through the documented procedure for replaying history into running services
 * (docs/calculator.md): the calculator and the corporate-actions service run with default settings, the operator imports
 * actions with `indexflow actions import` and produces the dataset with `indexflow replay --kafka`,
 * whole or a day at a time. Whatever the procedure, the index-level topic (read_committed) must
 * equal the offline replay of the same dataset: every level, nothing missing, nothing extra.
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const startCalculator = trackedCalculators();
const startService = trackedCorporateActions();
const readers: TopicReader<unknown>[] = [];
/** Each case's readers stop when it ends (idle consumers would load the next cases), together. */
const stopReaders = async () => {
  await Promise.all(readers.splice(0).map((reader) => reader.stop()));
};
afterAll(stopReaders);

const FIRST_DAY = SCENARIO_DAYS[0];
const dayStart = (day: string) => new Date(shanghaiMidnight(day)!).toISOString();
const dayEnd = (day: string) => new Date(shanghaiMidnight(day)! + 86_400_000).toISOString();

/** What a desk reads: the levels (sorted rows) and the official closes (by key, each once). */
interface Published {
  readonly levels: string[];
  readonly closes: IndexCloseRecord[];
}

const byKey = (closes: IndexCloseRecord[]) =>
  [...closes].sort((a, b) => (`${a.indexId}:${a.tradingDate}` < `${b.indexId}:${b.tradingDate}` ? -1 : 1));

async function offlineReplay(dir: string): Promise<Published> {
  const rows: string[] = [];
  const closes: OfficialClose[] = [];
  await replayDataset(dir, {
    onLevel: (level) => rows.push(formatLevelRow(level)),
    onClose: (close) => closes.push(close),
  });
  return { levels: sortRows(rows), closes: byKey(closes.map((close) => closeToRecord(close))) };
}

/** What a procedure can do, as an operator would: CLI commands and the calculator's life cycle. */
interface Operator {
  importActions(file: string): Promise<void>;
  replay(range?: { from: string; to: string }): Promise<void>;
  killCalculator(): Promise<void>;
  startCalculator(): void;
  levels(): number;
}

type Procedure = (operator: Operator, scenario: ScenarioDataset, expected: number) => Promise<void>;

const allFirstThenWhole: Procedure = async (operator, scenario) => {
  await operator.importActions(`${scenario.dir}/actions.csv`);
  await operator.replay();
};

const dayByDay =
  (options: { restarts?: boolean; repeatDay?: string } = {}): Procedure =>
  async (operator, scenario, expected) => {
    for (const [index, day] of SCENARIO_DAYS.entries()) {
      const actions = scenario.actionsFiles.get(day);
      if (actions) await operator.importActions(actions);
      // Between days: a crash while the calculator is idle.
      if (options.restarts && index === 1) {
        await operator.killCalculator();
        operator.startCalculator();
      }
      const range = { from: dayStart(day), to: dayEnd(day) };
      if (options.restarts && index === 2) {
        // During a day: a crash once some of the day's levels are out, while the rest flows in.
        const before = operator.levels();
        operator.startCalculator();
        const replaying = operator.replay(range);
        await waitFor(() => operator.levels() > before + 20 || operator.levels() >= expected, {
          timeoutMs: 60_000,
          intervalMs: 20,
        });
        await operator.killCalculator();
        operator.startCalculator();
        await replaying;
        return;
      }
      await operator.replay(range);
      if (day === options.repeatDay) await operator.replay(range);
    }
  };

async function runProcedure(
  scenario: ScenarioDataset,
  procedure: Procedure,
  offline: Published,
): Promise<Published> {
  const expected = offline.levels;
  const endpoints = serviceEndpoints();
  const environment = await prepareEnvironment({ ...endpoints, datasetDir: scenario.dir });
  const { kafka, registry, topics, env } = environment;
  const levels = await new TopicReader<IndexLevelRecord>(kafka, registry, topics.indexLevels).start();
  const deadLetters = await new TopicReader<unknown>(kafka, registry, topics.deadLetter, false).start();
  const closes = await new TopicReader<IndexCloseRecord>(kafka, registry, topics.indexCloses).start();
  readers.push(levels, deadLetters, closes);
  const dead = () =>
    deadLetters.records
      .slice(0, 15)
      .map((r) =>
        ['indexflow-reject-reason', 'indexflow-source-topic', 'indexflow-reject-detail']
          .map((h) => String(r.headers[h]))
          .join(' '),
      )
      .join('\n');
  const service = startService({ ...env, SERVICE_ID: 'it', AS_OF_DATE: FIRST_DAY, SCHEDULE_CHECK_MS: '200' });
  let calculator: CalculatorProcess | null = startCalculator(env);
  const cli = async (args: string[]) => {
    await run(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
  };
  const operator: Operator = {
    importActions: (file) =>
      cli(['actions', 'import', file, '--indices', scenario.dir, '--as-of', FIRST_DAY]),
    replay: (range) =>
      cli(['replay', scenario.dir, '--kafka', ...(range ? ['--from', range.from, '--to', range.to] : [])]),
    killCalculator: async () => {
      if (calculator === null) return;
      calculator.child.kill('SIGKILL');
      await calculator.exited;
      calculator = null;
    },
    startCalculator: () => {
      calculator ??= startCalculator(env);
    },
    levels: () => levels.records.length,
  };
  const live = () => sortRows(levels.records.map((record) => recordAsRow(record.value!)));
  const liveCloses = () => byKey(closes.records.map((record) => record.value!));
  try {
    await procedure(operator, scenario, expected.length);
    operator.startCalculator();
    await waitFor(() => levels.records.length >= expected.length, { timeoutMs: 120_000, intervalMs: 100 });
    // The last day's closes too: the producer's final watermark makes them due, with no later event.
    await waitFor(() => closes.records.length >= offline.closes.length, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    // Anything extra (a repeat, an adjustment applied twice) would arrive right behind.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  } catch (error) {
    const mismatch = firstMismatch(live(), expected);
    throw new Error(
      `${(error as Error).message}; levels ${levels.records.length}/${expected.length}; closes ${closes.records.length}/${offline.closes.length}; ${mismatch}\ndead letters (${deadLetters.records.length}):\n${dead()}\ncalculator:\n${quiet(calculator?.output() ?? '').slice(-4000)}\nservice:\n${service.output().slice(-2000)}`,
    );
  } finally {
    await operator.killCalculator();
    service.child.kill('SIGTERM');
    await service.exited;
    await stopReaders();
  }
  return { levels: live(), closes: liveCloses() };
}

/** Log lines without the routine retries of concurrent transactions. */
const quiet = (output: string) =>
  output
    .split('\n')
    .filter((line) => !/concurrent operation|CONCURRENT_TRANSACTIONS/.test(line))
    .join('\n');

function firstMismatch(live: string[], expected: string[]): string {
  const at = expected.findIndex((row, i) => live[i] !== row);
  return at < 0 ? 'no mismatch' : `first mismatch at ${at}: live ${live[at]} vs offline ${expected[at]}`;
}

/** The documented procedures, each run on every scenario below. */
const PROCEDURES: [string, Procedure][] = [
  [
    '(a) every action imported first, then the whole dataset produced while the calculator runs',
    allFirstThenWhole,
  ],
  ['(b) day by day: that day’s actions, then replay --kafka --from D --to D+1', dayByDay()],
  ['(c) day by day with the calculator SIGKILLed between days and during one', dayByDay({ restarts: true })],
  ['(d) day by day with one day produced twice', dayByDay({ repeatDay: SCENARIO_DAYS[1] })],
];

function eachProcedure(scenario: ScenarioDataset, offline: Promise<Published>) {
  it.each(PROCEDURES)(
    '%s',
    async (_name, procedure) => {
      const expected = await offline;
      expect(await runProcedure(scenario, procedure, expected)).toEqual(expected);
    },
    240_000,
  );
}

describe('live equals replay: corporate actions (split, bonus, HK rights issue, HKD dividend, replacement)', () => {
  const scenario = buildScenarioDataset();
  const offline = offlineReplay(scenario.dir);

  it('has levels on every day and a level for every applied action (the comparison is not vacuous)', async () => {
    const { levels, closes } = await offline;
    for (const day of SCENARIO_DAYS) expect(levels.some((row) => row.startsWith(day))).toBe(true);
    expect(levels.filter((row) => row.includes(',index-adjustment,')).length).toBeGreaterThan(3);
    // A close per index and day, the last day's included (no event follows its close).
    expect(new Set(closes.map((c) => c.tradingDate))).toEqual(new Set(SCENARIO_DAYS));
  });

  eachProcedure(scenario, offline);
});

describe('live equals replay: a rebalance whose new member trades before its add', () => {
  const scenario = buildScenarioDataset({ preAddTrading: true });
  const offline = offlineReplay(scenario.dir);

  it('adds the member at its last kept price, offline (the comparison is not vacuous)', async () => {
    const { levels } = await offline;
    const summary = await replayDataset(scenario.dir, { onLevel: () => {} });
    expect(summary.rejectedByReason).toEqual({});
    expect(levels.some((row) => row.startsWith('2025-03-26') && row.endsWith(',tick,9618.HK'))).toBe(true);
    expect(levels.some((row) => row.startsWith('2025-03-25') && row.endsWith(',tick,9618.HK'))).toBe(false);
  });

  eachProcedure(scenario, offline);
});

describe('live equals replay: a dataset with bad rows among the good ones', () => {
  const scenario = buildScenarioDataset({ badRows: true });
  const offline = offlineReplay(scenario.dir);

  it('refuses every kind of bad row offline (the comparison is not vacuous)', async () => {
    await offline;
    const summary = await replayDataset(scenario.dir, { onLevel: () => {} });
    expect(Object.keys(summary.rejectedByReason).sort()).toEqual([
      'duplicate_sequence',
      'malformed_price',
      'malformed_row',
      'non_positive_price',
      'out_of_order',
      'price_out_of_range',
    ]);
  });

  eachProcedure(scenario, offline);
});
