// The fault-injection suite: on a 3-node Kafka cluster and Redis under Sentinel, with the
// calculator, corporate-actions and the gateway running and the sample fed through Kafka, one
// fault per case, with or without a calculator SIGKILLed while it lasts. Each case checks that a
// read_committed reader and the gateway get the offline replay's levels once each, that no
// service exited (but the killed calculator, restarted at once), that the services recovered
// within the documented bound, and that nothing but structured log lines was printed.
//
// FAULTS selects the cases: unset, CI's short run (two cases); `full`, every fault with and
// without the calculator SIGKILL (`pnpm test:faults:full`); or a list such as
// `redis-emptied,registry-restart+kill`. Every run writes its table to test-output/.
import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEndpoints, trackedCalculators } from '../integration/support/calculator-process.js';
import { trackedCorporateActions } from '../integration/support/corporate-actions-process.js';
import { trackedGateways } from '../integration/support/gateway-process.js';
import { type FaultCaseResult, RECOVERY_BOUND_MS, runFaultCase } from './support/fault-case.js';
import { FaultCluster } from './support/fault-cluster.js';
import { FAULTS, type Fault } from './support/fault-matrix.js';
import type { Starters } from './support/fault-services.js';
import { writeFaultTable } from './support/fault-table.js';

/**
 * CI's short run: the whole cluster paused, and a Redis failover with a calculator SIGKILL.
 * `leader-sigkill` runs in the full suite only for now: at load 15–21 its calculator's consumer
 * ends in librdkafka's `Local: Fatal error` (a static member fenced while the leader fails over)
 * and the case fails about one run in four there; open in the issue on faults.
 */
const SHORT = 'cluster-sigstop,redis-failover+kill';
const selection = process.env.FAULTS ?? 'short';

function selectedCases(): [Fault, boolean][] {
  if (selection === 'full')
    return FAULTS.flatMap((fault) => [[fault, false] as [Fault, boolean], [fault, true]]);
  return (selection === 'short' ? SHORT : selection).split(',').map((name) => {
    const [id, kill] = name.trim().split('+');
    const fault = FAULTS.find((f) => f.id === id);
    if (fault === undefined || (kill !== undefined && kill !== 'kill'))
      throw new Error(
        `FAULTS: unknown case ${name}; the faults are ${FAULTS.map((f) => f.id).join(', ')} (+kill)`,
      );
    return [fault, kill === 'kill'];
  });
}

const cases = selectedCases();
const start: Starters = {
  calculator: trackedCalculators(),
  gateway: trackedGateways(),
  corporateActions: trackedCorporateActions(),
};
const results: FaultCaseResult[] = [];
const loadAtStart = loadavg();
let cluster: FaultCluster | undefined;

beforeAll(async () => {
  cluster = await FaultCluster.start({
    ownRegistry: cases.some(([fault]) => fault.ownRegistry),
    sharedRegistryUrl: serviceEndpoints().schemaRegistryUrl,
  });
}, 300_000);

afterAll(() => {
  cluster?.stop();
  if (results.length === 0) return;
  const path = writeFaultTable(`faults-${selection === 'full' ? 'full' : 'selected'}`, results, loadAtStart);
  console.log(`fault table: ${path}`);
});

function report(result: FaultCaseResult): string {
  return [
    `${result.fault.title}${result.calculatorKilled ? ' with a calculator SIGKILL' : ''} failed:`,
    ...result.problems.map((problem) => `  - ${problem}`),
    `measured: ${result.notes.join('; ') || 'nothing'}; recovery ${result.recoveryMs ?? '—'} ms`,
    result.logs,
  ].join('\n');
}

describe('services on a replicated cluster through faults', () => {
  for (const [fault, kill] of cases)
    it(`${fault.title}${kill ? ', a calculator SIGKILLed during it' : ''}: the replay's levels once each, every service up, recovered within ${RECOVERY_BOUND_MS / 1000} s`, async () => {
      const result = await runFaultCase(cluster!, start, fault, kill);
      results.push(result);
      console.log(
        `${fault.id}${kill ? '+kill' : ''}: recovery ${result.recoveryMs ?? '—'} ms; ${result.notes.join('; ')}`,
      );
      expect(result.problems, report(result)).toEqual([]);
    }, 600_000);
});
