// The feed caps' metrics: connections per desk as the sessions stand at each scrape, and the caps.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerFeedCapMetrics } from './gateway-metrics.js';

describe('feed cap metrics', () => {
  it('reports each desk’s open connections at scrape time, dropping a desk that has none left', async () => {
    const registry = new Registry();
    const open = new Map([
      ['equities', 3],
      ['risk', 1],
    ]);
    registerFeedCapMetrics(
      registry,
      { maxConnectionsPerDesk: 100, maxSubscriptionsPerSession: 256 },
      () => open,
    );
    let text = await registry.metrics();
    expect(text).toContain('indexflow_gateway_desk_connections{desk="equities"} 3');
    expect(text).toContain('indexflow_gateway_desk_connections{desk="risk"} 1');
    expect(text).toContain('indexflow_gateway_feed_limit{limit="connections_per_desk"} 100');
    expect(text).toContain('indexflow_gateway_feed_limit{limit="subscriptions_per_session"} 256');
    open.delete('risk');
    open.set('equities', 2);
    text = await registry.metrics();
    expect(text).toContain('indexflow_gateway_desk_connections{desk="equities"} 2');
    expect(text).not.toContain('desk="risk"');
  });
});
