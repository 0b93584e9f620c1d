// The results of a fault run as a markdown table (fault × with/without a calculator SIGKILL →
// levels, gateway, services, recovery time), with the date and the machine's load, for
// docs/operations.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { FaultCaseResult } from './fault-case.js';
import { RECOVERY_BOUND_MS } from './fault-case.js';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const load = (values: readonly number[]) => values.map((v) => v.toFixed(1)).join(' / ');

export function faultTable(results: readonly FaultCaseResult[], loadAtStart: readonly number[]): string {
  const lines = [
    `Fault run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores,`,
    `load average (1/5/15 min) ${load(loadAtStart)} at the start and ${load(loadavg())} at the end;`,
    `recovery: from the dependency being back to levels reaching the gateway with every /readyz 200`,
    `(bound ${RECOVERY_BOUND_MS / 1000} s).`,
    '',
    '| fault | calculator SIGKILL | levels (read_committed) | gateway | services | recovery ms | measured |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results)
    lines.push(
      `| ${[
        r.fault.title,
        r.calculatorKilled ? 'yes' : 'no',
        r.levels,
        r.gateway,
        r.services === 'ok' ? 'up' : r.services,
        r.recoveryMs === null ? '—' : String(r.recoveryMs),
        r.notes.join('; ') || '—',
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  return `${lines.join('\n')}\n`;
}

/** Writes the table to test-output/<name>.md and returns its path. */
export function writeFaultTable(
  name: string,
  results: readonly FaultCaseResult[],
  loadAtStart: readonly number[],
): string {
  const dir = join(process.cwd(), 'test-output');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.md`);
  writeFileSync(path, faultTable(results, loadAtStart));
  return path;
}
