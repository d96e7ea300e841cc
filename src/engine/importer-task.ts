/**
 * Importer tasks run no process: they record an existing URI as an artifact of the run (KFP's
 * `dsl.importer`), reusing the artifact already recorded for that URI unless `reimport` is set.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../ir/index.ts';
import type { ArtifactRecord } from '../store/index.ts';
import { fail, onTaskFinal } from './completion.ts';
import { fillPlaceholders, InputResolutionError } from './resolve-inputs.ts';
import type { RunContext } from './run-context.ts';
import type { ArtifactRef, TaskNode } from './run-tree.ts';

export async function runImporter(context: RunContext, node: TaskNode): Promise<void> {
  const component = context.plan.component(node.record.componentName);
  const importer = context.plan.executor(component).importer!;
  const parameters = node.inputs?.parameters ?? {};
  const source = importer.artifactUri;
  const uri =
    source?.constant ??
    source?.constantValue?.stringValue ??
    (source?.runtimeParameter !== undefined ? parameters[source.runtimeParameter] : undefined);
  if (typeof uri !== 'string' || uri === '') {
    fail(context, node, `importer has no artifact URI (got ${JSON.stringify(uri ?? null)})`);
    return;
  }
  let metadata: Record<string, JsonValue>;
  try {
    metadata = (fillPlaceholders((importer.metadata ?? {}) as JsonValue, parameters, 'metadata') ??
      {}) as Record<string, JsonValue>;
  } catch (error) {
    if (!(error instanceof InputResolutionError)) throw error;
    fail(context, node, error.message);
    return;
  }
  const schemaTitle = importer.typeSchema?.schemaTitle ?? 'system.Artifact';
  const schemaVersion = importer.typeSchema?.schemaVersion ?? '0.0.1';
  const outputName = Object.keys(component.outputDefinitions?.artifacts ?? {})[0] ?? 'artifact';

  let record: ArtifactRecord | undefined;
  if (!importer.reimport) {
    const known = await context.deps.store.getArtifactsByUri(uri);
    record = known.filter((artifact) => artifact.schemaTitle === schemaTitle).at(-1);
  }
  if (!record) {
    const published = await context.deps.artifacts.digestOf(uri);
    record = {
      id: randomUUID(),
      runId: context.run.id,
      taskId: node.record.id,
      name: outputName,
      uri,
      schemaTitle,
      schemaVersion,
      metadata,
      digest: published?.digest ?? null,
      sizeBytes: published?.sizeBytes ?? null,
      createdAt: context.now(),
    };
    context.changes.addArtifact(record);
  }
  context.changes.addLineage({
    artifactId: record.id,
    taskId: node.record.id,
    runId: context.run.id,
    kind: 'OUTPUT',
    key: outputName,
  });
  const ref: ArtifactRef = {
    id: record.id,
    name: record.name,
    uri: record.uri,
    schemaTitle: record.schemaTitle,
    schemaVersion: record.schemaVersion,
    metadata: record.metadata as Record<string, JsonValue>,
    digest: record.digest,
  };
  context.changes.setTaskState(node.record, 'RUNNING', null);
  context.changes.setTaskState(node.record, 'SUCCEEDED', null, {
    outputs: { parameters: {}, artifacts: { [outputName]: [ref] } } as never,
  });
  onTaskFinal(context, node);
}
