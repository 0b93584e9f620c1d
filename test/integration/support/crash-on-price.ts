// Test-only preload (`node --import`): kills the process outright, as an out-of-memory kill
// would, when the engine is handed a tick priced CRASH_ON_PRICE. No code can catch this, which
// is what the poison-pill rule is for.
import { IndexEngine } from '@indexflow/index-engine';

const price = process.env.CRASH_ON_PRICE;
if (price !== undefined && price !== '') {
  const apply = IndexEngine.prototype.apply;
  IndexEngine.prototype.apply = function crashingApply(this: IndexEngine, event) {
    if (event.kind === 'tick' && event.price === price) process.kill(process.pid, 'SIGKILL');
    return apply.call(this, event);
  };
}
