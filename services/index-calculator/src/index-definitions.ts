import { readIndexDefinitions } from '@indexflow/dataset-files';
import type { IndexDefinition } from '@indexflow/index-engine';
import { SAMPLE_DIR } from '@indexflow/seed-indices';

/**
 * Index definitions in the replay format (`<dir>/indices/*.json`); the bundled seed indices
 * by default, so a bare start computes 995365/995366/995367.
 */
export function loadIndexDefinitions(datasetDir: string | undefined): IndexDefinition[] {
  return readIndexDefinitions(datasetDir ?? SAMPLE_DIR);
}
