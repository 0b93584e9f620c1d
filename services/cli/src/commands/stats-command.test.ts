import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CloseRange } from '@indexflow/close-history';
import type { IndexCloseRecord } from '@indexflow/kafka';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenStatsHistory, registerStatsCommand } from './stats-command.js';

const FIXTURE = fileURLToPath(
  new URL('../../../../packages/index-analytics/test/fixtures/seed-yearly-closes.csv', import.meta.url),
);

/** Official closes of index H (24-dp levels as the engine publishes them), over a year end. */
const HISTORY: Array<[string, string]> = [
  ['2024-12-30', '1000.000000000000000000000000'],
  ['2024-12-31', '1012.345678901234567890123456'],
  ['2025-01-02', '998.765432109876543210987654'],
  ['2025-01-03', '1021.500000000000000000000001'],
  ['2025-01-06', '1030.250000000000000000000000'],
];

/** A close history holding HISTORY for index H; records each range asked for. */
function fakeHistory(asked: CloseRange[]): OpenStatsHistory {
  const records = HISTORY.map(
    ([date, level]) => ({ indexId: 'H', tradingDate: date, level }) as IndexCloseRecord,
  );
  return async () => ({
    history: {
      range: async (indexId: string, range: CloseRange = {}) => {
        asked.push(range);
        return indexId !== 'H'
          ? []
          : records.filter(
              (r) =>
                (range.from === undefined || r.tradingDate >= range.from) &&
                (range.to === undefined || r.tradingDate <= range.to),
            );
      },
    },
    close: () => {},
  });
}

async function run(
  ...args: string[]
): Promise<{ stdout: string; stderr: string; exitCode: number | string | undefined }> {
  return runWith({}, ...args);
}

async function runWith(
  deps: Parameters<typeof registerStatsCommand>[2],
  ...args: string[]
): Promise<{ stdout: string; stderr: string; exitCode: number | string | undefined }> {
  let stdout = '';
  let stderr = '';
  const program = new Command().exitOverride();
  registerStatsCommand(
    program,
    {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    },
    deps,
  );
  await program.parseAsync(['stats', ...args], { from: 'user' });
  return { stdout, stderr, exitCode: process.exitCode };
}

