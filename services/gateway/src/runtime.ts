// Wires the gateway to real services: Kafka (the level topic), the Schema Registry, Redis (the
// calculator's projection), and the ops server. main.ts calls it once; tests and the benchmark call
// it too, with their own configuration.
import type { AddressInfo } from 'node:net';
import { RedisCloseHistory } from '@indexflow/close-history';
import {
  createAvroSerdes,
  createRecordReader,
  createSchemaRegistryClient,
  gatewayClientId,
  type IndexLevelRecord,
  kafkaProbe,
  openTopicAdmin,
  registryProbe,
  topicNames,
} from '@indexflow/kafka';
import {
  closeStep,
  DependencyProbes,
  type Logger,
  type OpsServer,
  startOpsServer,
} from '@indexflow/observability';
import { openRedis, redisProbe } from '@indexflow/redis-state';
import { buildGatewayApp } from './app.js';
import type { GatewayConfig } from './config.js';
import { ConstituentsRefresher } from './constituents-refresher.js';
import { DeskDirectory } from './entitlements.js';
import { FeedHub } from './feed-hub.js';
import { createGatewayMetrics, type GatewayMetrics, registerFeedCapMetrics } from './gateway-metrics.js';
import { IntradayHistory } from './intraday-history.js';
import { createJwtVerifier } from './jwt.js';
import { type LevelConsumer, startLevelConsumer } from './level-consumer.js';
import { ProjectionReader } from './projection-reader.js';
import { SessionRegistry } from './session-registry.js';
import { tlsFilesOf } from './tls.js';

export interface RunningGateway {
  /** `http` or `https`, as configured. */
  readonly protocol: 'http' | 'https';
  readonly port: number;
  readonly opsPort: number;
  readonly hub: FeedHub;
  readonly metrics: GatewayMetrics;
  readonly levels: LevelConsumer;
  /** Stops in reverse order of start: clients, HTTP, Kafka, Redis, ops. */
  close(): Promise<void>;
}

export interface GatewayRuntimeOptions {
  /** The gateway's clock for level arrivals and the desk state (tests move it by hand). */
  readonly now?: () => number;
}

