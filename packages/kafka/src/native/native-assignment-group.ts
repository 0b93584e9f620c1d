// The AssignmentMembership port on librdkafka's native consumer: the group only assigns
// partitions; a short consume loop serves the rebalance callbacks (librdkafka heartbeats on
// its own thread).
import type { AssignmentGroupOptions, AssignmentMembership } from '../record-ports.js';
import {
  baseConfig,
  connectNative,
  disconnectNative,
  nativeKafka,
  nativeOperationError,
  type RdKafka,
} from './native-client.js';

const ERR_ASSIGN_PARTITIONS = -175;
/** How long one consume call waits; rebalances are noticed within about this. */
const POLL_MS = 250;
const RETRY_MS = 1_000;

export async function joinNativeAssignmentGroup(
  brokers: readonly string[],
  clientId: string,
  options: AssignmentGroupOptions,
): Promise<AssignmentMembership> {
  let left = false;
  let failed = false;
  const fail = (error: unknown) => {
    if (failed || left) return;
    failed = true;
    options.onFailed(error);
  };
  const consumer: RdKafka.KafkaConsumer = new (nativeKafka().KafkaConsumer)(
    {
      ...baseConfig(brokers, clientId),
      'group.id': options.groupId,
      'session.timeout.ms': options.sessionTimeoutMs,
      'heartbeat.interval.ms': Math.floor(options.sessionTimeoutMs / 5),
      // The eager protocol hands each member its whole assignment at once, as kafkajs does.
      'partition.assignment.strategy': 'roundrobin',
      'enable.auto.commit': false,
      'allow.auto.create.topics': false,
      rebalance_cb: (err: RdKafka.LibrdKafkaError, assignment: RdKafka.Assignment[]) => {
        if (err.code === ERR_ASSIGN_PARTITIONS) {
          consumer.assign(assignment);
          options.onAssigned(assignment.filter((a) => a.topic === options.topic).map((a) => a.partition));
        } else consumer.unassign();
      },
    },
    { 'auto.offset.reset': 'latest' },
  );
  consumer.on('event.error', (error: RdKafka.LibrdKafkaError) => {
    if (error.isFatal) fail(error);
  });
  consumer.setDefaultConsumeTimeout(POLL_MS);
  await connectNative(consumer, clientId);
  consumer.subscribe([options.topic]);
  const loop = (async () => {
    while (!left && !failed) {
      try {
        await new Promise<void>((resolve, reject) =>
          consumer.consume(1, (err) => (err ? reject(err) : resolve())),
        );
      } catch (error) {
        if ((error as { isFatal?: boolean }).isFatal === true)
          fail(nativeOperationError('consume', options.groupId, error));
        else await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  })();
  let leaving: Promise<void> | undefined;
  return {
    leave() {
      left = true;
      // Closing the consumer sends LeaveGroup: the others rebalance at once.
      leaving ??= loop.then(() => disconnectNative(consumer));
      return leaving;
    },
  };
}
