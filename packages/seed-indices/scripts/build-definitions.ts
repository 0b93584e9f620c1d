// Writes data/<id>.json from the report top-10 table and the illustrative specs.
// Run: pnpm exec tsx packages/seed-indices/scripts/build-definitions.ts
import { writeFileSync } from 'node:fs';
import {
  buildSeedIndexDefinition,
  serializeSeedIndexDefinition,
} from '../src/build-seed-index-definition.js';
import { SEED_INDEX_IDS } from '../src/report-top10.js';
import { seedIndexFile } from '../src/seed-index-definitions.js';

for (const id of SEED_INDEX_IDS) {
  const file = seedIndexFile(id);
  writeFileSync(file, serializeSeedIndexDefinition(buildSeedIndexDefinition(id)));
  console.log(`wrote ${file}`);
}
