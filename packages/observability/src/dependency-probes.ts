// Honest readiness: each dependency (Kafka, Redis, the registry) is asked a cheap question on a
// timer, and /readyz reports the ones that did not answer in time. A broker that accepts
// connections but answers nothing (paused, partitioned) is caught by the timeout, not by an error.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface DependencyProbe {
  /** Shown in /readyz and as the metrics' `dependency` label: `kafka`, `redis`, `registry`. */
  readonly name: string;
  /** Resolves when the dependency answered; rejects (or never settles) when it did not. */
  check(): Promise<unknown>;
}

export interface DependencyStatus {
  readonly name: string;
  readonly up: boolean;
  /** Wall-clock ms of the last change between up and down (null before the first answer). */
  readonly since: number | null;
  /** Why it is down, cut to 200 characters. */
  readonly reason?: string;
}

export interface ProbeLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface DependencyProbesOptions {
  readonly probes: readonly DependencyProbe[];
  readonly registry: Registry;
  readonly logger: ProbeLogger;
  /** How often each dependency is asked (default 2,000 ms). */
  readonly intervalMs?: number;
  /** How long an answer may take before the dependency counts as down (default 1,500 ms). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

interface ProbeState {
  up: boolean | null;
  since: number | null;
  reason: string | undefined;
  /** Wall-clock ms the question still out was asked at (null: none out). */
  askedAt: number | null;
}

class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

export class DependencyProbes {
  readonly #options: DependencyProbesOptions;
  readonly #states = new Map<string, ProbeState>();
  readonly #up: Gauge<'dependency'>;
  readonly #outages: Counter<'dependency'>;
  readonly #recovered: Counter<'dependency'>;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: DependencyProbesOptions) {
    this.#options = options;
    for (const probe of options.probes)
      this.#states.set(probe.name, { up: null, since: null, reason: undefined, askedAt: null });
    const registers = [options.registry];
    this.#up = new Gauge({
      name: 'indexflow_dependency_up',
      help: '1 while the dependency answers its readiness probe in time, 0 while it does not',
      labelNames: ['dependency'],
      registers,
    });
    this.#outages = new Counter({
      name: 'indexflow_dependency_outages_total',
      help: 'Times a dependency went from answering to not answering its probe',
      labelNames: ['dependency'],
      registers,
    });
    this.#recovered = new Counter({
      name: 'indexflow_dependency_outage_seconds_total',
      help: 'Seconds dependencies spent down, counted when each outage ends',
      labelNames: ['dependency'],
      registers,
    });
  }

  /** Probes at once, then every interval; resolves after the first round. */
  async start(): Promise<void> {
    await this.probeAll();
    this.#timer = setInterval(() => void this.probeAll(), this.#options.intervalMs ?? 2000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Dependencies that are down or have not answered yet. */
  down(): DependencyStatus[] {
    return this.statuses().filter((s) => !s.up);
  }

  statuses(): DependencyStatus[] {
    return [...this.#states.entries()].map(([name, s]) => ({
      name,
      up: s.up === true,
      since: s.since,
      ...(s.up === true ? {} : { reason: s.reason ?? 'not probed yet' }),
    }));
  }

  async probeAll(): Promise<void> {
    await Promise.all(this.#options.probes.map((probe) => this.#probe(probe)));
  }

  async #probe(probe: DependencyProbe): Promise<void> {
    const state = this.#states.get(probe.name)!;
    const now = (this.#options.now ?? Date.now)();
    const timeoutMs = this.#options.timeoutMs ?? 1500;
    // A question still out from an earlier round is the answer: one at a time, so a hung broker
    // does not pile them up. One out for 10 timeouts is abandoned (a client whose request never
    // settles), so the dependency is asked afresh and can come back up.
    if (state.askedAt !== null && now - state.askedAt < 10 * timeoutMs) return;
    const askedAt = now;
    state.askedAt = askedAt;
    let timer: NodeJS.Timeout | undefined;
    const answered = probe.check().finally(() => {
      if (state.askedAt === askedAt) state.askedAt = null;
    });
    answered.catch(() => {});
    try {
      await Promise.race([
        answered,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new ProbeTimeout(timeoutMs)), timeoutMs);
        }),
      ]);
      this.#set(probe.name, state, true, undefined);
    } catch (error) {
      this.#set(
        probe.name,
        state,
        false,
        (error instanceof Error ? error.message : String(error)).slice(0, 200),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  #set(name: string, state: ProbeState, up: boolean, reason: string | undefined): void {
    const now = (this.#options.now ?? Date.now)();
    state.reason = reason;
    if (state.up === up) return;
    const wasUp = state.up;
    const downSince = state.since;
    state.up = up;
    state.since = now;
    this.#up.set({ dependency: name }, up ? 1 : 0);
    if (!up && wasUp === true) {
      this.#outages.inc({ dependency: name });
      this.#options.logger.warn(
        { dependency: name, reason },
        'dependency not answering: not ready until it does',
      );
    } else if (up && wasUp === false && downSince !== null) {
      const seconds = (now - downSince) / 1000;
      this.#recovered.inc({ dependency: name }, seconds);
      this.#options.logger.info(
        { dependency: name, downForMs: now - downSince },
        'dependency answering again',
      );
    }
  }
}
