import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DIR } from '@indexflow/seed-indices';

/**
 * The three-day corporate-actions scenario on the seed indices, in the offline-replay format:
 * day 2 a split (A-share), a bonus issue (A-share) and an HKD rights issue; day 3 an HKD cash
 * dividend and a constituent replacement in 995366.SSI; an FX move in the lunch break with no
 * price change, an FX spike the filter must refuse, USD legs only on day 1 (crossed), and a
 * three-hour FX gap on day 3 (stale FX). Deterministic: a fixed LCG drives the prices.
 */
export const SCENARIO_DAYS = ['2025-03-24', '2025-03-25', '2025-03-26'] as const;
export const FX_MAX_AGE_MS = 3_600_000;
export const FX_MAX_JUMP = '0.05';
export const DIVIDEND = { symbol: '0700.HK', amount: '2.5' };

export interface RawFxRow {
  readonly ts: string;
  readonly pair: string;
  readonly rate: string;
}

export interface ScenarioDataset {
  /** Full dataset: indices, ticks.csv (with sequence), fx.csv, actions.csv. */
  readonly dir: string;
  /** The same without fx.csv and actions.csv: what a tick feed produces. */
  readonly ticksOnlyDir: string;
  /** Per day, the actions file an operator imports before that day (absent: none). */
  readonly actionsFiles: ReadonlyMap<string, string>;
  readonly fxByDay: ReadonlyMap<string, RawFxRow[]>;
}

const ACTIONS: Record<string, string[]> = {
  '2025-03-25': [
    '2025-03-25,split,688041.SH,,2,,,',
    '2025-03-25,bonus,300017.SZ,,0.4,,,',
    '2025-03-25,rights,1024.HK,,0.2,45,,',
  ],
  '2025-03-26': [
    `2025-03-26,cash_dividend,${DIVIDEND.symbol},,,,${DIVIDEND.amount},`,
    '2025-03-26,delete,9888.HK,995366.SSI,,,,',
    '2025-03-26,add,9618.HK,995366.SSI,,130.00,,300000',
  ],
};

/** What each day's actions do to a price, so the simulated next prints start near the reference. */
const EX_FACTOR: Record<string, Record<string, (p: number) => number>> = {
  '2025-03-25': {
    '688041.SH': (p) => p / 2,
    '300017.SZ': (p) => p / 1.4,
    '1024.HK': (p) => (p + 45 * 0.2) / 1.2,
  },
  '2025-03-26': { '0700.HK': (p) => p - 2.5 },
};

function times(day: string, from: string, to: string, stepMinutes: number): string[] {
  const out: string[] = [];
  const [fh, fm] = from.split(':').map(Number) as [number, number];
  const [th, tm] = to.split(':').map(Number) as [number, number];
  for (let m = fh * 60 + fm; m <= th * 60 + tm; m += stepMinutes) {
    out.push(
      `${day}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00+08:00`,
    );
  }
  return out;
}

function firstPrices(): Map<string, number> {
  const prices = new Map<string, number>();
  for (const line of readFileSync(join(SAMPLE_DIR, 'ticks.csv'), 'utf8').split('\n').slice(1)) {
    const [, symbol, price] = line.split(',');
    if (symbol && price && !prices.has(symbol)) prices.set(symbol, Number(price));
  }
  return prices;
}

function fxRows(day: string, index: number): RawFxRow[] {
  const at = (hhmm: string) => `${day}T${hhmm}:00+08:00`;
  if (index === 0) {
    const rows: RawFxRow[] = [{ ts: at('08:30'), pair: 'USDHKD', rate: '7.7750' }];
    ['08:30', '09:30', '10:30', '11:30', '13:30', '14:30', '15:30', '16:30'].forEach((t, i) => {
      rows.push({ ts: at(t), pair: 'USDCNY', rate: (7.245 + i * 0.0007).toFixed(4) });
    });
    rows.push({ ts: at('13:00'), pair: 'USDHKD', rate: '7.7760' });
    return rows.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.pair < b.pair ? -1 : 1));
  }
  if (index === 1) {
    const rows: RawFxRow[] = [];
    times(day, '08:30', '16:30', 30).forEach((ts, i) => {
      rows.push({ ts, pair: 'HKDCNY', rate: (0.932 + (i % 5) * 0.0002).toFixed(4) });
    });
    // A move in the lunch break, when neither market prints: only FX changes the levels.
    rows.push({ ts: at('12:20'), pair: 'HKDCNY', rate: '0.9350' });
    // A fat-fingered spike the jump band must refuse.
    rows.push({ ts: at('14:10'), pair: 'HKDCNY', rate: '0.9900' });
    return rows.sort((a, b) => (a.ts < b.ts ? -1 : 1));
  }
  // Day 3: nothing between 09:30 and 13:30, so HKDCNY is older than FX_MAX_AGE_MS from 10:30.
  return [...times(day, '08:30', '09:30', 30), ...times(day, '13:30', '16:30', 30)].map((ts, i) => ({
    ts,
    pair: 'HKDCNY',
    rate: (0.9335 - i * 0.0001).toFixed(4),
  }));
}

