import type { IndexDefinition } from '@indexflow/index-engine';
import { IndexEngine } from '@indexflow/index-engine';
import { createKeyLayout } from '@indexflow/redis-state';
import type { Redis } from 'ioredis';

/**
 * The calculator's last committed engine state, read from its own Redis keys (read-only: the
 * calculator is their only writer). Null when the calculator has not committed anything yet.
 */
export async function readCalculatorEngine(
  redis: Redis,
  options: { calculatorId: string; prefix?: string; definitions: readonly IndexDefinition[] },
): Promise<IndexEngine | null> {
  const keys = createKeyLayout({
    calculatorId: options.calculatorId,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  const engineJson = await redis.hget(keys.committed, 'engine');
  if (engineJson === null) return null;
  return IndexEngine.restore(options.definitions, JSON.parse(engineJson));
}
