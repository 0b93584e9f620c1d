import type { EngineState } from '../engine/engine-state.js';
import type { CorporateAction } from './corporate-action.js';

/**
 * The indices an action changes: the one it names, or every index holding its symbol (a split,
 * a dividend, a delete without an index). A symbol's price actions move its price in every index
 * at once, so they can only be applied or withheld for all of those indices together.
 */
export function indicesOf(state: EngineState, action: CorporateAction): string[] {
  if (action.indexId) return [action.indexId];
  return (state.routing.get(action.symbol) ?? []).map((m) => m.book.id);
}

/**
 * The actions left once every index in `refused` is kept out of the adjustment: an action that
 * touches a refused index is withheld, and the other indices it touches are refused with it
 * (grows `refused` until no withheld action reaches a kept index).
 */
export function actionsOutside(
  state: EngineState,
  actions: readonly CorporateAction[],
  refused: Set<string>,
): CorporateAction[] {
  for (let grew = true; grew; ) {
    grew = false;
    for (const action of actions) {
      const touched = indicesOf(state, action);
      if (!touched.some((id) => refused.has(id))) continue;
      for (const id of touched) {
        if (refused.has(id)) continue;
        refused.add(id);
        grew = true;
      }
    }
  }
  return actions.filter((action) => !indicesOf(state, action).some((id) => refused.has(id)));
}
