// Regenerates test/fixtures/seed-yearly-closes.csv: `pnpm --filter @indexflow/index-analytics fixtures`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSeedYearlyCloses, closesCsv } from './seed-yearly-closes.js';

const target = fileURLToPath(new URL('../test/fixtures/seed-yearly-closes.csv', import.meta.url));
writeFileSync(target, closesCsv(buildSeedYearlyCloses()));
process.stdout.write(`wrote ${target}\n`);
