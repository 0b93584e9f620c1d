import type { IndexLevel } from '../index-level.js';
import type { Rejection } from '../rejection.js';

export interface ApplyResult {
  readonly levels: IndexLevel[];
  readonly rejections: Rejection[];
}
