import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI } from './entry-points.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `indexflow <args>` under tsx with these environment keys added, without blocking the
 * test's event loop (services it started keep being read meanwhile); killed after `timeoutMs`.
 */
export function runCli(args: readonly string[], env: Record<string, string>, timeoutMs = 120_000) {
  return new Promise<CliResult>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      timeout: timeoutMs,
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
