/**
 * Runs a transactional request again while the coordinator answers CONCURRENT_TRANSACTIONS: it
 * is still writing the markers of the previous transaction (EndTxn answers before they are
 * written). kafkajs retries this for AddPartitionsToTxn but not for AddOffsetsToTxn, so an
 * offsets-only transaction right after another (one record per transaction while hunting a
 * poison pill, a quiet feed) failed the whole service.
 */
export async function retryConcurrentTransactions<T>(
  request: () => Promise<T>,
  options: { readonly attempts?: number; readonly sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const attempts = options.attempts ?? 10;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= attempts || !isConcurrentTransactions(error)) throw error;
      // The markers take about a millisecond; 5, 10, 20 … ms, at most 500, ~2.5 s in all.
      await sleep(Math.min(500, 5 * 2 ** (attempt - 1)));
    }
  }
}

function isConcurrentTransactions(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'type' in error && error.type === 'CONCURRENT_TRANSACTIONS'
  );
}
