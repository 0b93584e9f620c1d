import type { IndexLevel } from '../index-level.js';
import type { Rejection } from '../rejection.js';
import type { OfficialClose } from './official-close.js';

export interface ApplyResult {
  readonly levels: IndexLevel[];
  readonly rejections: Rejection[];
  /**
   * Official closes that fell due before this event (its time passed their close instant), in
   * definition order. Present only when there are some, so the per-tick path allocates nothing.
   */
  readonly closes?: readonly OfficialClose[];
}
