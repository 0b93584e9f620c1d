import { type Dec, formatFixed, levelChange } from '@indexflow/index-engine';
import { formatLocalDateTime, timeZoneOf } from '@indexflow/market-calendar';

/** What the board shows of a level: the engine's IndexLevel, or a decoded index-level record. */
export interface BoardLevel {
  readonly indexId: string;
  readonly eventTime: number;
  readonly sequence: number;
  readonly level: Dec;
  readonly prevClose: Dec | null;
}

/** change and % columns (11 and 8 wide) of a level against its previous official close. */
export function changeCells(level: Dec, prevClose: Dec | null): [string, string] {
  const change = levelChange(level, prevClose);
  if (change === null) return [''.padStart(11), ''.padStart(8)];
  const sign = change.change.gte(0) ? '+' : '';
  const pct = change.percent === null ? '' : `${sign}${formatFixed(change.percent, 2)}%`;
  return [`${sign}${formatFixed(change.change, 4)}`.padStart(11), pct.padStart(8)];
}

function row(level: BoardLevel): string {
  const [change, pct] = changeCells(level.level, level.prevClose);
  return `${level.indexId.padEnd(12)} ${formatFixed(level.level, 4).padStart(12)} ${change} ${pct}  ${String(level.sequence).padStart(8)}`;
}

/**
 * The terminal view of the embedded run: the latest level of each index, redrawn in place on a
 * TTY at most every `refreshMs`, or printed as a block every `refreshMs` otherwise.
 */
export class LiveBoard {
  readonly #latest = new Map<string, BoardLevel>();
  #lastDraw = 0;
  #drawnLines = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly now: () => number,
    private readonly refreshMs: number,
  ) {}

  update(levels: readonly BoardLevel[]): void {
    for (const level of levels) this.#latest.set(level.indexId, level);
    if (this.now() - this.#lastDraw >= this.refreshMs) this.draw();
  }

  draw(): void {
    this.#lastDraw = this.now();
    const levels = [...this.#latest.values()].sort((a, b) => (a.indexId < b.indexId ? -1 : 1));
    if (levels.length === 0) return;
    const time = formatLocalDateTime(Math.max(...levels.map((l) => l.eventTime)), 'SH');
    const lines = [
      `${time} ${timeZoneOf('SH').name}    level      change       %  sequence`,
      ...levels.map(row),
    ];
    if (this.out.isTTY && this.#drawnLines > 0) this.out.write(`\x1b[${this.#drawnLines}A`);
    this.out.write(`${lines.map((l) => `${l}\x1b[K`).join('\n')}\n`);
    this.#drawnLines = this.out.isTTY ? lines.length : 0;
  }
}
