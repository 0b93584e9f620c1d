import { fileURLToPath } from 'node:url';
import { type CalculatorProcess, startServiceProcess, trackedProcesses } from './calculator-process.js';
import { GATEWAY } from './entry-points.js';

/**
 * The gateway as a real child process (`pnpm gateway`), so a test can see it exit or print a raw
 * trace; the in-process `startGateway` of the gateway tests cannot show either. Open on loopback
 * and reading the level topic from its beginning, as a replayed day needs.
 */
export function startGatewayProcess(env: Record<string, string>): CalculatorProcess {
  return startServiceProcess(GATEWAY, {
    AUTH_MODE: 'open',
    HOST: '127.0.0.1',
    HISTORY_FROM: 'beginning',
    LOG_LEVEL: 'info',
    ...env,
  });
}

/** A starter whose gateways are all killed when the calling test file ends. */
export function trackedGateways(): (env: Record<string, string>) => CalculatorProcess {
  return trackedProcesses(startGatewayProcess);
}
