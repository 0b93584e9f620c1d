import { Dec } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import { type BoardLevel, changeCells, LiveBoard } from './live-board.js';

function board() {
  let written = '';
  const out = { isTTY: false, write: (text: string) => (written += text) } as unknown as NodeJS.WriteStream;
  return { board: new LiveBoard(out, () => 0, 500), text: () => written.replaceAll('\u001b[K', '') };
}

const level = (indexId: string, value: string, prevClose: string | null): BoardLevel => ({
  indexId,
  eventTime: Date.parse('2025-03-20T15:00:00+08:00'),
  sequence: 72064,
  level: new Dec(value),
  prevClose: prevClose === null ? null : new Dec(prevClose),
});

describe('live board', () => {
  it('names every column and shows change and % against the previous official close', () => {
    const { board: b, text } = board();
    b.update([level('995365.SSI', '1008.2311', '1000'), level('995366.SSI', '994.5', '1003.5002')]);
    b.draw();
    const [time, header, up, down] = text().trim().split('\n');
    expect(time).toBe('2025-03-20 15:00:00 Asia/Shanghai');
    expect(header!.trim().split(/\s+/)).toEqual(['index', 'level', 'change', '%', 'sequence']);
    expect(up!.trim().split(/\s+/)).toEqual(['995365.SSI', '1008.2311', '+8.2311', '+0.82%', '72064']);
    expect(down!.trim().split(/\s+/)).toEqual(['995366.SSI', '994.5000', '-9.0002', '-0.90%', '72064']);
  });

  it('leaves change and % blank only when there is no previous close', () => {
    expect(changeCells(new Dec(1000), null).map((c) => c.trim())).toEqual(['', '']);
    expect(changeCells(new Dec(1000), new Dec(1000)).map((c) => c.trim())).toEqual(['+0.0000', '+0.00%']);
  });
});
