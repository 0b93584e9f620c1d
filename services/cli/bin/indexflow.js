#!/usr/bin/env node
// The `indexflow` command: the CLI compiled by `pnpm build` (which `pnpm install` runs), started
// with plain node. `pnpm indexflow …` runs the TypeScript sources instead, for development.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('indexflow: the CLI is not compiled yet: run `pnpm build` in the repository\n');
  process.exit(2);
}
process.setSourceMapsEnabled(true);
await import(main.href);
