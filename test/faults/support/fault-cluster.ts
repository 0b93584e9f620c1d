// The throw-away dependencies the fault suite injects its faults into, each started with
// scripts/services.sh as the operations docs describe: a 3-node KRaft cluster, Redis under
// Sentinel (a primary, a replica, three sentinels) and, when a case restarts it, a schema registry
// of its own. Every process is killed and every directory removed by `stop`.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createKafkaClient } from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { freePorts } from './fault-run.js';

const SERVICES = fileURLToPath(new URL('../../../scripts/services.sh', import.meta.url));
const run = promisify(execFile);
export const KAFKA_NODES = 3;
export type RedisNode = 'primary' | 'replica';
const REDIS_NODES = ['primary', 'replica', 'sentinel-1', 'sentinel-2', 'sentinel-3'] as const;

/** Runs a services.sh command; its last output line is the pid of what it started. */
async function services(...args: string[]): Promise<number[]> {
  const { stdout } = await run('bash', [SERVICES, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return stdout.trim().split('\n').map(Number);
}

function signal(pid: number | undefined, name: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
}

/** A killed daemon is reaped by whoever adopted it: gone, or a zombie, either way its port is free. */
async function waitGone(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  await waitFor(
    () => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] === 'Z';
      } catch {
        return true;
      }
    },
    { timeoutMs: 30_000, intervalMs: 50, description: `process ${pid} to end` },
  );
}

export class FaultCluster {
  readonly #kafkaPids: number[] = [];
  readonly #redisPids = new Map<string, number>();
  #registryPid: number | undefined;

  private constructor(
    private readonly dir: string,
    private readonly kafkaFirst: number,
    private readonly redisFirst: number,
    private readonly registryPorts: readonly [number, number] | null,
    private readonly sharedRegistryUrl: string,
  ) {}

