import { fileURLToPath } from 'node:url';
import { type CalculatorProcess, startServiceProcess, trackedProcesses } from './calculator-process.js';
import { CORPORATE_ACTIONS } from './entry-points.js';

export type ServiceProcess = CalculatorProcess;

/** The corporate-actions & FX service as a real child process. */
export function startCorporateActions(env: Record<string, string>): ServiceProcess {
  return startServiceProcess(CORPORATE_ACTIONS, { LOG_LEVEL: 'info', ...env });
}

/** A starter whose services are all killed when the calling test file ends. */
export function trackedCorporateActions(): (env: Record<string, string>) => ServiceProcess {
  return trackedProcesses(startCorporateActions);
}
