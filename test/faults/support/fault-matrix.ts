// The faults of the suite, as data: each says how to inject it, how long it lasts, how it heals,
// when its dependency counts as back (the start of the recovery time), and what a calculator logs
// when the fault took the path it is about. The case runner (fault-case.ts) does the rest.
import { waitFor } from '@indexflow/testkit';
import { type FaultCluster, KAFKA_NODES, type RedisNode } from './fault-cluster.js';
import type { FaultServices, Service } from './fault-services.js';

export interface FaultContext {
  readonly cluster: FaultCluster;
  readonly run: FaultServices;
  /** The services running since before the fault (not a calculator restarted during it). */
  steady(): Service[];
  /** A measured fact for the results table (which node, how soon /readyz said so). */
  note(text: string): void;
}

export interface FaultSteps {
  /** At a sixth of the day (e.g. a copy of Redis's files, to restore later). */
  prepare?(): Promise<void>;
  /** At a third of the day: the fault begins when this resolves. */
  inject(): Promise<void>;
  /** While the fault lasts. */
  hold(): Promise<void>;
  heal(): Promise<void>;
}

export interface Fault {
  readonly id: string;
  readonly title: string;
  /**
   * When the dependency counts as back, the start of the recovery time: after `hold` (a cluster
   * that heals itself: a new leader, a promoted replica) or after `heal` (the process is back).
   */
  readonly backAt: 'hold' | 'heal';
  /** Needs a registry of its own (the shared one is not ours to kill). */
  readonly ownRegistry?: boolean;
  /** What some calculator's output shows when the fault took the recovery path it is about. */
  readonly evidence?: RegExp;
  steps(context: FaultContext): FaultSteps;
}

const PAUSE_MS = 15_000;
/** The shortest outage of a process that is killed and restarted. */
const OUTAGE_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until a service running since before the fault names `dependency` down on /readyz. */
async function namedDown(context: FaultContext, dependency: string, since: number): Promise<void> {
  await waitFor(
    async () => {
      for (const service of context.steady())
        if ((await service.ops.down()).includes(dependency)) return true;
      return false;
    },
    { timeoutMs: 15_000, intervalMs: 250, description: `a service's /readyz to name ${dependency} down` },
  );
  context.note(`/readyz 503 naming ${dependency} after ${Date.now() - since} ms`);
}

/** Holds an outage: /readyz must name the dependency, and it lasts at least OUTAGE_MS. */
async function outage(context: FaultContext, dependency: string, since: number): Promise<void> {
  await namedDown(context, dependency, since);
  await sleep(Math.max(0, OUTAGE_MS - (Date.now() - since)));
}

const other = (node: RedisNode): RedisNode => (node === 'primary' ? 'replica' : 'primary');

/** Both Redis data nodes SIGKILLed; back (primary first) after `restore` prepared their files. */
function redisLoss(context: FaultContext, restore: (primary: RedisNode) => void): FaultSteps {
  const { cluster } = context;
  let primary: RedisNode = 'primary';
  let since = 0;
  return {
    inject: async () => {
      primary = await cluster.redisPrimary();
      since = Date.now();
      await Promise.all([cluster.killRedis(primary), cluster.killRedis(other(primary))]);
    },
    hold: () => outage(context, 'redis', since),
    heal: async () => {
      restore(primary);
      cluster.wipeRedis(other(primary));
      await cluster.restartRedis(primary);
      await cluster.restartRedis(other(primary));
    },
  };
}

const leaderSigkill: Fault = {
  id: 'leader-sigkill',
  title: 'partition-leader broker SIGKILL',
  backAt: 'hold',
  steps: (context) => {
    const { cluster, run } = context;
    const topic = run.environment.topics.indexLevels;
    let node = 0;
    return {
      inject: async () => {
        node = await cluster.leaderOf(topic, 0);
        context.note(`node ${node}`);
        await cluster.killNode(node);
      },
      // The cluster heals itself: back once the controller has fenced the node and moved its leaders.
      hold: async () => {
        const since = Date.now();
        await waitFor(async () => (await cluster.leaderOf(topic, 0)) !== node, {
          timeoutMs: 60_000,
          intervalMs: 250,
          description: `a new leader of ${topic}[0]`,
        });
        context.note(`new leader after ${Date.now() - since} ms`);
      },
      // The node comes back on its data later, with two thirds of the day read.
      heal: async () => {
        try {
          await run.waitProgress(2 / 3, 180_000);
        } finally {
          await cluster.restartNode(node);
        }
      },
    };
  },
};

