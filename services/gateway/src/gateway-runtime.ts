// The gateway's runtime: Redis (the calculator's projection and the closes), the feed hub, the HTTP
// app and the level topic, opened in that order and closed in reverse. Its process (ops server,
// readiness probes, start-up retries, shutdown) is runService's: see gateway-process.ts.
import type { AddressInfo } from 'node:net';
import { RedisCloseHistory } from '@indexflow/close-history';
import { kafkaProbe, openTopicAdmin } from '@indexflow/kafka';
import type { Logger, RunnableRuntime } from '@indexflow/observability';
import { openRedis, redisProbe } from '@indexflow/redis-state';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from './app.js';
import { gatewayAppOptions } from './app-options.js';
import { CloseOrder } from './close-order.js';
import type { GatewayConfig } from './config.js';
import type { FeedHub } from './feed-hub.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { IntradayHistory } from './intraday-history.js';
import type { LevelConsumer } from './level-consumer.js';
import { startLevelFeed } from './level-feed.js';
import { ProjectionReader } from './projection-reader.js';
import { createRefreshedHub } from './refreshed-hub.js';
import { SessionRegistry } from './session-registry.js';
import { tlsFilesOf } from './tls.js';

export interface GatewayRuntimeOptions {
  /** The gateway's clock for level arrivals and the desk state (tests move it by hand). */
  readonly now?: () => number;
}

export interface GatewayRuntime extends RunnableRuntime {
  /** `http` or `https`, as configured. */
  readonly protocol: 'http' | 'https';
  readonly port: number;
  readonly hub: FeedHub;
  readonly sessions: SessionRegistry;
  readonly levels: LevelConsumer;
}

export async function createGatewayRuntime(
  config: GatewayConfig,
  log: Logger,
  metrics: GatewayMetrics,
  options: GatewayRuntimeOptions = {},
): Promise<GatewayRuntime> {
  const order = new CloseOrder(log);
  try {
    return await openRuntime(config, log, metrics, options.now ?? Date.now, order);
  } catch (error) {
    await order.closeAll();
    throw error;
  }
}

async function openRuntime(
  config: GatewayConfig,
  log: Logger,
  metrics: GatewayMetrics,
  now: () => number,
  order: CloseOrder,
): Promise<GatewayRuntime> {
  // Read first: a bad certificate or key stops the start before any connection is opened.
  const https = tlsFilesOf(config);
  const { redis, closeHistory, projection } = await openRedisStores(config, order);
  const { hub, refresher } = createRefreshedHub({
    history: new IntradayHistory({
      maxPointsPerDay: config.HISTORY_MAX_POINTS,
      maxDays: config.HISTORY_MAX_DAYS,
    }),
    read: (indexId) => projection.constituents(indexId),
    intervalMs: config.CONSTITUENTS_REFRESH_MS,
    logger: log,
    events: {
      onFanOut: (_subscribers, seconds) => metrics.fanOut.observe(seconds),
      onDuplicate: () => metrics.duplicates.inc(),
    },
    now,
  });
  order.add('constituents-refresher', async () => refresher.close());
  const sessions = new SessionRegistry(config.HEARTBEAT_MS);
  const app = await buildGatewayApp(
    await gatewayAppOptions(config, { log, hub, sessions, metrics, closeHistory, projection, now, https }),
  );
  order.add('http', async () => {
    sessions.closeAll();
    await app.close();
  });
  const { levels, registryProbe } = await startLevelFeed(config, log, metrics, hub);
  order.add('level-consumer', () => levels.close());
  const port = await listen(app, config);
  const admin = await openTopicAdmin({
    client: config.KAFKA_CLIENT,
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: `indexflow-${config.GATEWAY_ID}-admin`,
  });
  order.add('admin', () => admin.close());
  order.add('client-gauge', startClientGauge(metrics, sessions));
  const { stopped, stop } = stopSignal();
  return {
    protocol: https === undefined ? 'http' : 'https',
    port,
    hub,
    sessions,
    levels,
    probes: [kafkaProbe(admin), redisProbe(redis), registryProbe],
    ready: () => levels.caughtUp,
    // The gateway commits nothing and recovers nothing: a run only ends when it is stopped.
    run: () => stopped,
    stop: () => stop(),
    close: () => order.closeAll(),
  };
}

/** Redis, with what the gateway reads there: the official closes and the calculator's projection. */
async function openRedisStores(config: GatewayConfig, order: CloseOrder) {
  const redis = await openRedis(config.REDIS_URL, { tlsCaFile: config.REDIS_TLS_CA_FILE });
  order.add('redis', async () => void (await redis.quit()));
  const closeHistory = new RedisCloseHistory({
    redis,
    ...(config.TOPIC_PREFIX ? { prefix: config.TOPIC_PREFIX } : {}),
  });
  const projection = new ProjectionReader({
    redis,
    calculatorId: config.CALCULATOR_ID,
    prefix: config.TOPIC_PREFIX,
  });
  return { redis, closeHistory, projection };
}

/** A run's end: `stopped` resolves once `stop` is called. */
function stopSignal(): { readonly stopped: Promise<void>; readonly stop: () => void } {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return { stopped, stop };
}

async function listen(app: FastifyInstance, config: GatewayConfig): Promise<number> {
  await app.listen({ host: config.HOST, port: config.PORT });
  return (app.server.address() as AddressInfo).port;
}

/** Sets the connected-clients gauge every second; returns its stop. */
function startClientGauge(metrics: GatewayMetrics, sessions: SessionRegistry): () => Promise<void> {
  const timer = setInterval(() => {
    metrics.clients.set({ transport: 'ws' }, sessions.count('ws'));
    metrics.clients.set({ transport: 'sse' }, sessions.count('sse'));
  }, 1000);
  timer.unref();
  return async () => clearInterval(timer);
}
