import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, inject } from 'vitest';
import { CALCULATOR, nodeArgs } from './entry-points.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A calculator running as a real child process, so a test can SIGKILL it like a crash. */
export interface CalculatorProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export function startCalculator(
  env: Record<string, string>,
  preloads: readonly string[] = [],
): CalculatorProcess {
  return startServiceProcess(CALCULATOR, { LOG_LEVEL: 'warn', ...env }, preloads);
}

/**
 * Runs a service's compiled entry point (see entry-points.ts) as a child process, its stdout and stderr collected;
 * `preloads` are test modules imported first (e.g. a fault injector).
 */
export function startServiceProcess(
  main: string,
  env: Record<string, string>,
  preloads: readonly string[] = [],
): CalculatorProcess {
  const child = spawn(process.execPath, nodeArgs(main, preloads), {
    cwd: ROOT,
    env: { ...process.env, HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** The real services' endpoints, as the global setup provides them. */
export function serviceEndpoints(): { kafkaBrokers: string; schemaRegistryUrl: string; redisUrl: string } {
  return {
    kafkaBrokers: inject('kafkaBrokers'),
    schemaRegistryUrl: inject('schemaRegistryUrl'),
    redisUrl: inject('redisUrl'),
  };
}

/** Wraps a starter so that every process it starts is SIGKILLed when the calling test file ends. */
export function trackedProcesses<A extends unknown[]>(
  start: (...args: A) => CalculatorProcess,
): (...args: A) => CalculatorProcess {
  const running: CalculatorProcess[] = [];
  afterAll(() => {
    for (const p of running) p.child.kill('SIGKILL');
  });
  return (...args) => {
    const started = start(...args);
    running.push(started);
    return started;
  };
}

/** Returns a starter whose calculators are all killed when the calling test file ends. */
export function trackedCalculators(): (
  env: Record<string, string>,
  preloads?: readonly string[],
) => CalculatorProcess {
  return trackedProcesses((env: Record<string, string>, preloads?: readonly string[]) =>
    startCalculator(env, preloads),
  );
}