const leaderSigstop: Fault = {
  id: 'leader-sigstop',
  title: `partition-leader broker SIGSTOP ${PAUSE_MS / 1000} s`,
  backAt: 'heal',
  steps: (context) => {
    const { cluster, run } = context;
    let node = 0;
    return {
      inject: async () => {
        node = await cluster.leaderOf(run.environment.topics.indexLevels, 0);
        context.note(`node ${node}`);
        cluster.signalNode(node, 'SIGSTOP');
      },
      hold: () => sleep(PAUSE_MS),
      heal: async () => cluster.signalNode(node, 'SIGCONT'),
    };
  },
};

const clusterSigstop: Fault = {
  id: 'cluster-sigstop',
  title: `every broker SIGSTOP ${PAUSE_MS / 1000} s`,
  backAt: 'heal',
  steps: (context) => {
    const nodes = [...Array(KAFKA_NODES).keys()].map((i) => i + 1);
    let since = 0;
    return {
      inject: async () => {
        since = Date.now();
        for (const node of nodes) context.cluster.signalNode(node, 'SIGSTOP');
      },
      // Paused brokers keep their sockets open and answer nothing: only timeouts tell.
      hold: async () => {
        await namedDown(context, 'kafka', since);
        for (const service of context.steady())
          if ((await service.ops.get('/livez'))?.status !== 200)
            throw new Error(`${service.name} /livez is not 200 while it heals`);
        await sleep(Math.max(0, PAUSE_MS - (Date.now() - since)));
      },
      heal: async () => {
        for (const node of nodes) context.cluster.signalNode(node, 'SIGCONT');
      },
    };
  },
};

const redisFailover: Fault = {
  id: 'redis-failover',
  title: 'Redis primary SIGKILL, Sentinel failover',
  backAt: 'hold',
  steps: (context) => {
    const { cluster } = context;
    let old: RedisNode = 'primary';
    let since = 0;
    return {
      inject: async () => {
        old = await cluster.redisPrimary();
        since = Date.now();
        await cluster.killRedis(old);
      },
      hold: async () => {
        await waitFor(async () => (await cluster.redisPrimary()) !== old, {
          timeoutMs: 60_000,
          intervalMs: 250,
          description: 'the sentinels to promote the replica',
        });
        context.note(`replica promoted after ${Date.now() - since} ms`);
      },
      // The old primary comes back on its data and rejoins as a replica.
      heal: () => cluster.restartRedis(old),
    };
  },
};

const redisEmptied: Fault = {
  id: 'redis-emptied',
  title: 'Redis primary and replica SIGKILL, back empty',
  backAt: 'heal',
  evidence: /no state snapshot: rebuilding from the start of the input/,
  steps: (context) => redisLoss(context, (primary) => context.cluster.wipeRedis(primary)),
};

const redisOlderSnapshot: Fault = {
  id: 'redis-older-snapshot',
  title: 'Redis primary and replica SIGKILL, back from older files',
  backAt: 'heal',
  evidence: /state snapshot behind Kafka: resuming from it/,
  steps: (context) => {
    // What the append-only file (fsync every second) or an RDB holds after a crash: Redis as it
    // was some commits ago. Copied at a sixth of the day, put back at a third.
    const loss = redisLoss(context, (primary) => context.cluster.restoreRedisFiles(primary, 'older-aof'));
    return {
      ...loss,
      prepare: async () => context.cluster.copyRedisFiles(await context.cluster.redisPrimary(), 'older-aof'),
    };
  },
};

const registryRestart: Fault = {
  id: 'registry-restart',
  title: 'schema registry SIGKILL and restart',
  backAt: 'heal',
  ownRegistry: true,
  steps: (context) => {
    let since = 0;
    return {
      inject: async () => {
        since = Date.now();
        await context.cluster.killRegistry();
      },
      hold: () => outage(context, 'registry', since),
      heal: () => context.cluster.restartRegistry(),
    };
  },
};

export const FAULTS: readonly Fault[] = [
  leaderSigkill,
  leaderSigstop,
  clusterSigstop,
  redisFailover,
  redisEmptied,
  redisOlderSnapshot,
  registryRestart,
];
