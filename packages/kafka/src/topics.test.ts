import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_DETAIL_HEADER,
  DEAD_LETTER_LENGTH_HEADER,
  DEAD_LETTER_SHA256_HEADER,
} from './dead-letter-message.js';
import { UnknownSymbolSuffixError } from './kafka-errors.js';
import { DEFAULT_SCHEMAS_DIR } from './schema-files.js';
import {
  ALL_TOPICS,
  AVRO_TOPICS,
  DEAD_LETTER_HEADERS,
  TOPICS,
  tickTopicForSymbol,
  valueSubject,
} from './topics.js';

interface ReadmeTopicRow {
  name: string;
  keyField: string;
  schema: string | null;
  partitions: number;
  cleanupPolicy: string;
}

// Rows of the "Topics" table look like: | `indexflow.fx` | `pair` | `fx-rate.avsc` | 1 | delete | ... |
function readmeTopicRows(readme: string): ReadmeTopicRow[] {
  return readme
    .split('\n')
    .filter((line) => line.startsWith('| `indexflow.'))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const [name = '', key = '', value = '', partitions = '', cleanup = ''] = cells;
      const schemaFile = /^`([a-z-]+)\.avsc`$/.exec(value)?.[1] ?? null;
      return {
        name: name.replaceAll('`', ''),
        keyField: key.replaceAll('`', ''),
        schema: schemaFile,
        partitions: Number(partitions),
        cleanupPolicy: cleanup,
      };
    });
}

describe('topics.ts and schemas/README.md', () => {
  it('list the same topics with the same keys, schemas, partitions and cleanup policy', async () => {
    const readme = await readFile(join(DEFAULT_SCHEMAS_DIR, 'README.md'), 'utf8');
    const fromCode = ALL_TOPICS.map(({ name, keyField, schema, partitions, cleanupPolicy }) => ({
      name,
      keyField,
      schema,
      partitions,
      cleanupPolicy,
    }));
    expect(readmeTopicRows(readme)).toEqual(fromCode);
  });

  it('document every dead-letter header', async () => {
    const readme = await readFile(join(DEFAULT_SCHEMAS_DIR, 'README.md'), 'utf8');
    const bounded = [DEAD_LETTER_DETAIL_HEADER, DEAD_LETTER_LENGTH_HEADER, DEAD_LETTER_SHA256_HEADER];
    for (const header of [...Object.values(DEAD_LETTER_HEADERS), ...bounded]) {
      expect(readme).toMatch(new RegExp(`^\\| \`${header}\` +\\|`, 'm'));
    }
  });

  it('name every Avro topic subject with TopicNameStrategy', () => {
    expect(AVRO_TOPICS.map((topic) => valueSubject(topic.name))).toContain('indexflow.ticks.ashare-value');
    expect(AVRO_TOPICS.some((topic) => topic.name === TOPICS.deadLetter.name)).toBe(false);
  });
});

describe('tickTopicForSymbol', () => {
  it('routes A-shares and HK stocks by suffix', () => {
    expect(tickTopicForSymbol('600519.SH')).toBe('indexflow.ticks.ashare');
    expect(tickTopicForSymbol('000001.SZ')).toBe('indexflow.ticks.ashare');
    expect(tickTopicForSymbol('0700.HK')).toBe('indexflow.ticks.hk');
  });

  it('rejects a symbol without a known suffix, naming it', () => {
    const error = (() => {
      try {
        tickTopicForSymbol('AAPL.O');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UnknownSymbolSuffixError);
    expect(error).toMatchObject({ symbol: 'AAPL.O', retriable: false });
  });
});
