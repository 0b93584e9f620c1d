import { resolve } from 'node:path';
import {
  ActionRegister,
  type Announcement,
  type RegisterRejection,
  readAnnouncements,
  shanghaiDate,
} from '@indexflow/corporate-actions';
import { readIndexDefinitions } from '@indexflow/dataset-files';
import {
  ACTIONS_IMPORT_CLIENT_ID,
  ALL_TOPICS,
  AVRO_TOPICS,
  type CorporateActionRecord,
  createAvroSerdes,
  createRecordReader,
  createSchemaRegistryClient,
  ensureTopics,
  type IndexAdjustmentRecord,
  openRecordProducer,
  openTopicAdmin,
  registerTopicSchemas,
  topicNames,
} from '@indexflow/kafka';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import type { Command } from 'commander';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { awaitAdjustments, datesDueNow } from '../kafka/await-adjustments.js';
import { cliKafkaClient, KAFKA_CLIENT_HELP } from '../kafka/cli-kafka-client.js';

interface ImportFlags {
  readonly indices?: string;
  readonly asOf?: string;
  readonly dryRun?: boolean;
  readonly strict?: boolean;
  readonly wait: boolean;
  readonly waitMs: string;
}

export interface ImportCheck {
  readonly accepted: Announcement[];
  readonly refused: Array<{ line: number; reason: string; detail: string }>;
}

/**
 * Checks a file the way the service will (same register rules, from an empty register as of
 * `today`), so an operator sees every refusal with its line before anything is published.
 */
export function checkActionsFile(path: string, indicesDir: string, today: string, now: number): ImportCheck {
  const register = new ActionRegister(readIndexDefinitions(indicesDir));
  const accepted: Announcement[] = [];
  const refused: ImportCheck['refused'] = [];
  const seen = new Set<string>();
  for (const row of readAnnouncements(path, now)) {
    if ('problem' in row) {
      refused.push({ line: row.line, reason: 'malformed_row', detail: row.problem });
      continue;
    }
    const { announcement } = row;
    if (seen.has(announcement.actionId)) {
      // A second row with the same id would silently amend the first: in one file it is a mistake.
      refused.push({
        line: row.line,
        reason: 'conflicting_action',
        detail: `${announcement.actionId} appears twice in the file`,
      });
      continue;
    }
    const outcome = register.submit(announcement, today);
    if (outcome.outcome === 'rejected') {
      const r: RegisterRejection = outcome.rejection;
      refused.push({ line: row.line, reason: r.reason, detail: r.detail });
      continue;
    }
    seen.add(announcement.actionId);
    accepted.push(announcement);
  }
  return { accepted, refused };
}

function toRecord(a: Announcement): CorporateActionRecord {
  const x = a.action;
  return {
    actionId: a.actionId,
    type: x.type,
    symbol: x.symbol,
    indexId: x.indexId ?? null,
    exDate: a.exDate,
    ratio: x.ratio ?? null,
    price: x.price ?? null,
    amount: x.amount ?? null,
    shares: x.shares ?? null,
    currency: x.currency ?? null,
    announcedAt: a.announcedAt,
  };
}

async function importAction(file: string, flags: ImportFlags): Promise<void> {
  const path = resolve(file);
  const now = Date.now();
  const today = flags.asOf ?? shanghaiDate(now);
  const indicesDir = flags.indices ?? process.env.INDEX_DEFINITIONS_DIR ?? SAMPLE_DIR;
  const { accepted, refused } = checkActionsFile(path, indicesDir, today, now);
  for (const r of refused) process.stderr.write(`${file}:${r.line}: ${r.reason}: ${r.detail}\n`);
  if (flags.dryRun) {
    process.stdout.write(`actions import (dry run): ${accepted.length} valid, ${refused.length} refused\n`);
  } else {
    const brokers = process.env.KAFKA_BROKERS;
    const registryUrl = process.env.SCHEMA_REGISTRY_URL;
    if (!brokers || !registryUrl) {
      throw new Error(
        'actions import needs KAFKA_BROKERS and SCHEMA_REGISTRY_URL (e.g. eval "$(bash scripts/services.sh env)"), or --dry-run',
      );
    }
    const prefix = process.env.TOPIC_PREFIX ?? '';
    const client = cliKafkaClient();
    const clientOptions = { client, brokers: brokers.split(','), clientId: ACTIONS_IMPORT_CLIENT_ID };
    const admin = await openTopicAdmin(clientOptions);
    try {
      await ensureTopics(
        admin,
        ALL_TOPICS.map((t) => ({ ...t, name: `${prefix}${t.name}` })),
      );
    } finally {
      await admin.close();
    }
    const registry = createSchemaRegistryClient({ url: registryUrl });
    await registerTopicSchemas(registry, {
      topics: AVRO_TOPICS.map((t) => ({ name: `${prefix}${t.name}`, schema: t.schema })),
    });
    const topic = topicNames(prefix).corporateActions;
    const serdes = createAvroSerdes<CorporateActionRecord>(registry, topic);
    const producer = await openRecordProducer(clientOptions);
    try {
      const records = [];
      for (const a of accepted)
        records.push({ topic, key: a.actionId, value: await serdes.serialize(toRecord(a)) });
      if (records.length > 0) await producer.send(records);
    } finally {
      await producer.close();
    }
    process.stdout.write(
      `actions import: ${accepted.length} published to ${topic} (keyed by actionId), ${refused.length} refused\n`,
    );
    const due = datesDueNow(
      accepted.map((a) => a.exDate),
      process.env.PUBLISH_AT ?? '17:00',
      now,
    );
    const waitMs = Number(flags.waitMs);
    if (!Number.isInteger(waitMs) || waitMs <= 0)
      throw new Error(`--wait-ms must be a positive whole number of ms, was ${flags.waitMs.slice(0, 200)}`);
    if (flags.wait && due.length > 0) {
      const adjustments = topicNames(prefix).indexAdjustments;
      await awaitAdjustments({
        reader: createRecordReader(clientOptions),
        topic: adjustments,
        serdes: createAvroSerdes<IndexAdjustmentRecord>(registry, adjustments),
        dates: due,
        timeoutMs: waitMs,
      });
      process.stdout.write(`actions import: adjustments published for ${due.join(', ')}\n`);
    }
  }
  if (flags.strict && refused.length > 0) process.exitCode = 1;
}

export function registerActionsCommand(program: Command): void {
  const actions = program.command('actions').description(COMMAND_SUMMARIES.actions);
  actions
    .command('import <file.csv>')
    .description(
      'validate an actions.csv (offline-replay format; optional actionId and currency columns) and publish the valid rows to the compacted indexflow.corporate-actions topic',
    )
    .option('--indices <dir>', 'dataset directory whose indices/*.json define known indices and symbols')
    .option(
      '--as-of <YYYY-MM-DD>',
      'business date for the "ex-date in the past" check (default: today, Asia/Shanghai)',
    )
    .option('--dry-run', 'only validate and report; publish nothing')
    .option('--strict', 'exit non-zero when any row was refused')
    .option(
      '--no-wait',
      'return without waiting for the corporate-actions service to publish the adjustments already due (ex-dates whose publication time, PUBLISH_AT on the day before, has passed)',
    )
    .option('--wait-ms <ms>', 'how long to wait for those adjustments', '30000')
    .addHelpText(
      'after',
      `\nThe wait reads the adjustments topic with the chosen client. ${KAFKA_CLIENT_HELP}\n`,
    )
    .action(importAction);
}
