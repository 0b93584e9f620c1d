import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_FX_SOURCE,
  formatLevelRow,
  parseTimestamp,
  replayDataset,
  shanghaiMidnight,
  TimeSequencer,
} from '@indexflow/dataset-files';
import { Dec, FxRateFilter, formatFixed } from '@indexflow/index-engine';
import {
  createAvroSerdes,
  DEAD_LETTER_HEADERS,
  type FxObservationRecord,
  type FxRateRecord,
  type IndexAdjustmentRecord,
  type IndexLevelRecord,
  kafkajsRecordProducer,
  levelToRecord,
  type MarketTickRecord,
  readWatermark,
  watermarkHeaders,
} from '@indexflow/kafka';
import { waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { produceDataset } from '../../services/cli/src/kafka/produce-dataset.js';
import {
  partitionCounts,
  prepareEnvironment,
  recordAsRow,
  sortRows,
} from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';
import { trackedCorporateActions } from './support/corporate-actions-process.js';
import { CLI } from './support/entry-points.js';
import {
  buildScenarioDataset,
  DIVIDEND,
  FX_MAX_AGE_MS,
  FX_MAX_JUMP,
  SCENARIO_DAYS,
} from './support/scenario-dataset.js';
import { TopicReader } from './support/topic-reader.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const startCalculator = trackedCalculators();
const startService = trackedCorporateActions();

async function offline(dir: string) {
  const rows: string[] = [];
  const stale = new Set<string>();
  const fx = new Map<string, FxObservationRecord | null>();
  await replayDataset(dir, {
    onLevel: (level) => {
      rows.push(formatLevelRow(level));
      fx.set(`${level.indexId}#${level.sequence}`, levelToRecord(level).fxObservation);
      if (level.fxStale) stale.add(`${level.indexId}#${level.sequence}`);
    },
    engine: { rejectUnknownSymbols: true, fxMaxAgeMs: FX_MAX_AGE_MS },
    fxFilter: { maxJump: FX_MAX_JUMP },
  });
  return { rows: sortRows(rows), stale, fx };
}

const nextDayStart = (day: string) => shanghaiMidnight(day)! + 86_400_000;

describe('corporate-actions & FX service: three days through the running services', async () => {
  const scenario = buildScenarioDataset();
  const expected = await offline(scenario.dir);
  const readers: TopicReader<unknown>[] = [];
  afterAll(async () => {
    await Promise.all(readers.map((reader) => reader.stop()));
  });

  it('publishes each ex-date once before it starts, filters FX, survives restarts, and the levels equal the offline replay', async () => {
    const endpoints = serviceEndpoints();
    const environment = await prepareEnvironment({ ...endpoints, datasetDir: scenario.dir });
    const { kafka, registry, topics, env, prefix } = environment;
    const partitions = await partitionCounts(environment);
    const serviceEnv = (day: string) => ({
      ...env,
      SERVICE_ID: 'it',
      PUBLISH_MODE: 'immediate',
      AS_OF_DATE: day,
      FX_MAX_JUMP,
      SCHEDULE_CHECK_MS: '200',
    });
    let service = startService(serviceEnv(SCENARIO_DAYS[0]));
    const calculatorEnv = { ...env, FX_MAX_AGE_MS: String(FX_MAX_AGE_MS) };
    let calculator: ReturnType<typeof startCalculator> | null = null;
    const levels = await new TopicReader<IndexLevelRecord>(kafka, registry, topics.indexLevels).start();
    const adjustments = await new TopicReader<IndexAdjustmentRecord>(
      kafka,
      registry,
      topics.indexAdjustments,
    ).start();
    const fxOut = await new TopicReader<FxRateRecord>(kafka, registry, topics.fx).start();
    const deadLetters = await new TopicReader<unknown>(kafka, registry, topics.deadLetter, false).start();
    readers.push(levels, adjustments, fxOut, deadLetters);
    const diagnostics = () => {
      const dead = deadLetters.records
        .slice(0, 20)
        .map((r) =>
          [
            'indexflow-reject-reason',
            'indexflow-source-topic',
            'indexflow-source-offset',
            'indexflow-reject-detail',
          ]
            .map((h) => String(r.headers[h]))
            .join(' '),
        );
      return `\ndead letters (${deadLetters.records.length}):\n${dead.join('\n')}\nservice:\n${service.output().slice(-3000)}\ncalculator:\n${calculator?.output().slice(-3000) ?? '(stopped)'}`;
    };
    const wait = async (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
      try {
        await waitFor(condition, { timeoutMs, intervalMs: 100 });
      } catch (error) {
        throw new Error(`${what}: ${(error as Error).message}${diagnostics()}`);
      }
    };

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const fxSerdes = createAvroSerdes<FxRateRecord>(registry, topics.fxRaw);
    const tickSerdes = new Map<string, ReturnType<typeof createAvroSerdes<MarketTickRecord>>>();
    const admin = kafka.admin();
    await admin.connect();
    const fxGroup = `indexflow-corporate-actions-${prefix}it-fx`;
    // Numbered from the data, as `replay --kafka` and the offline reader number fx.csv.
    const fxSequences = new TimeSequencer();
    let rawFxProduced = 0;

    // The calculator has consumed and committed every tick produced so far.
    const calculatorGroup = `indexflow-calculator-${prefix}it`;
    const calculatorCaughtUp = async () => {
      for (const topic of [topics.ticksAshare, topics.ticksHk]) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId: calculatorGroup, topics: [topic] });
        for (const end of ends) {
          const done = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          if (Number(end.high) > 0 && Number(done) < Number(end.high)) return false;
        }
      }
      return true;
    };

    const importActions = (file: string, day: string) =>
      execFileSync(
        process.execPath,
        [CLI, 'actions', 'import', file, '--indices', scenario.dir, '--as-of', day],
        { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
      );

    for (const [dayIndex, day] of SCENARIO_DAYS.entries()) {
      // Before the day: the operator imports its actions; the service publishes them at once.
      const actionsFile = scenario.actionsFiles.get(day);
      if (actionsFile) {
        expect(importActions(actionsFile, day)).toContain('3 published');
        await wait(`adjustment of ${day}`, () =>
          adjustments.records.some((r) => r.value?.effectiveDate === day),
        );
      }
      // The day's feed, while the calculator is down (its overnight window): the FX quotes go to
      // the raw topic and through the filter, then the ticks. The calculator merges partitions by
      // event time behind a watermark, which needs every partition's data present or flowing; a
      // test that produced bursts into a running calculator's idle partitions would see them
      // merged in arrival order instead (docs/corporate-actions.md: Known limits).
      const messages = [];
      for (const row of scenario.fxByDay.get(day)!) {
        const eventTime = parseTimestamp(row.ts)!;
        const sequence = fxSequences.next(row.pair, eventTime);
        const record: FxRateRecord = {
          pair: row.pair,
          rate: row.rate,
          eventTime,
          source: DEFAULT_FX_SOURCE,
          sequence,
        };
        messages.push({ key: row.pair, value: await fxSerdes.serialize(record) });
      }
      await producer.send({ topic: topics.fxRaw, messages });
      rawFxProduced += messages.length;
      await wait(`fx filter of ${day}`, async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: fxGroup, topics: [topics.fxRaw] });
        return Number(offsets?.partitions[0]?.offset ?? -1) >= rawFxProduced;
      });
      await produceDataset({
        datasetDir: scenario.ticksOnlyDir,
        producer: kafkajsRecordProducer(producer),
        topics,
        partitions: (topic) => partitions.get(topic) ?? 1,
        from: shanghaiMidnight(day)!,
        to: nextDayStart(day),
        tickSerdes: (topic) => {
          let serdes = tickSerdes.get(topic);
          if (!serdes) {
            serdes = createAvroSerdes<MarketTickRecord>(registry, topic);
            tickSerdes.set(topic, serdes);
          }
          return serdes;
        },
        fxSerdes: createAvroSerdes<FxRateRecord>(registry, topics.fx),
        speed: 'max',
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => Date.now(),
      });
      // The calculator computes the day, resuming from its Redis state and committed offsets.
      calculator = startCalculator(calculatorEnv);
      const dayEnd = new Date(nextDayStart(day)).toISOString();
      const expectedSoFar = expected.rows.filter((row) => row.slice(0, 24) < dayEnd).length;
      await wait(`levels of ${day}`, () => levels.records.length >= expectedSoFar, 120_000);
      await wait(`calculator done with ${day}`, calculatorCaughtUp);
      calculator.child.kill('SIGTERM');
      await calculator.exited;

      // Between days the service restarts: gracefully after day 1, killed after day 2.
      if (dayIndex < SCENARIO_DAYS.length - 1) {
        service.child.kill(dayIndex === 0 ? 'SIGTERM' : 'SIGKILL');
        await service.exited;
        service = startService(serviceEnv(SCENARIO_DAYS[dayIndex + 1]!));
      }
    }

    // The same actions imported again (after the restarts) change nothing; an amendment of a
    // published date is refused, because that date's adjustment is already applied.
    importActions(scenario.actionsFiles.get('2025-03-25')!, '2025-03-25');
    const amended = join(scenario.dir, 'amended.csv');
    writeFileSync(
      amended,
      'exDate,type,symbol,index,ratio,price,amount,shares\n2025-03-25,split,688041.SH,,3,,,\n',
    );
    importActions(amended, '2025-03-25');
    await wait('amendment of a published date refused', () =>
      deadLetters.records.some((r) => String(r.headers[DEAD_LETTER_HEADERS.rejectReason]) === 'ex_date_past'),
    );
    await producer.disconnect();
    await admin.disconnect();

    // Live equals the offline replay (with the same FX filter) byte for byte, stale flags too.
    const live = sortRows(levels.records.map((r) => recordAsRow(r.value!)));
    expect(live.length).toBe(expected.rows.length);
    expect(live).toEqual(expected.rows);
    const liveStale = new Set(
      levels.records.filter((r) => r.value!.stale).map((r) => `${r.value!.indexId}#${r.value!.sequence}`),
    );
    expect(liveStale.size).toBeGreaterThan(0);
    expect(liveStale).toEqual(expected.stale);
    // Every level names the FX observation it used, the same one live and replayed.
    const liveFx = new Map(
      levels.records.map((r) => [`${r.value!.indexId}#${r.value!.sequence}`, r.value!.fxObservation]),
    );
    expect(liveFx).toEqual(expected.fx);
    expect([...liveFx.values()].some((o) => o?.observationId.startsWith('fx-filter:'))).toBe(true);

    // One adjustment per ex-date, never two, each with the pro-forma of the indices it changes.
    const published = adjustments.records.map((r) => r.value!);
    expect(published.map((a) => a.effectiveDate)).toEqual(['2025-03-25', '2025-03-26']);
    expect(published.every((a) => a.indexId === '*' && a.actions.length === 3)).toBe(true);

    // The filter refused the spike and the raw USD legs were crossed, never passed through.
    const reasons = deadLetters.records.map((r) => String(r.headers[DEAD_LETTER_HEADERS.rejectReason]));
    expect(reasons.filter((r) => r === 'fx_jump')).toHaveLength(1);
    expect(reasons.filter((r) => r === 'ex_date_past')).toHaveLength(1);
    // The replay's watermark records (no value) travel on the same topic as the filter's rates.
    const rates = fxOut.records.filter((r) => readWatermark(r.headers).kind === 'none');
    expect(rates.length).toBeGreaterThan(0);
    expect(rates.every((r) => r.value!.pair === 'HKDCNY')).toBe(true);

    // Continuity: no level moves at an adjustment, except by the HKD dividend's amount.
    const byIndex = new Map<string, IndexLevelRecord[]>();
    for (const r of levels.records) {
      const list = byIndex.get(r.value!.indexId) ?? [];
      list.push(r.value!);
      byIndex.set(r.value!.indexId, list);
    }
    const fx = new FxRateFilter({ maxJump: FX_MAX_JUMP });
    let hkdCny = '';
    for (const row of [...scenario.fxByDay.get('2025-03-24')!, ...scenario.fxByDay.get('2025-03-25')!]) {
      const result = fx.accept({ pair: row.pair, rate: row.rate, eventTime: parseTimestamp(row.ts)! });
      if (result.accepted && result.published) hkdCny = result.published.rate;
    }
    let dividendDrops = 0;
    for (const [indexId, list] of byIndex) {
      list.sort((a, b) => a.sequence - b.sequence);
      for (const [i, level] of list.entries()) {
        if (level.trigger !== 'INDEX_ADJUSTMENT' || i === 0) continue;
        const before = list[i - 1]!;
        const drop = new Dec(before.level).minus(level.level);
        const adjustment = published.find((a) => a.eventTime === level.eventTime)!;
        const proforma = adjustment.proforma.find((p) => p.indexId === indexId);
        const dividend = proforma?.constituents.find((c) => c.symbol === DIVIDEND.symbol);
        if (dividend && drop.gt(0)) {
          // 除息不修正: the price index falls by amount × HKDCNY × index shares / divisor.
          const expectedDrop = new Dec(DIVIDEND.amount)
            .times(hkdCny)
            .times(dividend.sharesBefore!)
            .div(proforma!.divisorBefore!);
          expect(drop.minus(expectedDrop).abs().lt('1e-12'), `${indexId} dividend drop`).toBe(true);
          dividendDrops += 1;
        } else {
          expect(formatFixed(new Dec(level.level), 10), `${indexId} #${level.sequence}`).toBe(
            formatFixed(new Dec(before.level), 10),
          );
        }
      }
      // The calculator's divisor after each date's last step is the one the service announced.
      for (const adjustment of published) {
        const proforma = adjustment.proforma.find((p) => p.indexId === indexId);
        if (!proforma) continue;
        const last = list
          .filter((l) => l.trigger === 'INDEX_ADJUSTMENT' && l.eventTime === adjustment.eventTime)
          .at(-1);
        expect(last?.divisor, `${indexId} divisor on ${adjustment.effectiveDate}`).toBe(
          proforma.divisorAfter,
        );
      }
    }
    expect(dividendDrops).toBeGreaterThan(0);
    expect(published.every((a) => a.proforma.length > 0)).toBe(true);
  }, 600_000);
});

