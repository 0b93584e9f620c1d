export { closeStep } from './close-step.js';
export { shownConfigValue } from './config-value.js';
export {
  type DependencyProbe,
  DependencyProbes,
  type DependencyProbesOptions,
  type DependencyStatus,
} from './dependency-probes.js';
export { type KeepRunningOptions, keepRunning } from './keep-running.js';
export type { OpsServer } from './ops-server.js';
export { startOpsServer } from './ops-server.js';
export type { Logger } from './root-logger.js';
export { createRootLogger } from './root-logger.js';
export {
  type RunnableRuntime,
  type RunningService,
  type RunServiceOptions,
  runService,
} from './run-service.js';
export { isTransientStartFailure, type StartWithRetryOptions, startWithRetry } from './start-with-retry.js';
