export { buildGatewayApp, type GatewayAppOptions } from './app.js';
export { ClientOutbox, type OutboxPolicy, type OutboxSink, type TooSlowVerdict } from './client-outbox.js';
export { ConfigError, type GatewayConfig, loadConfig } from './config.js';
export {
  type ConstituentsSnapshot,
  type ConstituentView,
  constituentsFromProjection,
} from './constituents.js';
export { type DeskConfig, DeskDirectory, Entitlements, sha256Hex } from './entitlements.js';
export { FeedHub } from './feed-hub.js';
export {
  type GatewayProcess,
  type RunningGateway,
  startGateway,
  startGatewayProcess,
} from './gateway-process.js';
export {
  type InProcessGateway,
  type InProcessGatewayOptions,
  OpenGatewayHostError,
  startInProcessGateway,
} from './in-process-gateway.js';
export { createJwtVerifier, type JwtVerifier } from './jwt.js';
export type { ClientMessage, LevelView, ServerMessage } from './protocol.js';
export { type CommittedState, SnapshotProjectionReader } from './snapshot-projection-reader.js';
export { TlsConfigError, type TlsFiles, tlsFilesOf } from './tls.js';
export { CLOSE_SLOW_CONSUMER } from './ws-route.js';