describe('indexflow stats', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints the yearly table of the seed fixture with the conventions', async () => {
    const { stdout, exitCode } = await run('--closes', FIXTURE, '--index', 'AI大模型', '--index', 'AI云计算');
    expect(exitCode).toBeUndefined();
    expect(stdout).toMatch(/累计 Cumulative\s+106\.94%\s+90\.20%/);
    expect(stdout).toContain('Conventions: ');
    expect(stdout).not.toContain('互联网与软件');
  });

  it('writes JSON with the risk-free rate given as a percentage, and a chart', async () => {
    const chart = join(mkdtempSync(join(tmpdir(), 'indexflow-stats-')), 'levels.svg');
    const { stdout } = await run(
      '--closes',
      FIXTURE,
      '--index',
      '互联网与软件',
      '--format',
      'json',
      '--risk-free',
      '1.5%',
      '--chart',
      chart,
    );
    const document = JSON.parse(stdout);
    expect(document.conventions.riskFreeRate).toBe('0.015');
    expect(document.indices).toHaveLength(1);
    expect(readFileSync(chart, 'utf8')).toContain('data-index="互联网与软件"');
  });

  it('writes a PNG chart of the chart’s size, the same bytes for the same closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'indexflow-stats-'));
    const pngs = [join(dir, 'a', 'performance.png'), join(dir, 'b.PNG')];
    for (const png of pngs) {
      const { stderr, exitCode } = await run('--closes', FIXTURE, '--chart', png);
      expect(exitCode).toBeUndefined();
      expect(stderr).toBe(`chart written to ${png}\n`);
    }
    const [first, second] = pngs.map((png) => readFileSync(png));
    expect(first!.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
    expect(first!.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([first!.readUInt32BE(16), first!.readUInt32BE(20)]).toEqual([960, 480]);
    expect(second!.equals(first!)).toBe(true);
    const levels = join(dir, 'levels.png');
    await run('--closes', FIXTURE, '--chart', levels, '--chart-measure', 'level', '--chart-rebase', '1000');
    expect(readFileSync(levels).equals(first!)).toBe(false);
    // Three PNGs, each reading two 8 MB font files: seconds on a busy machine.
  }, 30_000);

  it('refuses a chart file that is neither .png nor .svg, and a rebase of cumulative returns', async () => {
    expect((await run('--closes', FIXTURE, '--chart', 'out.jpg')).stderr).toBe(
      'error: --chart was "out.jpg", expected a file ending in .png or .svg\n',
    );
    expect((await run('--closes', FIXTURE, '--chart', 'out.png', '--chart-rebase', '1000')).stderr).toBe(
      'error: --chart-rebase was "1000", which rebases levels: add --chart-measure level\n',
    );
    expect((await run('--closes', FIXTURE, '--chart-measure', 'returns')).stderr).toBe(
      'error: --chart-measure was "returns", expected one of cumulative, level\n',
    );
    expect(process.exitCode).toBe(2);
  });

  it('shows — and the reason for a day of closes, and the risk-free rate beside the Sharpe figure', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'indexflow-stats-')), 'day.csv');
    writeFileSync(file, 'date,close\n2025-03-19,1000\n2025-03-20,1005.5\n');
    const table = await run('--closes', file, '--risk-free', '1.5%');
    expect(table.stdout).toMatch(/累计 Cumulative\s+0\.55%/);
    expect(table.stdout).toMatch(/年化 Annualised\s+—\n/);
    expect(table.stdout).toMatch(/夏普比率 Sharpe \(rf 1\.5%\)\s+—\n/);
    expect(table.stdout).toContain(
      'annualised only over a year of closes (351+ calendar days); this period has 1 calendar day',
    );
    expect(table.stdout).not.toContain('647');
    const csv = (await run('--closes', file, '--risk-free', '1.5%', '--format', 'csv')).stdout.split('\n');
    const header = csv[1]!.split(',');
    const total = csv.find((line) => line.includes(',total,'))!.split(',');
    expect(total[header.indexOf('annualised_return')]).toBe('');
    expect(total[header.indexOf('risk_free_rate')]).toBe('0.015');
  });

  it('reads --index from the close history: the same numbers as the same closes in a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'indexflow-stats-')), 'h.csv');
    writeFileSync(file, `date,index,close\n${HISTORY.map(([d, l]) => `${d},H,${l}`).join('\n')}\n`);
    const asked: CloseRange[] = [];
    for (const format of ['table', 'json', 'csv']) {
      const fromStore = await runWith(
        { openHistory: fakeHistory(asked) },
        '--index',
        'H',
        '--format',
        format,
      );
      const fromFile = await run('--closes', file, '--index', 'H', '--format', format);
      expect(fromStore.exitCode).toBeUndefined();
      expect(fromStore.stdout).toBe(fromFile.stdout);
    }
    expect(asked).toEqual([{}, {}, {}]);
  });

  it('passes --from/--to to the close history and windows a --closes file alike', async () => {
    const asked: CloseRange[] = [];
    const file = join(mkdtempSync(join(tmpdir(), 'indexflow-stats-')), 'h.csv');
    writeFileSync(file, `date,index,close\n${HISTORY.map(([d, l]) => `${d},H,${l}`).join('\n')}\n`);
    const window = ['--from', '2024-12-31', '--to', '2025-01-03', '--format', 'json'];
    const fromStore = await runWith({ openHistory: fakeHistory(asked) }, '--index', 'H', ...window);
    expect(asked).toEqual([{ from: '2024-12-31', to: '2025-01-03' }]);
    const document = JSON.parse(fromStore.stdout);
    expect(JSON.stringify(document)).toContain('2025-01-03');
    expect(JSON.stringify(document)).not.toContain('2025-01-06');
    expect((await run('--closes', file, ...window)).stdout).toBe(fromStore.stdout);
  });

  it('says when REDIS_URL is unset, the index has no history, or no source is given', async () => {
    const unset = await runWith({ env: {} }, '--index', 'CSI300');
    expect(unset.stderr).toContain('error: set REDIS_URL');
    expect(unset.exitCode).toBe(2);
    process.exitCode = undefined;
    const missing = await runWith({ openHistory: fakeHistory([]) }, '--index', 'CSI300');
    expect(missing.stderr).toBe(
      'error: index CSI300 has no closes in the close history (fill it with `indexflow eod consume` or `indexflow backfill`)\n',
    );
    expect(missing.exitCode).toBe(2);
    process.exitCode = undefined;
    const short = await runWith({ openHistory: fakeHistory([]) }, '--index', 'H', '--from', '2025-01-06');
    expect(short.stderr).toContain('index H has 1 close in the close history between 2025-01-06 and the end');
    process.exitCode = undefined;
    expect((await run()).stderr).toContain(
      'give --closes <file.csv> (date,close[,index] rows) or --index <id>',
    );
    expect((await run('--index', 'H', '--from', '2025/01/01')).stderr).toContain('--from was "2025/01/01"');
  });

  it('reports a bad closes file with its line and value', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'indexflow-stats-')), 'bad.csv');
    writeFileSync(file, 'date,close\n2024-01-02,100\n2024-01-03,abc\n');
    const { stderr, exitCode } = await run('--closes', file);
    expect(stderr).toBe(`error: ${file}:3: close was "abc", expected a decimal number such as 1234.5678\n`);
    expect(exitCode).toBe(2);
  });

  it('refuses an unknown format and a malformed risk-free rate', async () => {
    expect((await run('--closes', FIXTURE, '--format', 'xml')).stderr).toContain('--format was "xml"');
    expect((await run('--closes', FIXTURE, '--risk-free', 'abc')).stderr).toContain('--risk-free was "abc"');
  });
});