  /** Starts the cluster and Sentinel set (and a private registry when `ownRegistry`), in parallel. */
  static async start(options: { ownRegistry: boolean; sharedRegistryUrl: string }): Promise<FaultCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'indexflow-faults-'));
    // Kafka: clients on first…first+2, controllers 100 above. Redis: data nodes, then sentinels.
    const kafkaFirst = await freePorts([0, 1, 2, 100, 101, 102]);
    const redisFirst = await freePorts([0, 1, 2, 3, 4]);
    const registryBase = options.ownRegistry ? await freePorts([0, 1]) : null;
    const cluster = new FaultCluster(
      dir,
      kafkaFirst,
      redisFirst,
      registryBase === null ? null : [registryBase, registryBase + 1],
      options.sharedRegistryUrl,
    );
    try {
      const [kafka, redis] = await Promise.all([
        services('kafka-cluster', join(dir, 'kafka'), String(kafkaFirst), String(KAFKA_NODES)),
        services('redis-sentinel', join(dir, 'redis'), String(redisFirst)),
        cluster.restartRegistry(),
      ]);
      cluster.#kafkaPids.push(...kafka.slice(-KAFKA_NODES));
      for (const [i, name] of REDIS_NODES.entries()) cluster.#redisPids.set(name, redis.slice(-5)[i]!);
    } catch (error) {
      cluster.stop();
      throw error;
    }
    return cluster;
  }

  get kafkaBrokers(): string {
    return [...Array(KAFKA_NODES).keys()].map((i) => `127.0.0.1:${this.kafkaFirst + i}`).join(',');
  }

  get redisUrl(): string {
    const sentinels = [2, 3, 4].map((i) => `127.0.0.1:${this.redisFirst + i}`).join(',');
    return `redis+sentinel://${sentinels}/indexflow`;
  }

  get schemaRegistryUrl(): string {
    return this.registryPorts === null
      ? this.sharedRegistryUrl
      : `http://127.0.0.1:${this.registryPorts[0]}/apis/ccompat/v7`;
  }

  /** Sends a signal to Kafka node `node` (1-based). */
  signalNode(node: number, name: NodeJS.Signals): void {
    signal(this.#kafkaPids[node - 1], name);
  }

  async killNode(node: number): Promise<void> {
    this.signalNode(node, 'SIGKILL');
    await waitGone(this.#kafkaPids[node - 1]);
  }

  /** Restarts a node on its data and waits until the quorum let it register. */
  async restartNode(node: number): Promise<void> {
    const [pid] = (await services('kafka-cluster-node', join(this.dir, 'kafka'), String(node))).slice(-1);
    this.#kafkaPids[node - 1] = pid!;
  }

  /** The node leading a partition now (as the cluster's metadata says). */
  async leaderOf(topic: string, partition: number): Promise<number> {
    const admin = createKafkaClient({
      brokers: this.kafkaBrokers.split(','),
      clientId: uniqueName('faults'),
    }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const leader = topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader;
      if (leader === undefined || leader < 1) throw new Error(`no leader for ${topic}[${partition}]`);
      return leader;
    } finally {
      await admin.disconnect();
    }
  }

  /** The data node the sentinels name as the primary now. */
  async redisPrimary(): Promise<RedisNode> {
    const { stdout } = await run('redis-cli', [
      '-p',
      String(this.redisFirst + 2),
      'sentinel',
      'get-master-addr-by-name',
      'indexflow',
    ]);
    return Number(stdout.trim().split('\n').at(-1)) === this.redisFirst ? 'primary' : 'replica';
  }

  async killRedis(name: RedisNode): Promise<void> {
    const pid = this.#redisPids.get(name);
    signal(pid, 'SIGKILL');
    await waitGone(pid);
  }

  /** Restarts a data node on its directory (its append-only file, its role as last rewritten). */
  async restartRedis(name: RedisNode): Promise<void> {
    const [pid] = (await services('redis-sentinel-node', join(this.dir, 'redis'), name)).slice(-1);
    this.#redisPids.set(name, pid!);
    const port = String(this.redisFirst + (name === 'primary' ? 0 : 1));
    await waitFor(
      async () => (await run('redis-cli', ['-p', port, 'ping']).catch(() => null))?.stdout.trim() === 'PONG',
      {
        timeoutMs: 20_000,
        intervalMs: 100,
        description: `redis ${name} to answer`,
      },
    );
  }

  /** Deletes a stopped data node's files (append-only file and any RDB), so it comes back empty. */
  wipeRedis(name: RedisNode): void {
    for (const file of ['appendonlydir', 'dump.rdb'])
      rmSync(join(this.dir, 'redis', name, file), { recursive: true, force: true });
  }

  /** Copies a data node's append-only files as they are on disk now (fsynced every second). */
  copyRedisFiles(name: RedisNode, to: string): void {
    rmSync(join(this.dir, to), { recursive: true, force: true });
    cpSync(join(this.dir, 'redis', name, 'appendonlydir'), join(this.dir, to), { recursive: true });
  }

  /** Puts a copy taken by `copyRedisFiles` back as a stopped node's append-only files. */
  restoreRedisFiles(name: RedisNode, from: string): void {
    this.wipeRedis(name);
    if (!existsSync(join(this.dir, from))) throw new Error(`no copy of the Redis files at ${from}`);
    cpSync(join(this.dir, from), join(this.dir, 'redis', name, 'appendonlydir'), { recursive: true });
  }

  async killRegistry(): Promise<void> {
    signal(this.#registryPid, 'SIGKILL');
    await waitGone(this.#registryPid);
  }

  /** (Re)starts the private registry on its database and waits until it answers. */
  async restartRegistry(): Promise<void> {
    if (this.registryPorts === null) return;
    const [port, management] = this.registryPorts;
    const [pid] = (
      await services('registry', join(this.dir, 'registry'), String(port), String(management))
    ).slice(-1);
    this.#registryPid = pid;
  }

  /**
   * The nodes that are not running now (each case starts on a whole cluster: a node missing here
   * was ended by something else than the suite's faults).
   */
  missingNodes(): string[] {
    const nodes: [string, number | undefined][] = [
      ...this.#kafkaPids.map((pid, i) => [`kafka node ${i + 1}`, pid] as [string, number]),
      ...[...this.#redisPids].map(([name, pid]) => [`redis ${name}`, pid] as [string, number]),
      ...(this.registryPorts === null
        ? []
        : [['registry', this.#registryPid] as [string, number | undefined]]),
    ];
    return nodes.filter(([, pid]) => !alive(pid)).map(([name, pid]) => `${name} (pid ${pid})`);
  }

  /** Copies every node's log (Kafka, Redis, sentinels, registry) into `dir`, as <node>.log. */
  copyLogs(dir: string): void {
    const logs = [
      ...[...Array(KAFKA_NODES).keys()].map((i) => [`kafka-node-${i + 1}`, `kafka/node-${i + 1}/kafka.log`]),
      ...REDIS_NODES.map((name) => [`redis-${name}`, `redis/${name}/redis.log`]),
      ['registry', 'registry/apicurio.log'],
    ];
    for (const [name, path] of logs)
      if (existsSync(join(this.dir, path!))) cpSync(join(this.dir, path!), join(dir, `${name}.log`));
  }

  stop(): void {
    for (const pid of this.#kafkaPids) signal(pid, 'SIGCONT');
    for (const pid of [...this.#kafkaPids, ...this.#redisPids.values(), this.#registryPid])
      signal(pid, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
