/**
 * Publishes the selected model as a new version in the registry, with the lineage someone auditing it
 * later needs without access to this machine's run store: which run, which data (by digest), which settings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { component, Dataset, type InputArtifact, Model, Param } from 'sluice';
import { digestOf, formatJson, readJson } from '../lib/files.ts';
import type { ModelFile } from '../lib/models.ts';
import { registerVersion, registryDirectory } from '../lib/registry.ts';

export const MODEL_NAME = 'iris-classifier';

export const register = component({
  name: 'register',
  description:
    'Writes <registry>/iris-classifier/v<N>/model.json and lineage.json (N: the next free version).',
  inputs: {
    model: Model,
    accuracy: Param.float(),
    data: Dataset,
    train: Dataset,
    test: Dataset,
    registry: Param.string(),
    // The run's settings, for the lineage record (pipeline parameters by name).
    testFraction: Param.float(),
    seed: Param.int(),
    trees: Param.int(),
    learningRate: Param.float(),
    iterations: Param.int(),
    threshold: Param.float(),
  },
  outputs: { registered: Model },
  run: ({ model, accuracy, data, train, test, registry, ...parameters }, { registered }) => {
    const content = readFileSync(model.path, 'utf8');
    const { algorithm } = readJson<ModelFile>(model.path);
    const lineage = {
      model: MODEL_NAME,
      algorithm,
      accuracy,
      registeredAt: new Date().toISOString(),
      run: { id: process.env.SLUICE_RUN_ID ?? null, task: process.env.SLUICE_TASK_PATH ?? null },
      parameters,
      data: {
        source: { uri: data.metadata.source ?? null, digest: data.metadata.sourceDigest ?? null },
        validated: describe(data),
        train: describe(train),
        test: describe(test),
      },
      artifact: { uri: model.uri, digest: digestOf(model.path) },
    };
    const directory = registryDirectory(registry);
    const version = registerVersion(directory, MODEL_NAME, {
      'model.json': content,
      'lineage.json': formatJson(lineage),
    });
    const path = join(version.directory, 'model.json');
    writeFileSync(registered.path, content);
    Object.assign(registered.metadata, { version: version.version, path, algorithm, accuracy });
    console.log(
      `registered ${MODEL_NAME} v${version.version} (${algorithm}, accuracy ${accuracy.toFixed(3)}) at ${path}`,
    );
  },
});

function describe(artifact: InputArtifact) {
  return { uri: artifact.uri, digest: digestOf(artifact.path), rows: artifact.metadata.rows ?? null };
}
