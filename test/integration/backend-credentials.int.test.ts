// Back-end credentials end to end: a broker that speaks only SASL/SCRAM and a Redis that requires
// AUTH, reached by the CLI through the same environment keys the services read; wrong or missing
// credentials fail with the key named and the password never printed. The broker also enforces
// ACLs (KRaft's StandardAuthorizer, nothing allowed without an ACL): with the grants of
// `indexflow admin acls`, the calculator, the gateway and the feed each run as their own
// principal, and only the calculator's may write the level topics.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafkaClient, type KafkaSecurity, topicNames } from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CalculatorProcess, startServiceProcess } from './support/calculator-process.js';
import { runCli } from './support/cli-process.js';
import { CALCULATOR, CLI, GATEWAY } from './support/entry-points.js';
import { freePort, PrivateRedis } from './support/private-redis.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = join(ROOT, 'packages/seed-indices/sample');
const USER = 'desk-feed';
const PASSWORD = 'scram-pass-5f1c-never-printed';
const REDIS_PASSWORD = 'redis-pass-77aa-never-printed';
/** Principals that may do only what `indexflow admin acls` grants them (USER is a super user). */
const PRINCIPALS = {
  calculator: { user: 'acl-calculator', password: 'acl-calc-pass-19e2' },
  gateway: { user: 'acl-gateway', password: 'acl-gw-pass-6b0d' },
  feed: { user: 'acl-feed', password: 'acl-feed-pass-c4a8' },
} as const;

function cli(args: string[], env: Record<string, string>, timeout = 120_000) {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout,
  });
}

