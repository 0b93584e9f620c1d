import { describe, expect, it } from 'vitest';
import { Entitlements } from './entitlements.js';
import { FeedHub } from './feed-hub.js';
import { FeedSession } from './feed-session.js';
import { NotEntitledError } from './gateway-errors.js';
import { IntradayHistory } from './intraday-history.js';
import { type ServerMessage, textOf } from './protocol.js';
import { levelRecord } from './testing/level-record.js';

const level = (indexId: string, sequence: number) => levelRecord(indexId, sequence);

function session(hub: FeedHub, indices: readonly string[] | '*', buffered = () => 0) {
  const received: ServerMessage[] = [];
  const dropped: ServerMessage[] = [];
  const s = new FeedSession({
    hub,
    entitlements: new Entitlements('desk', indices),
    policy: { highWaterBytes: 100, maxBufferedBytes: 1_000_000, maxBehindMs: 60_000 },
    transport: {
      bufferedBytes: buffered,
      write: (outbound) => received.push(JSON.parse(textOf(outbound))),
      dropTooSlow: (message) => dropped.push(message),
    },
  });
  return { s, received, dropped };
}

const newHub = () => new FeedHub({ history: new IntradayHistory({ maxPointsPerDay: 100, maxDays: 1 }) });

describe('FeedHub with sessions', () => {
  it('sends a snapshot on subscribe, then every later level in sequence, and drops redeliveries', () => {
    const hub = newHub();
    hub.apply(level('X', 1));
    hub.apply(level('X', 2));
    const { s, received } = session(hub, '*');
    s.subscribe(['X']);
    hub.apply(level('X', 3));
    hub.apply(level('X', 3)); // redelivered after a consumer restart
    hub.apply(level('X', 2));
    hub.apply(level('X', 4));
    hub.apply(level('Y', 1)); // not subscribed
    expect(received.map((m) => [m.type, 'sequence' in m ? m.sequence : null])).toEqual([
      ['subscribed', null],
      ['snapshot', 2],
      ['level', 3],
      ['level', 4],
    ]);
    expect(hub.history.day('X')?.points.map((p) => p.sequence)).toEqual([1, 2, 3, 4]);
    s.close();
    hub.apply(level('X', 5));
    expect(received).toHaveLength(4);
  });

  it('sends a null snapshot for an index without levels yet, and refuses indices the desk is not entitled to', () => {
    const hub = newHub();
    const { s, received } = session(hub, ['X']);
    s.subscribe(['X']);
    expect(received[1]).toMatchObject({ type: 'snapshot', indexId: 'X', sequence: null, level: null });
    expect(() => s.subscribe(['Y'])).toThrow(NotEntitledError);
  });

  it('conflates levels for a slow client into the latest, counting what was skipped', () => {
    const hub = newHub();
    let buffered = 0;
    const { s, received } = session(hub, '*', () => buffered);
    s.subscribe(['X']);
    buffered = 1000;
    for (let seq = 1; seq <= 10; seq += 1) hub.apply(level('X', seq));
    buffered = 0;
    hub.apply(level('X', 11));
    s.close();
    const levels = received.filter((m) => m.type === 'level');
    expect(levels).toEqual([
      expect.objectContaining({ sequence: 10, conflated: 9 }),
      expect.objectContaining({ sequence: 11, conflated: 0 }),
    ]);
  });
});
