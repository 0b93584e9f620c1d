// One run of the fault matrix: the services and the feed on fresh topics, the fault at a third of
// the day (optionally with a calculator SIGKILLed and restarted while it lasts), the recovery time
// from the dependency being back to levels reaching the gateway with every /readyz 200, then the
// checks. Nothing throws: every failure becomes a problem in words, with the logs to read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkGateway, checkLevels, stop } from './fault-checks.js';
import type { FaultCluster } from './fault-cluster.js';
import type { Fault, FaultContext, FaultSteps } from './fault-matrix.js';
import { type FaultServices, type Starters, startFaultServices, until } from './fault-services.js';
import { rawLines } from './level-differences.js';

/**
 * The documented bound on recovery (docs/operations.md): from the dependency being back until
 * levels flow to the gateway again and the calculator, corporate-actions and the gateway all
 * answer /readyz 200. Generous for a loaded 2-core machine; the table shows what it took.
 */
export const RECOVERY_BOUND_MS = 120_000;
const KILL_AFTER_MS = 2000;

export interface FaultCaseResult {
  readonly fault: Fault;
  readonly calculatorKilled: boolean;
  /** 'ok', or how the levels differ (read_committed reader against the offline replay). */
  readonly levels: string;
  /** 'ok', or how the gateway's served history differs from the replay. */
  readonly gateway: string;
  /** 'ok', or which service exited, stopped uncleanly or printed a raw line. */
  readonly services: string;
  readonly recoveryMs: number | null;
  readonly notes: readonly string[];
  readonly problems: readonly string[];
  /** The tail of every process's output, for a failure's message. */
  readonly logs: string;
}

export const caseName = (fault: Fault, killCalculator: boolean) =>
  `${fault.id}${killCalculator ? '+kill' : ''}`;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with the ms from now until levels flow past today's count and every service is ready. */
async function watchRecovery(run: FaultServices): Promise<number> {
  const since = Date.now();
  const before = await run.progress();
  const notReady = async () => {
    const names: string[] = [];
    for (const service of run.services()) if (!(await service.ops.ready())) names.push(service.name);
    return names;
  };
  const flowing = async () => {
    const progress = await run.progress();
    return (progress > before || progress >= run.expected.length) && (await notReady()).length === 0;
  };
  await until(
    run.services,
    flowing,
    RECOVERY_BOUND_MS,
    async () =>
      `not recovered: the gateway read ${await run.progress()} levels (${before} when the dependency was back) of ${run.expected.length}; not ready: ${(await notReady()).join(', ') || 'none'}`,
  );
  return Date.now() - since;
}

/** The fault's steps in order; returns the recovery time. */
async function sequence(
  run: FaultServices,
  fault: Fault,
  steps: FaultSteps,
  killCalculator: boolean,
  problems: string[],
  phase: { injected: boolean; healing: boolean },
): Promise<number> {
  await run.waitProgress(1 / 6, 120_000);
  await steps.prepare?.();
  await run.waitProgress(1 / 3, 120_000);
  phase.injected = true;
  await steps.inject();
  if (killCalculator) {
    await sleep(KILL_AFTER_MS);
    const exited = await run.restartCalculator();
    if (exited !== null) problems.push(exited);
  }
  await steps.hold();
  let recovery = fault.backAt === 'hold' ? watchRecovery(run) : null;
  // Awaited below; handled now so a failure while healing is not an unhandled rejection.
  recovery?.catch(() => {});
  phase.healing = true;
  await steps.heal();
  recovery ??= watchRecovery(run);
  return recovery;
}

/** The feed done without a trace, and the fault's path taken. */
async function checkServices(run: FaultServices, fault: Fault): Promise<string[]> {
  const problems: string[] = [];
  const fed = await Promise.race([run.feed.exited, sleep(180_000).then(() => 'running')]);
  if (fed !== 0) problems.push(`the feed ${fed === 'running' ? 'still ran after 180 s' : `exited ${fed}`}`);
  if (/^\s+at /m.test(run.feed.output())) problems.push('the feed printed a stack trace');
  if (fault.evidence && !run.calculators.some((c) => fault.evidence!.test(c.output())))
    problems.push(`no calculator logged ${fault.evidence}: the fault did not take the path it is about`);
  return problems;
}

const others = (run: FaultServices) => run.services().filter((s) => s.name !== 'calculator');

