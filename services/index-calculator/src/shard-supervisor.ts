import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type AssignmentMembership,
  ensureTopics,
  joinAssignmentGroup,
  openTopicAdmin,
  TOPICS,
  type TopicAdmin,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import { openRedis } from '@indexflow/redis-state';
import type { Redis } from 'ioredis';
import type { CalculatorMetrics } from './calculator-metrics.js';
import { calculatorGroupId, createCalculatorRuntime } from './calculator-runtime.js';
import type { CalculatorConfig } from './config.js';
import { loadIndexDefinitions } from './index-definitions.js';
import { ShardLease } from './shard-lease.js';
import { type RunningShard, type ShardLauncher, ShardOwnership } from './shard-ownership.js';
import { parseShardListing, planShards, type ShardPlan, shardCalculatorId } from './shard-plan.js';
import { createShardScope } from './shard-scope.js';

/** The shard-assignment topic has another partition count than SHARDS: the plan would not match. */
export class ShardTopicMismatchError extends Error {
  constructor(
    readonly topic: string,
    readonly partitions: number,
    readonly shards: number,
  ) {
    super(
      `${topic} has ${partitions} partitions but SHARDS is ${shards}; they must be equal (changing SHARDS moves indices between shards: use a new CALCULATOR_ID)`,
    );
    this.name = 'ShardTopicMismatchError';
  }
}

const FREE_POLL_MS = 500;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the shards Kafka's consumer-group assignment gives this instance. Each partition of the
 * shard-assignment topic is one shard; the topic carries no records, so the group only assigns.
 * Each shard is the single calculator restricted to its indices, with its own CALCULATOR_ID
 * (`<id>-shard-<n>`): its own input consumer group, transactional id and Redis keys, so recovery
 * and exactly-once work per shard exactly as for one calculator.
 */
export class ShardSupervisor {
  readonly #config: CalculatorConfig;
  readonly #log: Logger;
  readonly #metrics: CalculatorMetrics;
  readonly #plan: ShardPlan;
  readonly #ownership: ShardOwnership;
  readonly #topic: string;
  #admin: TopicAdmin | null = null;
  #membership: AssignmentMembership | null = null;
  #redis: Redis | null = null;
  /** Leases this instance holds or waits for, by shard. */
  readonly #leases = new Map<number, ShardLease>();
  readonly #owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  #joined = false;
  #failed: (error: unknown) => void = () => {};
  /** Rejects when the assignment consumer fails for good; the process should then exit. */
  readonly failure: Promise<never>;

