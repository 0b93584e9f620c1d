// @confluentinc/schemaregistry takes about 0.6 s to load (its serdes bring protobuf, JSON-schema
// and rule libraries), so it is loaded on first use: a command that never reaches the registry
// (`indexflow --help`, an offline replay) does not pay for it. The package is CommonJS, so the
// first use can stay synchronous.
import { createRequire } from 'node:module';
import type * as SchemaRegistry from '@confluentinc/schemaregistry';

let loaded: typeof SchemaRegistry | undefined;

export function schemaRegistryLibrary(): typeof SchemaRegistry {
  loaded ??= createRequire(import.meta.url)('@confluentinc/schemaregistry') as typeof SchemaRegistry;
  return loaded;
}
