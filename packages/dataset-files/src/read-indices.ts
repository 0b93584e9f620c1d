import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexDefinition } from '@indexflow/index-engine';
import { DatasetError } from './dataset-report.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates one index file's shape; the engine validates the numbers. Extra fields are kept. */
export function parseIndexDefinition(path: string, json: unknown): IndexDefinition {
  if (!isRecord(json)) throw new DatasetError(path, 'an index file must hold a JSON object');
  if (typeof json.id !== 'string' || json.id === '')
    throw new DatasetError(path, `"id" must be a non-empty string, was ${JSON.stringify(json.id)}`);
  if (!Array.isArray(json.constituents)) throw new DatasetError(path, '"constituents" must be an array');
  for (const key of ['initialLevel', 'divisor', 'currency'] as const) {
    if (json[key] !== undefined && typeof json[key] !== 'string') {
      throw new DatasetError(path, `"${key}" must be a decimal string, was ${JSON.stringify(json[key])}`);
    }
  }
  const constituents = json.constituents.map((c, i) => {
    if (!isRecord(c) || typeof c.symbol !== 'string' || typeof c.shares !== 'string') {
      throw new DatasetError(
        path,
        `constituents[${i}] needs string "symbol" and "shares", was ${JSON.stringify(c)}`,
      );
    }
    return {
      symbol: c.symbol,
      shares: c.shares,
      ...(typeof c.currency === 'string' ? { currency: c.currency } : {}),
      ...(typeof c.capFactor === 'string' ? { capFactor: c.capFactor } : {}),
    };
  });
  const close = json.close;
  if (
    close !== undefined &&
    (!isRecord(close) ||
      (close.time !== undefined && typeof close.time !== 'string') ||
      (close.fxFixingSource !== undefined && typeof close.fxFixingSource !== 'string'))
  ) {
    throw new DatasetError(
      path,
      `"close" must be {"time"?: "HH:MM", "fxFixingSource"?: string}, was ${JSON.stringify(close)}`,
    );
  }
  const rounding = json.referencePriceRounding;
  if (rounding !== undefined && rounding !== 'exact' && rounding !== 'exchange') {
    throw new DatasetError(
      path,
      `"referencePriceRounding" must be "exact" or "exchange", was ${JSON.stringify(rounding)}`,
    );
  }
  return {
    id: json.id,
    constituents,
    ...(typeof json.currency === 'string' ? { currency: json.currency } : {}),
    ...(typeof json.initialLevel === 'string' ? { initialLevel: json.initialLevel } : {}),
    ...(typeof json.divisor === 'string' ? { divisor: json.divisor } : {}),
    ...(rounding === undefined ? {} : { referencePriceRounding: rounding }),
    ...(isRecord(close)
      ? {
          close: {
            ...(typeof close.time === 'string' ? { time: close.time } : {}),
            ...(typeof close.fxFixingSource === 'string' ? { fxFixingSource: close.fxFixingSource } : {}),
          },
        }
      : {}),
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

/** Reads `<dataset>/indices/*.json` in file-name order. */
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
  return names.map((name) => {
    const path = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (cause) {
      throw new DatasetError(path, `is not valid JSON (${(cause as Error).message})`, { cause });
    }
    return parseIndexDefinition(path, json);
  });
}
