// The consumer groups and transactional ids each service and command uses, in one place: the
// services name their clients with these, and the ACL plan grants exactly these names, so a
// renamed group can never leave a service without its ACL.
import { randomBytes } from 'node:crypto';

/**
 * The consumer group and transactional id of a calculator: its offsets are the recovery point.
 * A shard's is this of `<id>-shard-<n>`, and the shard-assignment group this plus `-shards`, so
 * all of them start with this name.
 */
export function calculatorGroupId(topicPrefix: string, calculatorId: string): string {
  return `indexflow-calculator-${topicPrefix}${calculatorId}`;
}

/**
 * What the corporate-actions service's groups and transactional ids start with: `-actions` and
 * `-fx` follow.
 */
export function corporateActionsGroupId(topicPrefix: string, serviceId: string): string {
  return `indexflow-corporate-actions-${topicPrefix}${serviceId}`;
}

/** The group `indexflow eod consume` copies closes into the close history with. */
export function eodHistoryGroupId(topicPrefix: string): string {
  return `indexflow-eod-${topicPrefix}history`;
}

/**
 * What each `indexflow recompute` run's group and transactional id start with (a run id
 * follows), with every character Kafka names do not take as `-`.
 */
export function recomputeClientIdPrefix(topicPrefix: string): string {
  return kafkaSafeName(`indexflow-recompute-${topicPrefix}`);
}

/** `name` with every character other than letters, digits, `.`, `_` and `-` replaced by `-`. */
export function kafkaSafeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '-');
}

/**
 * A fresh group for one read from explicit offsets (never committed): `<clientId>-<pid>-<random>`.
 * Its name starts with `readerGroupPrefix(clientId)`, which is what a reader's ACL names.
 */
export function readerGroupId(clientId: string): string {
  return `${readerGroupPrefix(clientId)}${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function readerGroupPrefix(clientId: string): string {
  return `${clientId}-`;
}

/** The gateway's level reader. */
export function gatewayClientId(gatewayId: string): string {
  return `indexflow-${gatewayId}`;
}

/** The corporate-actions service's reader of announcements and published adjustments. */
export function corporateActionsReaderClientId(serviceId: string): string {
  return `indexflow-corporate-actions-${serviceId}-actions`;
}

/** `indexflow subscribe`'s level reader. */
export const SUBSCRIBE_CLIENT_ID = 'indexflow-subscribe';
/** `indexflow actions import`'s producer and its reader of the published adjustments. */
export const ACTIONS_IMPORT_CLIENT_ID = 'indexflow-actions-import';
