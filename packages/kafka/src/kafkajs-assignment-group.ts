// The AssignmentMembership port on a kafkajs consumer (KAFKA_CLIENT=kafkajs).
import type { Kafka } from 'kafkajs';
import type { AssignmentGroupOptions, AssignmentMembership } from './record-ports.js';

export async function joinKafkajsAssignmentGroup(
  kafka: Kafka,
  options: AssignmentGroupOptions,
): Promise<AssignmentMembership> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: Math.floor(options.sessionTimeoutMs / 5),
    // kafkajs heartbeats between fetches: a short long-poll on the empty topic keeps them (and
    // the notice of a rebalance) on time.
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    options.onAssigned(payload.memberAssignment[options.topic] ?? []);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) options.onFailed(payload.error);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: false });
  await consumer.run({ eachMessage: async () => {} });
  let leaving: Promise<void> | undefined;
  return {
    leave() {
      leaving ??= consumer.disconnect();
      return leaving;
    },
  };
}