/** Raw quotes and watermark records, in the order (and so at the offsets) they are produced. */
type RawRecord =
  | { readonly quote: FxRateRecord }
  | { readonly watermark: { readonly time: number; readonly final: boolean } };

/** A day of HKDCNY quotes with one fat-fingered jump and a USD cross, watermarks every 50 quotes. */
function rawFeed(from: number, count: number, final: boolean): RawRecord[] {
  const records: RawRecord[] = [];
  const start = Date.UTC(2025, 2, 24, 1, 30);
  for (let i = from; i < from + count; i += 1) {
    const eventTime = start + i * 1000;
    const rate = i === 7 ? '1.38' : (0.92 + (i % 5) * 0.0001).toFixed(4);
    records.push({ quote: { pair: 'HKDCNY', rate, eventTime, source: 'FEED', sequence: i + 1 } });
    if (i === from + 30) {
      // The USD legs: crossed, the newer rate wins until the next direct quote.
      records.push({ quote: { pair: 'USDCNY', rate: '7.2', eventTime, source: 'FEED', sequence: i + 1 } });
      records.push({
        quote: { pair: 'USDHKD', rate: '7.8', eventTime: eventTime + 1, source: 'FEED', sequence: i + 1 },
      });
    }
    if ((i + 1) % 50 === 0) records.push({ watermark: { time: eventTime + 1, final: false } });
  }
  const last = start + (from + count) * 1000;
  records.push({ watermark: { time: last, final } });
  return records;
}