export interface ScenarioOptions {
  /**
   * A rebalance whose new member trades before it joins: 9618.HK prints from day 1, and its `add`
   * on day 3 names no reference price, so it takes the last price the engine kept for it.
   */
  readonly preAddTrading?: boolean;
  /**
   * Bad rows among the good ones, on every day: a negative, a malformed and an out-of-range price,
   * an unparsable time, a row earlier than the one before it, a repeated sequence, and a symbol
   * no index holds. Each is refused (or, the last, kept without output) offline and live alike.
   */
  readonly badRows?: boolean;
}

function withBadRows(lines: readonly string[]): string[] {
  const out = [lines[0]!];
  for (const [i, line] of lines.slice(1).entries()) {
    out.push(line);
    if (i % 97 !== 50) continue;
    const [ts, symbol, , sequence] = line.split(',');
    out.push(
      `${ts},${symbol},-1.00,`,
      `${ts},${symbol},abc,`,
      `${ts},${symbol},1e309,`,
      `not-a-time,${symbol},10.00,`,
      `${ts!.replace(/T\d\d/, 'T00')},${symbol},10.00,`,
      `${ts},${symbol},12.34,${sequence}`,
      `${ts},600000.SH,10.00,`,
    );
  }
  return out;
}

export function buildScenarioDataset(options: ScenarioOptions = {}): ScenarioDataset {
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-ca-scenario-'));
  cpSync(join(SAMPLE_DIR, 'indices'), join(dir, 'indices'), { recursive: true });
  const prices = firstPrices();
  prices.set('9618.HK', 130);
  const symbols = [...prices.keys()].sort();
  let seed = 20250324;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const sequences = new Map<string, number>();
  const tickLines = ['ts,symbol,price,sequence'];
  const fxByDay = new Map<string, RawFxRow[]>();
  const actionsFiles = new Map<string, string>();
  const allActions = ['exDate,type,symbol,index,ratio,price,amount,shares'];
  SCENARIO_DAYS.forEach((day, index) => {
    for (const [symbol, factor] of Object.entries(EX_FACTOR[day] ?? {}))
      prices.set(symbol, factor(prices.get(symbol)!));
    const schedule = [
      ...times(day, '09:30', '11:30', 15),
      ...times(day, '13:00', '15:00', 15),
      ...times(day, '15:15', '16:00', 15),
    ];
    for (const ts of schedule) {
      const hkOnly = ts.slice(11, 16) > '15:00';
      for (const symbol of symbols) {
        const hk = symbol.endsWith('.HK');
        if (hkOnly && !hk) continue;
        if (symbol === '9618.HK' && day !== '2025-03-26' && !options.preAddTrading) continue;
        const next = Math.max(0.01, prices.get(symbol)! * (1 + (random() - 0.5) * 0.008));
        prices.set(symbol, next);
        const sequence = (sequences.get(symbol) ?? 0) + 1;
        sequences.set(symbol, sequence);
        tickLines.push(`${ts},${symbol},${next.toFixed(2)},${sequence}`);
      }
    }
    fxByDay.set(day, fxRows(day, index));
    const actions = ACTIONS[day]?.map((row) =>
      options.preAddTrading
        ? row.replace(',add,9618.HK,995366.SSI,,130.00,', ',add,9618.HK,995366.SSI,,,')
        : row,
    );
    if (actions) {
      const file = join(dir, `actions-${day}.csv`);
      writeFileSync(file, `${[allActions[0], ...actions].join('\n')}\n`);
      actionsFiles.set(day, file);
      allActions.push(...actions);
    }
  });
  const ticks = options.badRows ? withBadRows(tickLines) : tickLines;
  writeFileSync(join(dir, 'ticks.csv'), `${ticks.join('\n')}\n`);
  const fxAll = [...fxByDay.values()].flat();
  writeFileSync(
    join(dir, 'fx.csv'),
    `ts,pair,rate\n${fxAll.map((r) => `${r.ts},${r.pair},${r.rate}`).join('\n')}\n`,
  );
  writeFileSync(join(dir, 'actions.csv'), `${allActions.join('\n')}\n`);
  const ticksOnlyDir = join(dir, 'feed');
  mkdirSync(ticksOnlyDir);
  cpSync(join(dir, 'indices'), join(ticksOnlyDir, 'indices'), { recursive: true });
  cpSync(join(dir, 'ticks.csv'), join(ticksOnlyDir, 'ticks.csv'));
  return { dir, ticksOnlyDir, actionsFiles, fxByDay };
}
