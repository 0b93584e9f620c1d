import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../../services/corporate-actions/src/main.ts', import.meta.url));

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** The corporate-actions & FX service as a real child process. */
export function startCorporateActions(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...process.env, HTTP_PORT: '0', LOG_LEVEL: 'info', ...env },
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

/** A starter whose services are all killed when the calling test file ends. */
export function trackedCorporateActions(): (env: Record<string, string>) => ServiceProcess {
  const running: ServiceProcess[] = [];
  afterAll(() => {
    for (const p of running) p.child.kill('SIGKILL');
  });
  return (env) => {
    const service = startCorporateActions(env);
    running.push(service);
    return service;
  };
}
