// What the fault suite's verdicts are made of, pure so a unit test can show they catch what they
// claim: how the levels read differ from the offline replay, and which output lines are not
// structured log lines.
import { sortRows } from '../../integration/support/calculator-environment.js';

/** A levels.csv row's fields: time, index, level, sequence, trigger, symbol. */
export const fieldsOf = (row: string) => row.split(',');
const keyOf = (row: string) => `${fieldsOf(row)[1]} #${fieldsOf(row)[3]}`;
/** ' (first: <row>)', or nothing when there is none: the example a count is shown with. */
export const first = (rows: readonly string[]) => (rows.length === 0 ? '' : ` (first: ${rows[0]})`);

/** Read order within each index: sequences 1, 2, 3… with nothing skipped, repeated or swapped. */
function orderBreak(rowsAsRead: readonly string[]): string | null {
  const last = new Map<string, number>();
  for (const row of rowsAsRead) {
    const [, index, , sequence] = fieldsOf(row);
    const expected = (last.get(index!) ?? 0) + 1;
    if (Number(sequence) !== expected) return `${index} read #${sequence} where #${expected} was next`;
    last.set(index!, expected);
  }
  return null;
}

/**
 * How the levels read (in the order read) differ from the offline replay's: counts of missing,
 * repeated, conflicting (same index and sequence, other content) and unknown rows, with examples.
 */
export function levelDifferences(rowsAsRead: readonly string[], expected: readonly string[]): string | null {
  const rows = sortRows([...rowsAsRead]);
  const order = orderBreak(rowsAsRead);
  if (order === null && rows.length === expected.length && rows.every((row, i) => row === expected[i]))
    return null;
  const wanted = new Map(expected.map((row) => [keyOf(row), row]));
  const seen = new Map<string, number>();
  const conflicting: string[] = [];
  const unknown: string[] = [];
  for (const row of rows) {
    seen.set(keyOf(row), (seen.get(keyOf(row)) ?? 0) + 1);
    const want = wanted.get(keyOf(row));
    if (want === undefined) unknown.push(row);
    else if (want !== row) conflicting.push(`${row} ≠ ${want}`);
  }
  const missing = expected.filter((row) => !seen.has(keyOf(row)));
  const repeated = [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${key} ×${count}`);
  return [
    `${rows.length}/${expected.length} levels`,
    `${missing.length} missing${first(missing)}`,
    `${repeated.length} repeated${first(repeated)}`,
    `${conflicting.length} conflicting${first(conflicting)}`,
    `${unknown.length} not in the replay${first(unknown)}`,
    ...(order === null ? [] : [`order: ${order}`]),
  ].join(', ');
}

/** Lines of a service's output that are not structured log lines (one JSON object each). */
export function rawLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value !== 'object' || value === null;
      } catch {
        return true;
      }
    });
}
