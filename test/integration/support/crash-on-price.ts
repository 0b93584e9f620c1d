// Test-only preload (`node --import`): kills the process outright, as an out-of-memory kill
// would, when the engine is handed a tick priced CRASH_ON_PRICE. No code can catch this, which
// is what the poison-pill rule is for. It patches the compiled engine, the one the compiled
// calculator loads (see entry-points.ts); patching the sources would change nothing there.
// Typed by the sources: the compiled entry's declarations exist only after a full `pnpm build`.
import type * as Engine from '@indexflow/index-engine';

const COMPILED: string = '@indexflow/index-engine/compiled';
const { IndexEngine } = (await import(COMPILED)) as typeof Engine;

const price = process.env.CRASH_ON_PRICE;
if (price !== undefined && price !== '') {
  const apply = IndexEngine.prototype.apply;
  IndexEngine.prototype.apply = function crashingApply(this: Engine.IndexEngine, event) {
    if (event.kind === 'tick' && event.price === price) process.kill(process.pid, 'SIGKILL');
    return apply.call(this, event);
  };
}
