import { randomBytes } from 'node:crypto';

let counter = 0;

/**
 * Returns a name that no other test run or test uses, for Kafka topics and consumer groups and
 * Redis key prefixes: `<prefix>-<process id>-<counter>-<random hex>`. The result only contains
 * characters that are legal in a Kafka topic name ([a-zA-Z0-9._-]).
 */
export function uniqueName(prefix: string): string {
  const safePrefix = prefix.replace(/[^a-zA-Z0-9._-]/g, '-');
  counter += 1;
  return `${safePrefix}-${process.pid}-${counter}-${randomBytes(4).toString('hex')}`;
}
