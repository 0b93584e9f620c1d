// `indexflow replay --calendar`: a year the bundled calendar does not have (2027), from a file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OfficialClose } from '@indexflow/index-engine';
import { Command } from 'commander';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerReplayCommand } from './replay-command.js';

const dir = mkdtempSync(join(tmpdir(), 'indexflow-replay-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An HK index traded on 2027-12-23 (a full day) and 2027-12-24, a half day in the 2027 file. */
function dataset(): string {
  const at = join(dir, 'dataset');
  mkdirSync(join(at, 'indices'), { recursive: true });
  const index = {
    id: 'HK1',
    initialLevel: '1000',
    constituents: [{ symbol: '00700.HK', shares: '1000' }],
  };
  writeFileSync(join(at, 'indices', 'HK1.json'), JSON.stringify(index));
  writeFileSync(join(at, 'fx.csv'), 'ts,pair,rate\n2027-12-23T09:00:00+08:00,HKDCNY,0.9200\n');
  writeFileSync(
    join(at, 'ticks.csv'),
    [
      'ts,symbol,price',
      '2027-12-23T10:00:00+08:00,00700.HK,400.00',
      '2027-12-23T15:59:00+08:00,00700.HK,401.00',
      '2027-12-24T10:00:00+08:00,00700.HK,402.00',
      '2027-12-24T12:05:00+08:00,00700.HK,403.00',
      // After the half day's 12:10 close: in no close of the 24th.
      '2027-12-24T15:00:00+08:00,00700.HK,404.00',
      '',
    ].join('\n'),
  );
  return at;
}

const calendarFile = join(dir, 'calendar-2027.json');
writeFileSync(
  calendarFile,
  JSON.stringify({
    year: 2027,
    ashare: { holidays: ['2027-01-01'] },
    hk: { holidays: ['2027-01-01'], halfDays: ['2027-12-24', '2027-12-31'] },
  }),
);

let stderr = '';
async function replay(...args: string[]): Promise<number | string | undefined> {
  const program = new Command().exitOverride();
  registerReplayCommand(program);
  await program.parseAsync(['replay', ...args, '--quiet'], { from: 'user' });
  return process.exitCode;
}

const closesIn = (path: string): OfficialClose[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OfficialClose);

describe('indexflow replay --calendar', () => {
  beforeEach(() => {
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((t) => {
      stderr += String(t);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    delete process.env.MARKET_CALENDAR_FILES;
  });

  it('replays 2027 with the file: the half day closes at the file’s 12:10, the full day at 16:10', async () => {
    const closes = join(dir, 'closes.jsonl');
    const code = await replay(
      dataset(),
      '--calendar',
      calendarFile,
      '--out',
      join(dir, 'l.csv'),
      '--closes',
      closes,
    );
    expect(code, stderr).toBeUndefined();
    expect(closesIn(closes).map((c) => [c.tradingDate, c.closeTime, c.level.slice(0, 9)])).toEqual([
      ['2027-12-23', Date.parse('2027-12-23T16:10:00+08:00'), '1002.5000'],
      ['2027-12-24', Date.parse('2027-12-24T12:10:00+08:00'), '1007.5000'],
    ]);
  });

  it('takes the files of MARKET_CALENDAR_FILES when no --calendar is given, as the calculator does', async () => {
    process.env.MARKET_CALENDAR_FILES = calendarFile;
    const closes = join(dir, 'closes-env.jsonl');
    expect(await replay(dataset(), '--out', join(dir, 'l.csv'), '--closes', closes), stderr).toBeUndefined();
    expect(closesIn(closes).map((c) => c.closeTime)).toEqual([
      Date.parse('2027-12-23T16:10:00+08:00'),
      Date.parse('2027-12-24T12:10:00+08:00'),
    ]);
  });

  it('warns once without a calendar for 2027, naming the row and the way to add it, and closes at the regular time as the calculator does', async () => {
    const closes = join(dir, 'closes-gap.jsonl');
    expect(await replay(dataset(), '--out', join(dir, 'l.csv'), '--closes', closes)).toBeUndefined();
    expect(stderr).toContain(
      'warning: ticks.csv:2: 00700.HK on 2027-12-23: the market calendar has no 2027 for HKEX (it has 2025, 2026), ' +
        'so its weekdays are regular sessions with no holiday or half day; give a calendar file for 2027 ' +
        '(--calendar <file>, or MARKET_CALENDAR_FILES; see docs/closes-and-eod.md)\n',
    );
    expect(stderr.match(/warning: /g)).toHaveLength(1);
    // The file's half day is a full day without it: the 24th would close at 16:10, which the
    // data (last tick 15:00) never reaches, so only the 23rd closes, and the 15:00 tick counts.
    expect(closesIn(closes).map((c) => c.closeTime)).toEqual([Date.parse('2027-12-23T16:10:00+08:00')]);
    expect(readFileSync(join(dir, 'l.csv'), 'utf8')).toContain('2027-12-24T07:00:00.000Z');
  });

  it('refuses a bad calendar file before reading the dataset, with its file, JSON path and value', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ year: 2027, hk: { holidays: [], halfDays: ['2027-12-25'] } }));
    await expect(replay(dataset(), '--calendar', bad, '--out', join(dir, 'l.csv'))).rejects.toThrow(
      `${bad}: $.hk.halfDays[0]: is a Saturday or Sunday, never a trading day: do not list it; got "2027-12-25"`,
    );
  });
});
