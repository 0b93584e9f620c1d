// What `recover` does with the stored snapshots, as pure functions of what it read. Kafka's
// committed offsets decide: a pending snapshot at exactly those offsets was staged for the
// transaction that committed (the crash came before promote); any other pending belongs to a
// transaction that aborted or never ran.
import { canonicalOffsets, type InputOffsets } from '@indexflow/pipeline';
import type { StoredSnapshot } from './snapshot-codec.js';

export type PendingDecision =
  | { readonly action: 'none' }
  | { readonly action: 'promote'; readonly version: number }
  | { readonly action: 'discard'; readonly version: number };

export function decidePending(
  pending: StoredSnapshot | null,
  kafkaOffsets: InputOffsets | null,
): PendingDecision {
  if (pending === null) return { action: 'none' };
  const version = pending.snapshot.version;
  // Kafka without offsets never committed a transaction, so no pending snapshot can match it.
  if (
    kafkaOffsets !== null &&
    canonicalOffsets(pending.snapshot.offsets) === canonicalOffsets(kafkaOffsets)
  ) {
    return { action: 'promote', version };
  }
  return { action: 'discard', version };
}
