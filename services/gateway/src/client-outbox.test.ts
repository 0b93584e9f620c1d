import { describe, expect, it } from 'vitest';
import { ClientOutbox, type OutboxPolicy } from './client-outbox.js';

interface Msg {
  readonly key: string;
  readonly seq: number;
  readonly skipped: number;
}

/** A transport whose buffer the test fills and drains by hand. */
function fakeSink() {
  const written: Msg[] = [];
  let buffered = 0;
  return {
    written,
    setBuffered: (bytes: number) => {
      buffered = bytes;
    },
    sink: {
      bufferedBytes: () => buffered,
      send: (m: Msg): void => {
        written.push(m);
      },
    },
  };
}

const policy: OutboxPolicy = { highWaterBytes: 1000, maxBufferedBytes: 10_000, maxBehindMs: 5000 };

function outbox(now: () => number) {
  const transport = fakeSink();
  const box = new ClientOutbox<Msg>({
    sink: transport.sink,
    policy,
    merge: (waiting, newer) => ({ ...newer, skipped: waiting.skipped + 1 + newer.skipped }),
    now,
  });
  return { box, ...transport };
}

const msg = (key: string, seq: number): Msg => ({ key, seq, skipped: 0 });

describe('ClientOutbox (slow-client policy)', () => {
  it('writes every message in order while the client keeps up', () => {
    const { box, written } = outbox(() => 0);
    for (let seq = 1; seq <= 5; seq += 1) expect(box.offer('A', msg('A', seq))).toBe('sent');
    expect(written.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(box.verdict()).toBeNull();
  });

  it('keeps only the latest waiting message per key while behind, and says how many it replaced', () => {
    const { box, written, setBuffered } = outbox(() => 0);
    setBuffered(5000);
    expect(box.offer('A', msg('A', 1))).toBe('queued');
    expect(box.offer('B', msg('B', 1))).toBe('queued');
    for (let seq = 2; seq <= 100; seq += 1) expect(box.offer('A', msg('A', seq))).toBe('conflated');
    expect(box.pendingCount).toBe(2);
    expect(box.conflated).toBe(99);
    expect(written).toEqual([]);
    setBuffered(0);
    box.flush();
    // Oldest key first; A's one message is its latest, standing for the 99 it replaced.
    expect(written).toEqual([
      { key: 'A', seq: 100, skipped: 99 },
      { key: 'B', seq: 1, skipped: 0 },
    ]);
  });

  it('never writes a newer message of a key ahead of its waiting one', () => {
    const { box, written, setBuffered } = outbox(() => 0);
    setBuffered(5000);
    box.offer('A', msg('A', 1));
    setBuffered(0);
    // The buffer drained, but A's waiting message must go first.
    box.offer('A', msg('A', 2));
    expect(written.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('stops flushing at the high-water mark', () => {
    const { box, written, sink, setBuffered } = outbox(() => 0);
    setBuffered(5000);
    for (const key of ['A', 'B', 'C']) box.offer(key, msg(key, 1));
    let buffered = 0;
    setBuffered(0);
    // Each write adds 600 bytes: A goes (0 → 600), B goes (600 ≤ 1000 → 1200), C waits.
    sink.send = (m: Msg) => {
      written.push(m);
      buffered += 600;
      setBuffered(buffered);
    };
    box.flush();
    expect(written.map((m) => m.key)).toEqual(['A', 'B']);
    expect(box.pendingCount).toBe(1);
  });

  it('judges a client too slow once it has been behind longer than maxBehindMs', () => {
    let now = 0;
    const { box, setBuffered } = outbox(() => now);
    setBuffered(5000);
    box.offer('A', msg('A', 1));
    now = 5000;
    expect(box.verdict()).toBeNull();
    now = 5001;
    expect(box.verdict()).toEqual({ behindMs: 5001, bufferedBytes: 5000, pending: 1, conflated: 0 });
  });

  it('forgets the lag once the backlog clears', () => {
    let now = 0;
    const { box, setBuffered } = outbox(() => now);
    setBuffered(5000);
    box.offer('A', msg('A', 1));
    now = 4000;
    setBuffered(0);
    box.flush();
    setBuffered(5000);
    box.offer('A', msg('A', 2));
    now = 8000;
    expect(box.verdict()).toBeNull();
  });

  it('judges a client too slow at once when its buffer passes maxBufferedBytes', () => {
    const { box, setBuffered } = outbox(() => 0);
    setBuffered(10_001);
    expect(box.verdict()).toMatchObject({ bufferedBytes: 10_001, behindMs: 0 });
  });
});
