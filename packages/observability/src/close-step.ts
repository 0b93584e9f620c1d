import type { Logger } from './root-logger.js';

/**
 * Closes one part of a runtime, logging how long it took, and never longer than `timeoutMs`: a
 * client whose broker or server is gone may never finish closing, and a recovery or a shutdown
 * must go on. A failure is logged, not thrown, so the next part still closes.
 */
export async function closeStep(
  log: Pick<Logger, 'info' | 'warn'>,
  step: string,
  close: () => Promise<unknown>,
  timeoutMs = 10_000,
): Promise<void> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      close(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not close within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    log.info({ step, durationMs: Math.round(performance.now() - started) }, 'closed');
  } catch (error) {
    log.warn({ step, err: error }, 'close failed');
  } finally {
    clearTimeout(timer);
  }
}
