import { describe, expect, it } from 'vitest';
import { ClosesCsvError, parseClosesCsv } from '../src/index.js';

const FILE = 'closes.csv';

function parse(text: string) {
  return parseClosesCsv(text, { file: FILE, defaultIndexId: 'DEFAULT' });
}

function errorOf(text: string): ClosesCsvError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ClosesCsvError) return error;
    throw error;
  }
  throw new Error('expected a ClosesCsvError');
}

describe('parseClosesCsv', () => {
  it('reads date,close and keeps every digit of the close', () => {
    const [series] = parse('date,close\n2024-01-02,1000\n2024-01-03,1001.123456789012345678901\n');
    expect(series!.indexId).toBe('DEFAULT');
    expect(series!.closes.map((c) => c.close.toFixed())).toEqual(['1000', '1001.123456789012345678901']);
  });

  it('splits by an index column in any column order', () => {
    const series = parse(
      'index,close,date\nA,1,2024-01-02\nB,5,2024-01-02\nA,2,2024-01-03\nB,6,2024-01-03\n',
    );
    expect(series.map((s) => [s.indexId, s.closes.length])).toEqual([
      ['A', 2],
      ['B', 2],
    ]);
  });

  it.each([
    ['date,close\n2024-01-02,1\n2024-02-30,2\n', 3, 'invalid_date', '2024-02-30'],
    ['date,close\n2024-01-02,1\n2024-01-03,1e3\n', 3, 'invalid_close', '1e3'],
    ['date,close\n2024-01-02,1\n2024-01-03,0\n', 3, 'non_positive_close', '0'],
    ['date,close\n2024-01-03,1\n2024-01-02,2\n', 3, 'date_not_increasing', '2024-01-02'],
    ['date,close\n2024-01-02,1\n2024-01-03,2,9\n', 3, 'wrong_field_count', '2024-01-03,2,9'],
    ['day,close\n2024-01-02,1\n', 1, 'missing_header_column', 'day,close'],
    ['date,close\n2024-01-02,1\n', 3, 'too_few_closes', 'DEFAULT'],
  ])('refuses %j at line %i (%s)', (text, line, problem, value) => {
    const error = errorOf(text);
    expect(error.file).toBe(FILE);
    expect(error.line).toBe(line);
    expect(error.problem).toBe(problem);
    expect(error.value).toBe(value);
    expect(error.message.startsWith(`${FILE}:${line}: `)).toBe(true);
    expect(error.retriable).toBe(false);
  });
});