/** The FX records the service must publish for `raw`: the filter offline, numbered by raw offset. */
function expectedRates(raw: readonly RawRecord[]): string[] {
  const filter = new FxRateFilter({ maxJump: FX_MAX_JUMP });
  const out: string[] = [];
  for (const [offset, record] of raw.entries()) {
    if (!('quote' in record)) continue;
    const q = record.quote;
    const result = filter.accept({ ...q, observationId: `${q.source}:${q.pair}:${q.sequence}` });
    if (!result.accepted || result.published === null) continue;
    const p = result.published;
    const source = p.direct ? q.source : `fx-filter:${p.derivation}`;
    out.push(`${p.pair} ${p.rate}@${p.eventTime} ${source} #${offset + 1}`);
  }
  return out;
}

describe.each(['native', 'kafkajs'])('FX filter on the pipeline (%s client)', (client) => {
  const readers: TopicReader<unknown>[] = [];
  afterAll(async () => {
    await Promise.all(readers.map((reader) => reader.stop()));
  });

  it('forwards the raw watermarks to the fx topic and publishes every rate, refusal and watermark once across a SIGKILL', async () => {
    const scenario = buildScenarioDataset();
    const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir: scenario.dir });
    const { kafka, registry, topics, env, prefix } = environment;
    const serviceEnv = {
      ...env,
      SERVICE_ID: 'wm',
      PUBLISH_MODE: 'immediate',
      FX_MAX_JUMP,
      KAFKA_CLIENT: client,
      // Small batches, so the kill lands between transactions of one feed.
      FX_BATCH_SIZE: '10',
    };
    const fxOut = await new TopicReader<FxRateRecord>(kafka, registry, topics.fx).start();
    const deadLetters = await new TopicReader<unknown>(kafka, registry, topics.deadLetter, false).start();
    readers.push(fxOut, deadLetters);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    const serdes = createAvroSerdes<FxRateRecord>(registry, topics.fxRaw);
    const send = async (records: readonly RawRecord[]) => {
      const messages = [];
      for (const record of records) {
        messages.push(
          'quote' in record
            ? { key: record.quote.pair, value: await serdes.serialize(record.quote) }
            : { partition: 0, key: null, value: null, headers: watermarkHeaders(record.watermark) },
        );
      }
      await producer.send({ topic: topics.fxRaw, messages });
    };
    const committed = async () => {
      const [offsets] = await admin.fetchOffsets({
        groupId: `indexflow-corporate-actions-${prefix}wm-fx`,
        topics: [topics.fxRaw],
      });
      return Number(offsets?.partitions[0]?.offset ?? -1);
    };
    let service = startService(serviceEnv);
    const diagnostics = () => `\nservice:\n${service.output().slice(-3000)}`;
    const wait = async (what: string, condition: () => boolean | Promise<boolean>) => {
      try {
        await waitFor(condition, { timeoutMs: 60_000, intervalMs: 50 });
      } catch (error) {
        throw new Error(`${what}: ${(error as Error).message}${diagnostics()}`);
      }
    };

    const first = rawFeed(0, 400, false);
    await send(first);
    // Killed part-way through the first feed: some transactions committed, others not yet.
    await wait('first transactions', async () => (await committed()) > 0);
    service.child.kill('SIGKILL');
    await service.exited;
    const second = rawFeed(400, 100, true);
    await send(second);
    service = startService(serviceEnv);
    const raw = [...first, ...second];
    await wait('every raw record consumed', async () => (await committed()) >= raw.length);
    const lastWatermark = second.at(-1)!;
    const isFinal = (r: (typeof fxOut.records)[number]) => {
      const mark = readWatermark(r.headers);
      return mark.kind === 'watermark' && mark.watermark.final;
    };
    await wait('final watermark forwarded', () => fxOut.records.some(isFinal));
    service.child.kill('SIGTERM');
    await service.exited;
    await producer.disconnect();
    await admin.disconnect();

    // Every rate once, in raw order, exactly the records the filter gives offline.
    const rates = fxOut.records
      .filter((r) => readWatermark(r.headers).kind === 'none')
      .map(
        (r) =>
          `${r.value!.pair} ${r.value!.rate}@${r.value!.eventTime} ${r.value!.source} #${r.value!.sequence}`,
      );
    const expected = expectedRates(raw);
    expect(expected.some((r) => r.includes('fx-filter:'))).toBe(true);
    expect(rates).toEqual(expected);
    // The jump refused once; no watermark record was taken for an undecodable one.
    const reasons = deadLetters.records.map((r) => String(r.headers[DEAD_LETTER_HEADERS.rejectReason]));
    expect(reasons).toEqual(['fx_jump']);

    // Watermarks: each one a raw watermark the output had passed, rising, none twice, the final
    // one last; and no rate after a watermark is older than it.
    const marks: { time: number; final: boolean; at: number }[] = [];
    for (const [at, r] of fxOut.records.entries()) {
      const mark = readWatermark(r.headers);
      if (mark.kind === 'watermark') marks.push({ ...mark.watermark, at });
    }
    const rawMarks = new Set(raw.flatMap((r) => ('watermark' in r ? [r.watermark.time] : [])));
    expect(marks.length).toBeGreaterThan(1);
    expect(marks.every((m) => rawMarks.has(m.time))).toBe(true);
    for (const [i, m] of marks.entries()) if (i > 0) expect(m.time).toBeGreaterThan(marks[i - 1]!.time);
    expect(marks.at(-1)).toMatchObject(
      'watermark' in lastWatermark ? { time: lastWatermark.watermark.time, final: true } : {},
    );
    for (const m of marks) {
      const later = fxOut.records.slice(m.at + 1).filter((r) => readWatermark(r.headers).kind === 'none');
      expect(later.every((r) => r.value!.eventTime >= m.time)).toBe(true);
    }
  }, 240_000);
});