  constructor(config: CalculatorConfig, log: Logger, metrics: CalculatorMetrics) {
    this.#config = config;
    this.#log = log;
    this.#metrics = metrics;
    this.#plan = planShards(
      loadIndexDefinitions(config.INDEX_DEFINITIONS_DIR),
      config.SHARDS,
      parseShardListing(config.SHARD_INDICES, config.SHARDS),
    );
    this.#topic = `${config.TOPIC_PREFIX}${TOPICS.calculatorShards.name}`;
    this.#ownership = new ShardOwnership({
      launcher: this.#launcher(),
      logger: log,
      retryDelayMs: 1000,
      sleep,
    });
    this.failure = new Promise<never>((_, reject) => {
      this.#failed = reject;
    });
    this.failure.catch(() => {});
  }

  /** True once the group has assigned this instance its shards and each of them is running. */
  get ready(): boolean {
    return this.#joined && this.#ownership.ready;
  }

  get owned(): number[] {
    return this.#ownership.owned;
  }

  /** How many indices each shard computes, for the start log line. */
  get indicesPerShard(): number[] {
    return Array.from({ length: this.#plan.shards }, (_, s) => this.#plan.definitionsOf(s).length);
  }

  /** Creates (or checks) the shard-assignment topic, then joins its consumer group. */
  async start(): Promise<void> {
    const config = this.#config;
    const client = {
      client: config.KAFKA_CLIENT,
      brokers: config.KAFKA_BROKERS.split(','),
      clientId: `indexflow-calculator-${config.CALCULATOR_ID}-supervisor`,
      logger: this.#log,
    };
    const admin = await openTopicAdmin(client);
    this.#admin = admin;
    this.#redis = await openRedis(config.REDIS_URL, { tlsCaFile: config.REDIS_TLS_CA_FILE });
    await ensureTopics(admin, [
      { name: this.#topic, partitions: config.SHARDS, cleanupPolicy: TOPICS.calculatorShards.cleanupPolicy },
    ]);
    const partitions = (await admin.partitionCounts([this.#topic])).get(this.#topic) ?? 0;
    if (partitions !== config.SHARDS)
      throw new ShardTopicMismatchError(this.#topic, partitions, config.SHARDS);

    this.#membership = await joinAssignmentGroup({
      ...client,
      groupId: `${calculatorGroupId(config.TOPIC_PREFIX, config.CALCULATOR_ID)}-shards`,
      topic: this.#topic,
      // A crashed instance's shards move after this long; the broker's minimum is 6 s.
      sessionTimeoutMs: config.SHARD_SESSION_TIMEOUT_MS,
      onAssigned: (shards) => {
        this.#joined = true;
        this.#ownership.assign(shards);
      },
      onFailed: (error) => {
        this.#log.error({ err: error }, 'shard assignment group failed');
        this.#failed(error);
      },
    });
  }

  /** Stops every shard (each commits its batch), then leaves the group so others take them at once. */
  async stop(): Promise<void> {
    await this.#ownership.releaseAll();
    await this.#membership?.leave();
    await this.#admin?.close();
    await this.#redis?.quit();
  }

  #lease(shard: number): ShardLease {
    const config = this.#config;
    const tag = shardCalculatorId(config.CALCULATOR_ID, shard);
    // The shard's own hash tag, beside its state keys (same slot on Redis Cluster).
    const key = `${config.TOPIC_PREFIX || 'indexflow'}:{${tag}}:lease`;
    return new ShardLease(this.#redis!, key, this.#owner, config.SHARD_SESSION_TIMEOUT_MS);
  }

  #launcher(): ShardLauncher {
    const config = this.#config;
    return {
      waitUntilFree: async (shard, cancelled) => {
        // First the lease (a revoked owner holds it until its last batch is committed and its
        // clients closed), then an empty input group (a crashed owner's consumer stays a member
        // until its session times out, and a new member would share the partitions with it).
        const lease = this.#lease(shard);
        this.#leases.set(shard, lease);
        if (!(await lease.acquire(cancelled, FREE_POLL_MS))) return;
        const groupId = calculatorGroupId(
          config.TOPIC_PREFIX,
          shardCalculatorId(config.CALCULATOR_ID, shard),
        );
        let logged = false;
        try {
          while (!cancelled() && this.#admin !== null) {
            if ((await this.#admin.groupMemberCount(groupId)) === 0) return;
            if (!logged)
              this.#log.info({ shard, groupId }, 'waiting for the previous owner to leave the shard');
            logged = true;
            await sleep(FREE_POLL_MS);
          }
        } catch (error) {
          await lease.release().catch(() => {});
          throw error;
        }
        // Revoked while waiting: the next owner must not wait for this lease to expire.
        await lease.release().catch(() => {});
      },
      start: async (shard): Promise<RunningShard> => {
        const log = this.#log.child({ shard });
        const lease = this.#leases.get(shard)!;
        let runtime: Awaited<ReturnType<typeof createCalculatorRuntime>>;
        try {
          runtime = await createCalculatorRuntime(
            { ...config, CALCULATOR_ID: shardCalculatorId(config.CALCULATOR_ID, shard) },
            log,
            {
              scope: createShardScope(this.#plan, shard, {
                rejectUnknownSymbols: config.REJECT_UNKNOWN_SYMBOLS,
              }),
              metrics: this.#metrics,
            },
          );
        } catch (error) {
          await lease.release().catch(() => {});
          throw error;
        }
        const { calculator } = runtime;
        lease.keep(() => {
          log.error({ lease: lease.key }, 'shard lease taken by another instance; stopping the shard');
          calculator.stop();
        });
        const done = calculator.run().finally(async () => {
          await runtime.close();
          await lease.release().catch((error) => log.warn({ err: error }, 'shard lease not released'));
        });
        done.catch(() => {});
        return {
          done,
          get ready() {
            return calculator.ready;
          },
          async stop() {
            calculator.stop();
            await done.catch(() => {});
          },
        };
      },
    };
  }
}
