import {
  ActionRegister,
  publicationInstant,
  type RegisterRejection,
  type RegisterSnapshot,
  type SubmitOutcome,
  shanghaiDate,
} from '@indexflow/corporate-actions';
import type { IndexDefinition } from '@indexflow/index-engine';
import type { EventProcessor, ProcessorFactory, ProcessorResult } from '@indexflow/pipeline';
import type { ActionInput, DueAdjustment } from './action-inputs.js';

/** When the register publishes an ex-date's adjustment (the service's MODE, PUBLISH_AT, AS_OF_DATE). */
export interface PublicationSchedule {
  /** `immediate`: on the first clock tick after the actions are registered; `scheduled`: at `publishAt`. */
  readonly mode: 'scheduled' | 'immediate';
  /** HH:MM Asia/Shanghai on the day before the ex-date. */
  readonly publishAt: string;
  /** Fixed business date for validation; else the Asia/Shanghai date of the record's arrival. */
  readonly asOfDate?: string;
}

export interface RegisterProcessorOptions extends PublicationSchedule {
  readonly definitions: readonly IndexDefinition[];
  /** Each announcement's or cancellation's outcome (metrics only). */
  readonly onOutcome?: (outcome: SubmitOutcome['outcome']) => void;
}

type Result = ProcessorResult<DueAdjustment, RegisterRejection>;

const NOTHING: Result = { levels: [], rejections: [] };

/**
 * The corporate-actions register as the pipeline's processor: announcements and cancellations go
 * through ActionRegister (all validation and refusals are there), and on a clock tick every ex-date
 * that fell due becomes one derived DueAdjustment and is marked published in the same step, so the
 * snapshot staged with its transaction says "published" exactly when Kafka has the record.
 */
export class RegisterProcessor implements EventProcessor<ActionInput, DueAdjustment, RegisterRejection> {
  readonly #register: ActionRegister;
  readonly #options: RegisterProcessorOptions;

  constructor(register: ActionRegister, options: RegisterProcessorOptions) {
    this.#register = register;
    this.#options = options;
  }

  get register(): ActionRegister {
    return this.#register;
  }

  apply(event: ActionInput): Result {
    switch (event.kind) {
      case 'announcement':
        return this.#outcome(this.#register.submit(event.announcement, this.#today(event.at)));
      case 'cancel':
        return this.#outcome(this.#register.cancel(event.actionId));
      case 'clock':
        return this.#publishDue(event.now);
    }
  }

  snapshot(): RegisterSnapshot {
    return this.#register.snapshot();
  }

  #today(at: number): string {
    return this.#options.asOfDate ?? shanghaiDate(at);
  }

  #outcome(outcome: SubmitOutcome): Result {
    this.#options.onOutcome?.(outcome.outcome);
    return outcome.outcome === 'rejected' ? { levels: [], rejections: [outcome.rejection] } : NOTHING;
  }

  #publishDue(now: number): Result {
    const { mode } = this.#options;
    const derived: DueAdjustment[] = [];
    for (const date of this.#register.datesDue('9999-12-31')) {
      if (mode === 'scheduled' && now < publishInstant(date, this.#options.publishAt)) continue;
      const adjustment = this.#register.adjustmentFor(date);
      if (adjustment === null) continue;
      derived.push({
        date,
        announcements: this.#register.announcementsOn(date),
        adjustment,
        // Past its 00:00 on the wall clock (history being replayed, or an import that came late):
        // published all the same; calculators past its instant refuse it whole as `late`.
        late: mode === 'scheduled' && now >= adjustment.eventTime,
      });
      this.#register.markPublished(date);
    }
    return derived.length === 0 ? NOTHING : { levels: [], rejections: [], derived };
  }
}

/** When `date`'s adjustment goes out in scheduled mode: `publishAt` on the day before, Asia/Shanghai. */
export function publishInstant(date: string, publishAt: string): number {
  return publicationInstant(date, publishAt);
}

/** Fresh or restored registers with the service's index definitions and schedule. */
export function registerProcessorFactory(
  options: RegisterProcessorOptions,
): ProcessorFactory<RegisterProcessor> {
  return {
    fresh: () => new RegisterProcessor(new ActionRegister(options.definitions), options),
    restore: (snapshot) =>
      new RegisterProcessor(
        ActionRegister.restore(options.definitions, snapshot as RegisterSnapshot),
        options,
      ),
  };
}