/**
 * Every service still up at the end (the SIGKILLed calculator aside), each stops cleanly on
 * SIGTERM (exit 0), and every line it wrote is a structured log line.
 */
async function stopAndReadLogs(run: FaultServices): Promise<string[]> {
  const problems: string[] = [];
  const services = run.services();
  const ended = services.map(({ process: { child } }) => child.exitCode ?? child.signalCode);
  const codes = await Promise.all(services.map((service) => stop(service.process)));
  for (const [i, code] of codes.entries()) {
    if (ended[i] !== null) problems.push(`${services[i]!.name} exited (${ended[i]}) before the end`);
    else if (code !== 0) problems.push(`${services[i]!.name} stopped with ${code}`);
  }
  const outputs = [
    ...run.calculators.map((c, i) => [`calculator ${i + 1}`, c.output()] as const),
    ...others(run).map((s) => [s.name, s.process.output()] as const),
  ];
  for (const [name, output] of outputs) {
    const raw = rawLines(output);
    if (raw.length > 0)
      problems.push(`${name} wrote ${raw.length} raw lines, first: ${raw[0]!.slice(0, 300)}`);
  }
  return problems;
}

/** Every process's whole output and the dependencies' logs, under test-output/fault-logs/<case>/. */
function saveLogs(run: FaultServices, cluster: FaultCluster, name: string): string {
  const dir = join(process.cwd(), 'test-output', 'fault-logs', `${name}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  for (const [i, calculator] of run.calculators.entries())
    writeFileSync(join(dir, `calculator-${i + 1}.log`), calculator.output());
  for (const service of others(run))
    writeFileSync(join(dir, `${service.name}.log`), service.process.output());
  writeFileSync(join(dir, 'feed.log'), run.feed.output());
  cluster.copyLogs(dir);
  return dir;
}

function logTails(run: FaultServices): string {
  const tail = (name: string, output: string) => `--- ${name} (last lines) ---\n${output.slice(-2500)}`;
  return [
    ...run.calculators.map((c, i) => tail(`calculator ${i + 1} of ${run.calculators.length}`, c.output())),
    ...others(run).map((s) => tail(s.name, s.process.output())),
    tail('feed', run.feed.output()),
  ].join('\n');
}

export async function runFaultCase(
  cluster: FaultCluster,
  start: Starters,
  fault: Fault,
  killCalculator: boolean,
): Promise<FaultCaseResult> {
  const missing = cluster.missingNodes();
  if (missing.length > 0)
    throw new Error(
      `the fault cluster lost ${missing.join(', ')} before this case, not by a fault of the suite`,
    );
  const run = await startFaultServices(cluster, start);
  const notes: string[] = [];
  const problems: string[] = [];
  const context: FaultContext = {
    cluster,
    run,
    steady: () => run.services().filter((s) => s.name !== 'calculator' || run.calculators.length === 1),
    note: (text) => notes.push(text),
  };
  let recoveryMs: number | null = null;
  const steps = fault.steps(context);
  const phase = { injected: false, healing: false };
  try {
    recoveryMs = await sequence(run, fault, steps, killCalculator, problems, phase);
  } catch (error) {
    problems.push(`during the fault: ${message(error)}`);
    // The next case needs the cluster whole again (a paused broker, a dead Redis).
    if (phase.injected && !phase.healing)
      await steps.heal().catch((healing) => problems.push(`healing: ${message(healing)}`));
  }
  const services = await checkServices(run, fault);
  const levels = await checkLevels(run, 180_000).catch((error) => `not read: ${message(error)}`);
  const gateway = await checkGateway(run).catch((error) => `not read: ${message(error)}`);
  services.push(...(await stopAndReadLogs(run)));
  if (levels !== null) problems.push(`levels: ${levels}`);
  if (gateway !== null) problems.push(`gateway: ${gateway}`);
  problems.push(...services);
  if (problems.length > 0) notes.push(`logs in ${saveLogs(run, cluster, caseName(fault, killCalculator))}`);
  return {
    fault,
    calculatorKilled: killCalculator,
    levels: levels ?? 'ok',
    gateway: gateway ?? 'ok',
    services: services.length === 0 ? 'ok' : services.join('; '),
    recoveryMs,
    notes,
    problems,
    logs: logTails(run),
  };
}
