import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The gateway's Prometheus metrics (plus the process defaults: memory, CPU, event-loop lag). */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'indexflow_gateway_' });
  return {
    registry,
    levelsIn: new Counter({
      name: 'indexflow_gateway_levels_in_total',
      help: 'Levels read from the index-level topic',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'indexflow_gateway_levels_duplicate_total',
      help: 'Levels dropped because their sequence was not above the last one seen',
      registers: [registry],
    }),
    undecodable: new Counter({
      name: 'indexflow_gateway_levels_undecodable_total',
      help: 'Level records that could not be decoded',
      registers: [registry],
    }),
    clients: new Gauge({
      name: 'indexflow_gateway_clients',
      help: 'Connected feed clients, by transport',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
    messagesSent: new Counter({
      name: 'indexflow_gateway_messages_sent_total',
      help: 'Feed messages written to clients',
      registers: [registry],
    }),
    conflated: new Counter({
      name: 'indexflow_gateway_messages_conflated_total',
      help: 'Feed messages replaced by a newer one while a client was behind',
      registers: [registry],
    }),
    slowDisconnects: new Counter({
      name: 'indexflow_gateway_slow_client_disconnects_total',
      help: 'Clients disconnected by the slow-client policy',
      registers: [registry],
    }),
    feedRefusals: new Counter({
      name: 'indexflow_gateway_feed_refusals_total',
      help: 'Subscriptions and connections refused by the feed limits, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    fanOut: new Histogram({
      name: 'indexflow_gateway_fan_out_seconds',
      help: 'Time to hand one level to every subscribed client',
      buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** The feed caps (config MAX_*), so an alert can compare the connections below with their limit. */
export interface FeedCaps {
  readonly maxConnectionsPerDesk: number;
  readonly maxSubscriptionsPerSession: number;
}

/**
 * Open feed connections per desk, read from the sessions at every scrape, and the caps they are
 * held to. A desk with no connection has no series (desks are configured, so the labels are few).
 */
export function registerFeedCapMetrics(
  registry: Registry,
  caps: FeedCaps,
  connectionsByDesk: () => ReadonlyMap<string, number>,
): void {
  new Gauge({
    name: 'indexflow_gateway_desk_connections',
    help: 'Open feed connections (WebSocket and SSE together) per desk',
    labelNames: ['desk'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [desk, count] of connectionsByDesk()) this.set({ desk }, count);
    },
  });
  const limit = new Gauge({
    name: 'indexflow_gateway_feed_limit',
    help: 'Configured feed caps: connections per desk, subscriptions per session',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  limit.set({ limit: 'connections_per_desk' }, caps.maxConnectionsPerDesk);
  limit.set({ limit: 'subscriptions_per_session' }, caps.maxSubscriptionsPerSession);
}
