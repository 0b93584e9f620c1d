import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dec, type IndexLevel } from '@indexflow/index-engine';
import { afterAll, describe, expect, it } from 'vitest';
import {
  csvField,
  type DatasetIssue,
  formatLevelRow,
  IndexFileError,
  MAX_LINE_BYTES,
  readIndexDefinitions,
  readLines,
  readTicks,
  splitCsvLine,
} from '../src/index.js';
import { TV_INDEX, writeDataset } from './dataset-builder.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempFile(content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-lines-'));
  made.push(dir);
  const path = join(dir, 'file.csv');
  writeFileSync(path, content);
  return path;
}

function ticksOf(lines: string[]) {
  const dir = writeDataset({ indices: [TV_INDEX], ticks: lines });
  const issues: DatasetIssue[] = [];
  const events = [...readTicks(dir, (i) => issues.push(i))];
  return { events, issues };
}

describe('line reader', () => {
  it('skips a line over the cap without buffering it and resyncs at the next line', () => {
    const long = `2025-01-06T09:30:00+08:00,AAA.SH,1${'0'.repeat(3 * (1 << 20))}`;
    const path = tempFile(`ts,symbol,price\n${long}\r\n2025-01-06T09:31:00+08:00,AAA.SH,12.5\n`);
    const lines = [...readLines(path)];
    expect(lines.map((l) => l.line)).toEqual([
      'ts,symbol,price',
      null,
      '2025-01-06T09:31:00+08:00,AAA.SH,12.5',
    ]);
    expect(lines.map((l) => l.lineNumber)).toEqual([1, 2, 3]);
    const overlong = lines[1]!.overlong!;
    expect(overlong.bytes).toBe(long.length + 1);
    expect(overlong.head).toBe(long.slice(0, 200));
  });

  it('keeps a line of exactly the cap and a multi-byte character cut by a chunk boundary', () => {
    const exact = 'x'.repeat(MAX_LINE_BYTES);
    const wide = `${'a'.repeat((1 << 20) - 1)}é\n`;
    expect([...readLines(tempFile(`${exact}\nnext`))].map((l) => l.line?.length)).toEqual([
      MAX_LINE_BYTES,
      4,
    ]);
    expect([...readLines(tempFile(`${exact}x\nnext\n`))].map((l) => l.line)).toEqual([null, 'next']);
    expect([...readLines(tempFile(`${wide}ok`), 2 << 20)].map((l) => l.line?.slice(-2))).toEqual([
      'aé',
      'ok',
    ]);
  });

  it('drops a UTF-8 byte order mark at the start of a file', () => {
    const path = tempFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ts,symbol,price\n')]));
    expect([...readLines(path)].map((l) => l.line)).toEqual(['ts,symbol,price']);
  });
});

describe('dataset rows', () => {
  it('reports an over-long row as malformed_row with its head cut to ~200 characters', () => {
    const { events, issues } = ticksOf([
      'ts,symbol,price',
      `2025-01-06T09:30:00+08:00,AAA.SH,${'9'.repeat(200_000)}`,
      '2025-01-06T09:31:00+08:00,AAA.SH,12.5',
    ]);
    expect(events.map((e) => e.price)).toEqual(['12.5']);
    expect(issues.map((i) => [i.line, i.reason])).toEqual([[2, 'malformed_row']]);
    expect(issues[0]!.detail.length).toBeLessThan(400);
  });

  it.each([
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '1989-12-31T23:59:59Z',
    '2100-01-01T00:00:00Z',
    '1',
  ])('refuses ts %s outside the plausibility window as malformed_row, and later rows stay in order', (ts) => {
    const { events, issues } = ticksOf([
      'ts,symbol,price',
      `${ts},AAA.SH,10`,
      '2025-01-06T09:31:00+08:00,AAA.SH,12.5',
    ]);
    expect(issues.map((i) => [i.line, i.reason])).toEqual([[2, 'malformed_row']]);
    expect(events.map((e) => e.price)).toEqual(['12.5']);
  });
});

function indexDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-indices-'));
  made.push(dir);
  mkdirSync(join(dir, 'indices'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'indices', name), content);
  return dir;
}

function loadError(files: Record<string, string | Buffer>): IndexFileError {
  try {
    readIndexDefinitions(indexDir(files));
  } catch (error) {
    if (error instanceof IndexFileError) return error;
    throw error;
  }
  throw new Error('the index files were accepted');
}

const index = (patch: Record<string, unknown>) => JSON.stringify({ ...TV_INDEX, ...patch });

describe('index files', () => {
  it.each([
    [{ id: 'A,B' }, 'id'],
    [{ id: '=1+1' }, 'id'],
    [{ id: 'A\r\nB' }, 'id'],
    [{ initialLevel: '1e-60' }, 'initialLevel'],
    [{ constituents: [{ symbol: 'AAA.SH', shares: '-1000' }] }, 'constituents[AAA.SH].shares'],
    [{ constituents: [{ symbol: 'AAA.SH', shares: '0' }] }, 'constituents[AAA.SH].shares'],
    [{ constituents: [{ symbol: 'AAA.SH', shares: '1', currency: 'EUR' }] }, 'constituents[AAA.SH].currency'],
    [{ constituents: [{ symbol: '"AAA.SH', shares: '1' }] }, 'constituents.symbol'],
    [{ constituents: 'none' }, 'constituents'],
  ])('names file and field of %j', (patch, field) => {
    const error = loadError({ 'x.json': index(patch) });
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${error.file}: ${field}: `)).toBe(true);
    expect(error.file.endsWith('x.json')).toBe(true);
  });

  it('refuses a duplicate index id across files, naming both', () => {
    const error = loadError({ 'a.json': index({}), 'b.json': index({}) });
    expect(error.file.endsWith('b.json')).toBe(true);
    expect(error.message).toMatch(/id: duplicate index id "TV", also in .*a\.json/);
  });

  it('cuts a huge offending value to ~200 characters', () => {
    const error = loadError({ 'x.json': index({ initialLevel: '1'.repeat(1_000_000) }) });
    expect(error.message.length).toBeLessThan(600);
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const dir = indexDir({
      'x.json': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(index({}))]),
    });
    expect(readIndexDefinitions(dir).map((d) => d.id)).toEqual(['TV']);
  });
});

describe('CSV outputs', () => {
  it.each([
    ['995365.SSI', '995365.SSI'],
    ['600000.SH', '600000.SH'],
    ['-1.5', '-1.5'],
    ['+2e3', '+2e3'],
    ['', ''],
    ['A,B', '"A,B"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\r\nbreak', '"line\r\nbreak"'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['\tx', "'\tx"],
  ])('writes %j as %j', (text, expected) => {
    expect(csvField(text)).toBe(expected);
  });

  it('quotes a hostile index id or symbol in a levels.csv row, leaving plain rows unchanged', () => {
    const level = { eventTime: Date.UTC(2025, 0, 6, 1, 30), sequence: 1, trigger: 'tick' } as const;
    const row = (indexId: string, symbol: string) =>
      formatLevelRow({ ...level, indexId, symbol, level: new Dec(1000) } as unknown as IndexLevel);
    expect(row('TV', 'AAA.SH')).toBe('2025-01-06T01:30:00.000Z,TV,1000.0000000000,1,tick,AAA.SH');
    expect(splitCsvLine(row('A,"B"', '=1+1'))).toEqual([
      '2025-01-06T01:30:00.000Z',
      'A,"B"',
      '1000.0000000000',
      '1',
      'tick',
      "'=1+1",
    ]);
  });
});
