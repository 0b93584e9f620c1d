import {
  Dec,
  formatFixed,
  type IndexLevel,
  type OfficialClose,
  PRINTED_LEVEL_DECIMALS,
  printedLevelChange,
} from '@indexflow/index-engine';

const HEADER = [
  'date      ',
  'index       ',
  '         close',
  '    prev close',
  '     change',
  '       %',
  'basis      ',
  ' sequence',
];

/**
 * The closes table printed after a replay: each (trading date, index) with its official close
 * (the engine's close record, at the close instant with the closing FX), the previous official
 * close, and the change and % against it (the engine's `printedLevelChange`); a date whose close
 * was not reached by the data shows its last level, marked.
 */
export function closesTable(official: Map<string, OfficialClose>, last: Map<string, IndexLevel>): string {
  const lines = [HEADER.join('  ')];
  let marked = false;
  for (const key of [...last.keys()].sort()) {
    const [date, index] = key.split('|') as [string, string];
    const close = official.get(key);
    const level = last.get(key)!;
    const shown = close === undefined ? level.level : new Dec(close.level);
    const prev =
      close === undefined ? level.prevClose : close.prevClose === null ? null : new Dec(close.prevClose);
    const change = printedLevelChange(shown, prev);
    if (close === undefined) marked = true;
    const cells = [
      date,
      index.padEnd(12),
      formatFixed(shown, PRINTED_LEVEL_DECIMALS).padStart(14),
      (prev === null ? '—' : formatFixed(prev, PRINTED_LEVEL_DECIMALS)).padStart(14),
      (change?.change ?? '—').padStart(11),
      (change?.percent ?? '—').padStart(8),
      (close === undefined ? 'last level*' : 'official').padEnd(11),
      String(level.sequence).padStart(9),
    ];
    lines.push(cells.join('  '));
  }
  if (marked)
    lines.push("* the data ends before this date's close instant: its last level, not an official close");
  return lines.join('\n');
}
