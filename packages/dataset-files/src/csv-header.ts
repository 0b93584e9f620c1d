import { DatasetError } from './dataset-report.js';

/** Maps required (and optional) column names to their positions in a header line. */
export function columnIndex<R extends string, O extends string>(
  file: string,
  header: string[],
  required: readonly R[],
  optional: readonly O[] = [],
): Record<R, number> & Partial<Record<O, number>> {
  const positions = new Map(header.map((name, i) => [name.trim(), i]));
  const out: Record<string, number> = {};
  const missing = required.filter((name) => !positions.has(name));
  if (missing.length > 0) {
    throw new DatasetError(
      file,
      `header must contain ${required.join(',')}; missing ${missing.join(',')} in "${header.join(',')}"`,
    );
  }
  for (const name of [...required, ...optional]) {
    const position = positions.get(name);
    if (position !== undefined) out[name] = position;
  }
  return out as Record<R, number> & Partial<Record<O, number>>;
}