describe('back-end credentials on a SASL/SCRAM broker and a password-protected Redis', () => {
  let brokerDir: string;
  let brokerPid: number | undefined;
  let brokers: string;
  let redis: PrivateRedis;
  /** Services an ACL test started, killed with the broker. */
  const started: CalculatorProcess[] = [];

  beforeAll(async () => {
    brokerDir = mkdtempSync(join(tmpdir(), 'indexflow-kafka-sasl-'));
    const [port, controller] = [await freePort(), await freePort()];
    const out = execFileSync(
      'bash',
      [
        join(ROOT, 'scripts/services.sh'),
        'kafka-sasl',
        brokerDir,
        String(port),
        String(controller),
        USER,
        PASSWORD,
        ...Object.values(PRINCIPALS).map(({ user, password }) => `${user}=${password}`),
      ],
      { encoding: 'utf8' },
    );
    brokerPid = Number(out.trim().split('\n').at(-1));
    brokers = `127.0.0.1:${port}`;
    redis = await PrivateRedis.start({ appendOnly: false, password: REDIS_PASSWORD });
  }, 120_000);

  afterAll(async () => {
    for (const service of started) service.child.kill('SIGKILL');
    if (brokerPid !== undefined) {
      try {
        process.kill(brokerPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(brokerDir, { recursive: true, force: true });
    await redis?.stop();
  });

  const sasl = (password: string) => ({
    KAFKA_BROKERS: brokers,
    SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
    KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext',
    KAFKA_SASL_MECHANISM: 'scram-sha-256',
    KAFKA_SASL_USERNAME: USER,
    KAFKA_SASL_PASSWORD: password,
  });

  it.each(['native', 'kafkajs'])(
    'creates the topics and replays the sample onto them with SCRAM (%s client)',
    async (client) => {
      const prefix = `${uniqueName('sasl')}.`;
      const env = { ...sasl(PASSWORD), TOPIC_PREFIX: prefix, KAFKA_CLIENT: client };
      const init = cli(['admin', 'init'], env);
      expect(init.status, init.stderr).toBe(0);
      const replay = cli(['replay', SAMPLE, '--kafka', '--quiet'], env);
      expect(replay.status, replay.stderr).toBe(0);
      const ticks = Number(/(\d+) ticks/.exec(replay.stderr)?.[1]);
      expect(ticks).toBeGreaterThan(9000);
      // Read back with credentials: every tick is there (plus the watermark records).
      const kafka = createKafkaClient({
        brokers: [brokers],
        clientId: 'check',
        security: {
          protocol: 'sasl_plaintext',
          sasl: { mechanism: 'scram-sha-256', username: USER, password: PASSWORD },
        },
      });
      const admin = kafka.admin();
      await admin.connect();
      const topics = topicNames(prefix);
      let records = 0;
      for (const topic of [topics.ticksAshare, topics.ticksHk])
        for (const p of await admin.fetchTopicOffsets(topic)) records += Number(p.high) - Number(p.low);
      await admin.disconnect();
      expect(records).toBeGreaterThan(ticks);
    },
    180_000,
  );

  it('fails on a wrong or missing password, naming the problem and never printing a password', () => {
    const wrong = 'wrong-pass-31d9-never-printed';
    const refused = cli(
      ['admin', 'init'],
      { ...sasl(wrong), TOPIC_PREFIX: `${uniqueName('sasl')}.` },
      90_000,
    );
    expect(refused.status).not.toBe(0);
    expect(refused.stderr + refused.stdout).toMatch(/authentication failed/i);
    expect(refused.stderr + refused.stdout).not.toContain(wrong);
    const missing = cli(['replay', SAMPLE, '--kafka', '--quiet'], { ...sasl(''), KAFKA_SASL_PASSWORD: '' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      'KAFKA_SASL_PASSWORD: is required with KAFKA_SECURITY_PROTOCOL=sasl_plaintext',
    );
  }, 120_000);

  it('writes and reads the close history in a Redis that requires AUTH, and refuses a wrong password', () => {
    const prefix = uniqueName('auth');
    const env = { REDIS_URL: redis.url, TOPIC_PREFIX: prefix };
    const backfill = cli(['backfill', SAMPLE], env);
    expect(backfill.status, backfill.stderr).toBe(0);
    const history = cli(['history', '--index', '995365.SSI'], env);
    expect(history.status, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/2025-03-20/);
    const wrongUrl = redis.url.replace(encodeURIComponent(REDIS_PASSWORD), 'not-the-password-9c2e');
    const refused = cli(['history', '--index', '995365.SSI'], { ...env, REDIS_URL: wrongUrl }, 60_000);
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/refused the credentials in REDIS_URL \(WRONGPASS/);
    expect(refused.stderr).not.toContain('not-the-password-9c2e');
    expect(refused.stderr).not.toContain(REDIS_PASSWORD);
  }, 120_000);
  /** A role's own principal: the environment a service or command started as it reads. */
  const as = (role: keyof typeof PRINCIPALS, topicPrefix: string) => ({
    ...sasl(PRINCIPALS[role].password),
    KAFKA_SASL_USERNAME: PRINCIPALS[role].user,
    TOPIC_PREFIX: topicPrefix,
    REDIS_URL: inject('redisUrl'),
  });
  const security = (role: keyof typeof PRINCIPALS): KafkaSecurity => ({
    protocol: 'sasl_plaintext',
    sasl: {
      mechanism: 'scram-sha-256',
      username: PRINCIPALS[role].user,
      password: PRINCIPALS[role].password,
    },
  });

  /** Writes one record to `topic` as `role`, with an idempotent producer (as the services do) or a plain one. */
  async function writeAs(role: keyof typeof PRINCIPALS, topic: string, idempotent: boolean) {
    const kafka = createKafkaClient({
      brokers: [brokers],
      clientId: `acl-${role}`,
      security: security(role),
    });
    const producer = kafka.producer(idempotent ? { idempotent, maxInFlightRequests: 1 } : {});
    try {
      await producer.connect();
      await producer.send({ topic, messages: [{ key: '995365.SSI', value: 'not a level' }] });
    } finally {
      await producer.disconnect();
    }
  }

  it('lets only the calculator’s principal write the level topics, once `admin acls` granted each service its own', async () => {
    const prefix = `${uniqueName('acl')}.`;
    const topics = topicNames(prefix);
    const superUser = { ...sasl(PASSWORD), TOPIC_PREFIX: prefix };
    const init = await runCli(['admin', 'init'], superUser);
    expect(init.status, init.stderr).toBe(0);
    const roles = ['calculator', 'gateway', 'feed'] as const;
    const acls = await runCli(
      ['admin', 'acls', ...roles.flatMap((r) => [`--${r}`, PRINCIPALS[r].user])],
      superUser,
    );
    expect(acls.status, acls.stderr).toBe(0);
    expect(acls.stdout).toContain(`User:acl-calculator ALLOW WRITE on topic ${topics.indexLevels}\n`);

    // Each service as its own principal, on the native client: the feed replays the sample, the
    // calculator computes it, the gateway serves what the calculator committed.
    const calculator = startServiceProcess(CALCULATOR, { ...as('calculator', prefix), LOG_LEVEL: 'warn' });
    started.push(calculator);
    const gateway = startServiceProcess(GATEWAY, {
      ...as('gateway', prefix),
      ...{ PORT: '0', OPS_PORT: '0', AUTH_MODE: 'open', HISTORY_FROM: 'beginning', LOG_LEVEL: 'info' },
    });
    started.push(gateway);
    const replay = await runCli(['replay', SAMPLE, '--kafka', '--quiet'], as('feed', prefix));
    expect(replay.status, replay.stderr).toBe(0);

    // Anyone else who reaches the broker is refused on the level topics.
    for (const topic of [topics.indexLevels, topics.indexLevelsFast]) {
      await expect(writeAs('feed', topic, true)).rejects.toMatchObject({
        type: 'TOPIC_AUTHORIZATION_FAILED',
      });
      await expect(writeAs('gateway', topic, false)).rejects.toMatchObject({
        type: 'TOPIC_AUTHORIZATION_FAILED',
      });
    }
    // With no Write anywhere, the gateway may not even start an idempotent producer.
    await expect(writeAs('gateway', topics.indexLevels, true)).rejects.toMatchObject({
      type: 'CLUSTER_AUTHORIZATION_FAILED',
    });

    const url = await waitFor(() => /"url":"(http:\/\/[^"]+)"/.exec(gateway.output())?.[1], {
      timeoutMs: 60_000,
    });
    const served = await waitFor(
      async () => {
        const body = (await (await fetch(`${url}/v1/indices`)).json()) as {
          indices: { indexId: string; latest: { level: string } | null }[];
        };
        const levels = body.indices.filter((index) => index.latest !== null);
        return levels.length === 3 ? levels : null;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(served.map((index) => index.indexId).sort()).toEqual(['995365.SSI', '995366.SSI', '995367.SSI']);
    for (const service of [calculator, gateway])
      expect(service.output()).not.toMatch(/authorization failed/i);
  }, 180_000);
});
