import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cut, echo, type IndexDefinition, IndexDefinitionError, IndexEngine } from '@indexflow/index-engine';
import { DatasetError, IndexFileError } from './dataset-report.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value for a message, cut to ~200 characters. */
function shown(value: unknown): string {
  return typeof value === 'string' ? echo(value) : cut(JSON.stringify(value) ?? 'undefined');
}

function constituentOf(path: string, c: unknown, i: number): IndexDefinition['constituents'][number] {
  if (!isRecord(c) || typeof c.symbol !== 'string' || typeof c.shares !== 'string') {
    throw new IndexFileError(
      path,
      `constituents[${i}]`,
      `needs string "symbol" and "shares", was ${shown(c)}`,
    );
  }
  return {
    symbol: c.symbol,
    shares: c.shares,
    ...(typeof c.currency === 'string' ? { currency: c.currency } : {}),
    ...(typeof c.capFactor === 'string' ? { capFactor: c.capFactor } : {}),
  };
}

function closeOf(path: string, close: unknown): IndexDefinition['close'] {
  if (close === undefined) return undefined;
  if (
    !isRecord(close) ||
    (close.time !== undefined && typeof close.time !== 'string') ||
    (close.fxFixingSource !== undefined && typeof close.fxFixingSource !== 'string')
  ) {
    throw new IndexFileError(
      path,
      'close',
      `must be {"time"?: "HH:MM", "fxFixingSource"?: string}, was ${shown(close)}`,
    );
  }
  return {
    ...(typeof close.time === 'string' ? { time: close.time } : {}),
    ...(typeof close.fxFixingSource === 'string' ? { fxFixingSource: close.fxFixingSource } : {}),
  };
}

function previousCloseOf(path: string, value: unknown): IndexDefinition['previousClose'] {
  if (value === undefined) return undefined;
  if (!isRecord(value) || typeof value.date !== 'string' || typeof value.level !== 'string') {
    throw new IndexFileError(
      path,
      'previousClose',
      `must be {"date": "YYYY-MM-DD", "level": "<decimal>"}, was ${shown(value)}`,
    );
  }
  return { date: value.date, level: value.level };
}

/** Validates one index file's shape; `validateIndexDefinition` checks its values. Extra fields are kept. */
export function parseIndexDefinition(path: string, json: unknown): IndexDefinition {
  if (!isRecord(json)) throw new IndexFileError(path, '(file)', 'an index file must hold a JSON object');
  if (typeof json.id !== 'string' || json.id === '')
    throw new IndexFileError(path, 'id', `must be a non-empty string, was ${shown(json.id)}`);
  if (!Array.isArray(json.constituents)) throw new IndexFileError(path, 'constituents', 'must be an array');
  for (const key of ['initialLevel', 'divisor', 'currency', 'referenceDate'] as const) {
    if (json[key] !== undefined && typeof json[key] !== 'string') {
      throw new IndexFileError(path, key, `must be a string, was ${shown(json[key])}`);
    }
  }
  const constituents = json.constituents.map((c, i) => constituentOf(path, c, i));
  const close = closeOf(path, json.close);
  const previousClose = previousCloseOf(path, json.previousClose);
  const rounding = json.referencePriceRounding;
  if (rounding !== undefined && rounding !== 'exact' && rounding !== 'exchange') {
    throw new IndexFileError(
      path,
      'referencePriceRounding',
      `must be "exact" or "exchange", was ${shown(rounding)}`,
    );
  }
  return {
    id: json.id,
    constituents,
    ...(typeof json.currency === 'string' ? { currency: json.currency } : {}),
    ...(typeof json.initialLevel === 'string' ? { initialLevel: json.initialLevel } : {}),
    ...(typeof json.divisor === 'string' ? { divisor: json.divisor } : {}),
    ...(rounding === undefined ? {} : { referencePriceRounding: rounding }),
    ...(close === undefined ? {} : { close }),
    ...(typeof json.referenceDate === 'string' ? { referenceDate: json.referenceDate } : {}),
    ...(previousClose === undefined ? {} : { previousClose }),
    ...(isRecord(json.totalReturn)
      ? {
          totalReturn:
            typeof json.totalReturn.withholdingRate === 'string'
              ? { withholdingRate: json.totalReturn.withholdingRate }
              : {},
        }
      : {}),
  };
}

/**
 * Checks a definition's values at load with the engine's own rules (id and symbol character set,
 * shares, currency, initialLevel/divisor ranges, close time, previous close and base date), so a bad file is named with the
 * field at fault instead of failing later with a stack trace.
 */
export function validateIndexDefinition(path: string, definition: IndexDefinition): void {
  try {
    new IndexEngine([definition]);
  } catch (error) {
    if (!(error instanceof IndexDefinitionError)) throw error;
    const value = shown(error.value);
    const reason = error.reason.includes(value) ? error.reason : `${error.reason}; was ${value}`;
    throw new IndexFileError(path, error.field, reason, { cause: error });
  }
}

/** Largest index file read (64 MiB): thousands of constituents fit; a runaway file is refused, not loaded whole. */
export const MAX_INDEX_FILE_BYTES = 64 * 1024 * 1024;

function readJson(path: string): unknown {
  const bytes = statSync(path).size;
  if (bytes > MAX_INDEX_FILE_BYTES) {
    throw new IndexFileError(
      path,
      '(file)',
      `is ${bytes} bytes, over the ${MAX_INDEX_FILE_BYTES}-byte limit`,
    );
  }
  const text = readFileSync(path, 'utf8');
  try {
    // A byte order mark is dropped here as the CSV reader drops it, so both accept editor-saved files.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (cause) {
    throw new IndexFileError(path, '(file)', `is not valid JSON (${cut((cause as Error).message)})`, {
      cause,
    });
  }
}

/** Reads and validates `<dataset>/indices/*.json` in file-name order; index ids must be unique. */
export function readIndexDefinitions(datasetDir: string): IndexDefinition[] {
  const dir = join(datasetDir, 'indices');
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (cause) {
    throw new DatasetError(dir, 'cannot read the indices directory', { cause });
  }
  if (names.length === 0) throw new DatasetError(dir, 'holds no *.json index file');
  const files = new Map<string, string>();
  return names.map((name) => {
    const path = join(dir, name);
    const definition = parseIndexDefinition(path, readJson(path));
    validateIndexDefinition(path, definition);
    const other = files.get(definition.id);
    if (other !== undefined) {
      throw new IndexFileError(path, 'id', `duplicate index id ${echo(definition.id)}, also in ${other}`);
    }
    files.set(definition.id, path);
    return definition;
  });
}
