// The feed hub with its constituents refresher: both gateways (the Kafka one and the in-process
// one) build the pair the same way, since the refresher is told of each level the hub takes in.
import type { Logger } from '@indexflow/observability';
import type { ConstituentsSnapshot } from './constituents.js';
import { ConstituentsRefresher } from './constituents-refresher.js';
import { FeedHub, type FeedHubEvents } from './feed-hub.js';
import type { IntradayHistory } from './intraday-history.js';

export interface RefreshedHubOptions {
  readonly history: IntradayHistory;
  readonly read: (indexId: string) => Promise<ConstituentsSnapshot | null>;
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Hub events other than the level arrivals the refresher needs. */
  readonly events?: Omit<FeedHubEvents, 'onLevelArrived'>;
  readonly now?: () => number;
}

export function createRefreshedHub(options: RefreshedHubOptions): {
  readonly hub: FeedHub;
  readonly refresher: ConstituentsRefresher;
} {
  let refresher: ConstituentsRefresher | null = null;
  const hub = new FeedHub({
    history: options.history,
    events: { ...options.events, onLevelArrived: (indexId) => refresher?.levelArrived(indexId) },
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  refresher = new ConstituentsRefresher({
    hub,
    read: options.read,
    intervalMs: options.intervalMs,
    logger: options.logger.child({ component: 'constituents-refresher' }),
  });
  return { hub, refresher };
}
