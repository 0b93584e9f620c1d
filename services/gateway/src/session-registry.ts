// Every open client session, so one timer can send heartbeats to all of them (serialised once) and
// shutdown can close them all.
import type { FeedSession } from './feed-session.js';
import { shared } from './protocol.js';

export interface RegisteredSession {
  readonly session: FeedSession;
  readonly transport: 'ws' | 'sse';
  /** Called on every heartbeat tick after the heartbeat message (e.g. WebSocket ping/pong liveness). */
  readonly onHeartbeat?: () => void;
  /** Closes the connection for a shutdown. */
  readonly shutdown: () => void;
}

export class SessionRegistry {
  readonly #entries = new Set<RegisteredSession>();
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly heartbeatMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  count(transport?: 'ws' | 'sse'): number {
    if (transport === undefined) return this.#entries.size;
    let n = 0;
    for (const entry of this.#entries) if (entry.transport === transport) n += 1;
    return n;
  }

  /** Open sessions of one desk (the per-desk connection cap). */
  countDesk(desk: string): number {
    let n = 0;
    for (const entry of this.#entries) if (entry.session.desk === desk) n += 1;
    return n;
  }

  /** Open sessions by desk (the per-desk connections metric). */
  countByDesk(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const entry of this.#entries) {
      const desk = entry.session.desk;
      counts.set(desk, (counts.get(desk) ?? 0) + 1);
    }
    return counts;
  }

  add(entry: RegisteredSession): void {
    this.#entries.add(entry);
    if (this.#timer === null) {
      this.#timer = setInterval(() => this.#beat(), this.heartbeatMs);
      this.#timer.unref();
    }
  }

  remove(entry: RegisteredSession): void {
    this.#entries.delete(entry);
  }

  /** Closes every session (shutdown) and stops the heartbeat. */
  closeAll(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    for (const entry of [...this.#entries]) {
      entry.session.close();
      entry.shutdown();
    }
    this.#entries.clear();
  }

  #beat(): void {
    const heartbeat = shared({ type: 'heartbeat', time: this.now() });
    for (const entry of this.#entries) {
      entry.session.deliver(heartbeat);
      entry.onHeartbeat?.();
    }
  }
}
