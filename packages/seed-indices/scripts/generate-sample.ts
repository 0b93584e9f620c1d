// Writes the deterministic sample dataset to packages/seed-indices/sample/.
// Run: pnpm exec tsx packages/seed-indices/scripts/generate-sample.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SAMPLE_DIR } from '../src/index.js';
import { generateSample } from '../src/sample-generator.js';
import { loadSeedIndexDefinitions } from '../src/seed-index-definitions.js';

const files = generateSample(loadSeedIndexDefinitions());
for (const [relative, content] of Object.entries(files)) {
  const file = join(SAMPLE_DIR, relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  console.log(`wrote ${file} (${content.split('\n').length - 2} rows)`);
}