export async function startGateway(
  config: GatewayConfig,
  log: Logger,
  options: GatewayRuntimeOptions = {},
): Promise<RunningGateway> {
  const now = options.now ?? Date.now;
  const metrics = createGatewayMetrics();
  const steps: { name: string; close: () => Promise<void> }[] = [];
  const closeAll = async () => {
    for (const step of steps.reverse()) await closeStep(log, step.name, step.close);
  };
  try {
    // Read first: a bad certificate or key stops the start before any connection is opened.
    const https = tlsFilesOf(config);
    const topics = topicNames(config.TOPIC_PREFIX);
    const redis = await openRedis(config.REDIS_URL, { tlsCaFile: config.REDIS_TLS_CA_FILE });
    steps.push({ name: 'redis', close: async () => void (await redis.quit()) });
    const closeHistory = new RedisCloseHistory({
      redis,
      ...(config.TOPIC_PREFIX ? { prefix: config.TOPIC_PREFIX } : {}),
    });
    const projection = new ProjectionReader({
      redis,
      calculatorId: config.CALCULATOR_ID,
      prefix: config.TOPIC_PREFIX,
    });

    let refresher: ConstituentsRefresher | null = null;
    const hub = new FeedHub({
      history: new IntradayHistory({
        maxPointsPerDay: config.HISTORY_MAX_POINTS,
        maxDays: config.HISTORY_MAX_DAYS,
      }),
      events: {
        onLevelArrived: (indexId) => refresher?.levelArrived(indexId),
        onFanOut: (_subscribers, seconds) => metrics.fanOut.observe(seconds),
        onDuplicate: () => metrics.duplicates.inc(),
      },
      now,
    });
    refresher = new ConstituentsRefresher({
      hub,
      read: (indexId) => projection.constituents(indexId),
      intervalMs: config.CONSTITUENTS_REFRESH_MS,
      logger: log.child({ component: 'constituents-refresher' }),
    });
    steps.push({ name: 'constituents-refresher', close: async () => refresher?.close() });

    const sessions = new SessionRegistry(config.HEARTBEAT_MS);
    registerFeedCapMetrics(
      metrics.registry,
      {
        maxConnectionsPerDesk: config.MAX_CONNECTIONS_PER_DESK,
        maxSubscriptionsPerSession: config.MAX_SUBSCRIPTIONS_PER_SESSION,
      },
      () => sessions.countByDesk(),
    );
    const app = await buildGatewayApp({
      logger: log.child({ component: 'http' }),
      hub,
      sessions,
      auth: {
        mode: config.AUTH_MODE,
        directory: new DeskDirectory(config.GATEWAY_DESKS),
        ...(config.JWT_SECRET === undefined
          ? {}
          : {
              verifyJwt: await createJwtVerifier(config.JWT_SECRET, {
                audience: config.JWT_AUDIENCE,
                ...(config.JWT_ISSUER === undefined ? {} : { issuer: config.JWT_ISSUER }),
                maxLifetimeSeconds: config.JWT_MAX_LIFETIME_S,
                clockSkewSeconds: config.JWT_CLOCK_SKEW_S,
              }),
            }),
      },
      // An open gateway allowed onto the network (AUTH_OPEN_ON_NETWORK) is reached by other names.
      loopbackOnly: config.AUTH_MODE === 'open' && !config.AUTH_OPEN_ON_NETWORK,
      rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
      limits: {
        maxSubscriptionsPerSession: config.MAX_SUBSCRIPTIONS_PER_SESSION,
        maxConnectionsPerDesk: config.MAX_CONNECTIONS_PER_DESK,
        onRefused: (reason) => metrics.feedRefusals.inc({ reason }),
      },
      policy: {
        highWaterBytes: config.SLOW_HIGH_WATER_BYTES,
        maxBufferedBytes: config.SLOW_MAX_BUFFERED_BYTES,
        maxBehindMs: config.SLOW_MAX_BEHIND_MS,
      },
      heartbeatMs: config.HEARTBEAT_MS,
      deskState: { staleAfterMs: config.FEED_STALE_MS, now, calendar: config.calendar },
      maxMessagesPerSecond: config.WS_MAX_MESSAGES_PER_SECOND,
      counters: {
        onSent: (n) => metrics.messagesSent.inc(n),
        onConflated: (n) => metrics.conflated.inc(n),
        onTooSlow: () => metrics.slowDisconnects.inc(),
      },
      projection: {
        closes: (indexId, range) => closeHistory.range(indexId, range),
        projectedIndexIds: () => projection.indexIds(),
        projectedConstituents: (indexId) => projection.constituents(indexId),
      },
      ...(https === undefined ? {} : { https }),
    });
    steps.push({
      name: 'http',
      close: async () => {
        sessions.closeAll();
        await app.close();
      },
    });

    const reader = createRecordReader({
      client: config.KAFKA_CLIENT,
      brokers: config.KAFKA_BROKERS.split(','),
      clientId: gatewayClientId(config.GATEWAY_ID),
      logger: log.child({ component: 'kafka-reader' }),
    });
    const levelsTopic = config.LEVELS_FEED === 'fast' ? topics.indexLevelsFast : topics.indexLevels;
    const registry = createSchemaRegistryClient({ url: config.SCHEMA_REGISTRY_URL });
    const serdes = createAvroSerdes<IndexLevelRecord>(registry, levelsTopic);
    const levels = await startLevelConsumer({
      reader,
      topic: levelsTopic,
      serdes,
      from: config.HISTORY_FROM,
      logger: log.child({ component: 'level-consumer' }),
      onRecord: (record) => {
        metrics.levelsIn.inc();
        hub.apply(record);
      },
      onUndecodable: () => metrics.undecodable.inc(),
    });
    steps.push({ name: 'level-consumer', close: () => levels.close() });

    await app.listen({ host: config.HOST, port: config.PORT });
    const port = (app.server.address() as AddressInfo).port;
    const admin = await openTopicAdmin({
      client: config.KAFKA_CLIENT,
      brokers: config.KAFKA_BROKERS.split(','),
      clientId: `indexflow-${config.GATEWAY_ID}-admin`,
    });
    steps.push({ name: 'admin', close: () => admin.close() });
    const dependencies = new DependencyProbes({
      probes: [kafkaProbe(admin), redisProbe(redis), registryProbe(registry)],
      registry: metrics.registry,
      logger: log,
    });
    await dependencies.start();
    // Closed (in reverse) before the connections, so their closing is not reported as an outage.
    steps.push({ name: 'probes', close: async () => dependencies.stop() });
    const ops: OpsServer = await startOpsServer({
      host: config.OPS_HOST,
      port: config.OPS_PORT,
      registry: metrics.registry,
      isReady: () => levels.caughtUp,
      dependencies,
    });
    steps.push({ name: 'ops', close: () => ops.close() });
    const clientGauge = setInterval(() => {
      metrics.clients.set({ transport: 'ws' }, sessions.count('ws'));
      metrics.clients.set({ transport: 'sse' }, sessions.count('sse'));
    }, 1000);
    clientGauge.unref();
    steps.push({ name: 'client-gauge', close: async () => clearInterval(clientGauge) });
    return {
      protocol: https === undefined ? 'http' : 'https',
      port,
      opsPort: ops.port,
      hub,
      metrics,
      levels,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
