import { computeProforma, type IndexProforma, proformaChanges } from '@indexflow/corporate-actions';
import type { IndexDefinition, IndexEngine } from '@indexflow/index-engine';
import { DECODE_REJECT_REASONS, type IndexAdjustmentRecord } from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import type { InputOffsets, LevelSink, OutputTransaction } from '@indexflow/pipeline';
import type { DueAdjustment } from './action-inputs.js';
import { adjustmentRecord } from './action-records.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface ActionSinkOptions {
  readonly definitions: readonly IndexDefinition[];
  /** The calculator's committed engine (for the pro-forma), or null when there is none yet. */
  readonly calculatorEngine: () => Promise<IndexEngine | null>;
  readonly metrics: ServiceMetrics;
  readonly log: Logger;
}

interface Publication {
  readonly due: DueAdjustment;
  readonly record: IndexAdjustmentRecord;
  readonly proformas: readonly IndexProforma[];
}

/**
 * The register's sink: each due date becomes its adjustment record, with the pro-forma computed on
 * the calculator's committed state when the record is written. The pro-forma is informational (the
 * calculator applies the actions itself with the same engine): it is not part of the register's
 * state, and a transaction retried after a restart may carry a newer one. The records, dead
 * letters and offsets then commit in one transaction; metrics and logs follow the commit.
 */
export class ActionSink implements LevelSink<DueAdjustment> {
  readonly #inner: LevelSink<IndexAdjustmentRecord>;
  readonly #options: ActionSinkOptions;

  constructor(inner: LevelSink<IndexAdjustmentRecord>, options: ActionSinkOptions) {
    this.#inner = inner;
    this.#options = options;
  }

  async commit(transaction: OutputTransaction<DueAdjustment>, staged?: Promise<void>): Promise<void> {
    const publications: Publication[] = [];
    for (const due of transaction.derived ?? []) {
      const proformas = await this.#proforma(due);
      publications.push({ due, record: adjustmentRecord(due.date, due.announcements, proformas), proformas });
    }
    const { derived: _due, ...rest } = transaction;
    await this.#inner.commit(
      publications.length === 0 ? rest : { ...rest, derived: publications.map((p) => p.record) },
      staged,
    );
    this.#report(transaction, publications);
  }

  committedOffsets(): Promise<InputOffsets | null> {
    return this.#inner.committedOffsets();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #report(transaction: OutputTransaction<DueAdjustment>, publications: readonly Publication[]): void {
    const { metrics, log } = this.#options;
    for (const { key, reason, detail, offset } of transaction.rejected) {
      metrics.rejected.inc({ stream: 'actions', reason });
      if (reason !== DECODE_REJECT_REASONS.undecodable)
        log.warn({ actionId: key?.toString('utf8') ?? '', reason, detail, offset }, 'announcement refused');
    }
    for (const { due, record, proformas } of publications) {
      if (due.late) {
        metrics.adjustmentsLate.inc();
        log.warn(
          { date: due.date },
          'adjustment published after its ex-date started on the wall clock; calculators past its instant refuse it as late',
        );
      }
      metrics.adjustmentsPublished.inc();
      log.info(
        {
          adjustmentId: record.adjustmentId,
          actions: record.actions.map((a) => `${a.type} ${a.symbol}${a.indexId ? ` in ${a.indexId}` : ''}`),
          divisors: Object.fromEntries(proformas.map((p) => [p.indexId, [p.divisorBefore, p.divisorAfter]])),
        },
        'adjustment published',
      );
    }
  }

  /**
   * The pro-forma on the calculator's committed state. Only meaningful when that state is at or
   * before the adjustment instant (the previous close); otherwise, or without state, none.
   */
  async #proforma({ adjustment }: DueAdjustment): Promise<IndexProforma[]> {
    try {
      const engine = await this.#options.calculatorEngine();
      if (engine === null) return [];
      const times = engine.indexIds.map((id) => engine.lastLevelTime(id) ?? 0);
      if (Math.max(0, ...times) >= adjustment.eventTime) return [];
      return computeProforma(this.#options.definitions, engine, adjustment).filter(proformaChanges);
    } catch (error) {
      this.#options.log.warn({ err: error }, 'no pro-forma: the calculator state could not be read');
      return [];
    }
  }
}
