// The parts of a runtime in the order they were opened, closed in reverse: what depends on a part
// closes before it (the HTTP clients before the hub they read, Kafka and Redis last).
import { closeStep, type Logger } from '@indexflow/observability';

export class CloseOrder {
  readonly #log: Logger;
  readonly #steps: { readonly name: string; readonly close: () => Promise<unknown> }[] = [];

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Registers a part just opened. */
  add(name: string, close: () => Promise<unknown>): void {
    this.#steps.push({ name, close });
  }

  /** Closes every part registered, newest first; each step logs and never throws (closeStep). */
  async closeAll(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) await closeStep(this.#log, step.name, step.close);
  }
}
