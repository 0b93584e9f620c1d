// Types of level-merge.js for its unit test (the page loads the .js as is).

export interface LevelPoint {
  readonly eventTime: number;
  readonly sequence: number;
  readonly level: string;
}

export interface MergedHistory<L extends LevelPoint> {
  readonly points: LevelPoint[];
  readonly latest: L | null;
  readonly later: L[];
}

export function mergeHistory<L extends LevelPoint>(
  history: readonly LevelPoint[],
  buffered: readonly L[],
  day: { readonly start: number; readonly end: number } | null,
): MergedHistory<L>;
