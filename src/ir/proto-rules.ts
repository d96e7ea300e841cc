/**
 * The rules of pipeline_spec.proto that its zod mirror cannot express: members of a `oneof` (at most one
 * set, and for most of them exactly one), and fields KFP's backend and driver need although proto3 makes
 * every field optional. Works on the raw document, so it still reports what it can when the schema check
 * has found wrong types elsewhere; a value of the wrong type is left to that check.
 */
import { formatPath, type Issue, IssueCode } from './issues.ts';
import {
  checkArtifactType,
  checkValueOrRuntimeParameter,
  entries,
  type Message,
  oneof,
  type Path,
  type Report,
  requireText,
} from './proto-constraints.ts';
import { isPlainObject } from './proto-json.ts';
import { ParameterType } from './spec.ts';
import { checkDagOutputs, checkTask } from './task-rules.ts';

/** Schema versions Sluice reads; KFP's SDK has written 2.1.0 since kfp-pipeline-spec 0.1.14. */
export const SUPPORTED_SCHEMA_VERSIONS: ReadonlyArray<string> = ['2.0.0', '2.1.0'];

export function checkProtoRules(spec: unknown): Issue[] {
  const issues: Issue[] = [];
  const report: Report = (code, path, message) => issues.push({ code, path: formatPath(path), message });
  if (!isPlainObject(spec)) return issues;
  checkHeader(spec, report);
  for (const [name, component] of entries(spec.components)) {
    checkComponent(component, ['components', name], report);
  }
  if (isPlainObject(spec.root)) checkComponent(spec.root, ['root'], report);
  const deployment = spec.deploymentSpec;
  if (isPlainObject(deployment)) {
    for (const [label, executor] of entries(deployment.executors)) {
      checkExecutor(executor, ['deploymentSpec', 'executors', label], report);
    }
  }
  return issues;
}

function checkHeader(spec: Message, report: Report): void {
  const info = spec.pipelineInfo;
  if (info === undefined) {
    report(IssueCode.MISSING_FIELD, ['pipelineInfo'], 'missing; KFP requires pipelineInfo.name');
  } else if (isPlainObject(info)) {
    requireText(
      info,
      'name',
      ['pipelineInfo'],
      report,
      'KFP requires a pipeline name (runs and their metadata are grouped by it)',
    );
  }
  const version = spec.schemaVersion;
  if (version === undefined) {
    report(
      IssueCode.MISSING_FIELD,
      ['schemaVersion'],
      `missing; the KFP SDK writes schemaVersion: ${SUPPORTED_SCHEMA_VERSIONS.at(-1)}`,
    );
  } else if (typeof version === 'string' && !SUPPORTED_SCHEMA_VERSIONS.includes(version)) {
    report(
      IssueCode.UNSUPPORTED_VERSION,
      ['schemaVersion'],
      `schemaVersion ${JSON.stringify(version)} is not supported; Sluice reads ${SUPPORTED_SCHEMA_VERSIONS.join(' and ')}`,
    );
  }
  const root = spec.root;
  if (root === undefined) {
    report(
      IssueCode.MISSING_FIELD,
      ['root'],
      "missing; the pipeline's root component (a DAG of tasks) is required",
    );
  } else if (isPlainObject(root) && root.dag === undefined) {
    const found = root.executorLabel === undefined ? '' : ", not an executor ('executorLabel')";
    report(
      IssueCode.MISSING_FIELD,
      ['root', 'dag'],
      `missing; the root component must be a DAG of tasks${found}`,
    );
  }
}

function checkComponent(component: unknown, path: Path, report: Report): void {
  if (!isPlainObject(component)) return;
  const isRoot = path.length === 1;
  // The root's missing DAG is reported by checkHeader, in terms of the root.
  if (!isRoot || component.dag !== undefined) {
    oneof(
      component,
      ['dag', 'executorLabel'],
      path,
      report,
      'a component is either a DAG or runs an executor',
    );
  }
  if (typeof component.executorLabel === 'string') {
    requireText(
      component,
      'executorLabel',
      path,
      report,
      'name an executor (a key of deploymentSpec.executors)',
    );
  }
  for (const side of ['inputDefinitions', 'outputDefinitions'] as const) {
    const definitions = component[side];
    if (!isPlainObject(definitions)) continue;
    for (const [name, parameter] of entries(definitions.parameters)) {
      checkParameterType(parameter, [...path, side, 'parameters', name], report);
    }
    for (const [name, artifact] of entries(definitions.artifacts)) {
      if (isPlainObject(artifact)) {
        checkArtifactType(artifact, 'artifactType', [...path, side, 'artifacts', name], report);
      }
    }
  }
  if (isPlainObject(component.dag)) {
    for (const [name, task] of entries(component.dag.tasks)) {
      checkTask(task, [...path, 'dag', 'tasks', name], report);
    }
    if (isPlainObject(component.dag.outputs)) {
      checkDagOutputs(component.dag.outputs, [...path, 'dag', 'outputs'], report);
    }
  }
}

function checkParameterType(parameter: unknown, path: Path, report: Report): void {
  if (!isPlainObject(parameter)) return;
  const typed = [parameter.parameterType, parameter.type].some(
    (t) => t !== undefined && !String(t).endsWith('_UNSPECIFIED'),
  );
  if (!typed) {
    report(
      IssueCode.MISSING_FIELD,
      [...path, 'parameterType'],
      `missing; a parameter needs a type: one of ${Object.keys(ParameterType).join(', ')}`,
    );
  }
}

function checkExecutor(executor: unknown, path: Path, report: Report): void {
  if (!isPlainObject(executor)) return;
  oneof(
    executor,
    ['container', 'importer', 'resolver', 'customJob'],
    path,
    report,
    'the kinds of executor are exclusive',
  );
  const container = executor.container;
  if (isPlainObject(container)) {
    requireText(container, 'image', [...path, 'container'], report, 'name the container image to run');
    if (Array.isArray(container.env)) {
      for (const [i, variable] of container.env.entries()) {
        if (isPlainObject(variable)) {
          requireText(
            variable,
            'name',
            [...path, 'container', 'env', i],
            report,
            'an environment variable needs a name',
          );
        }
      }
    }
  }
  const importer = executor.importer;
  if (isPlainObject(importer)) {
    const importerPath = [...path, 'importer'];
    if (importer.artifactUri === undefined) {
      report(
        IssueCode.MISSING_FIELD,
        [...importerPath, 'artifactUri'],
        'missing; the URI of the artifact to import (constant or runtimeParameter)',
      );
    } else if (isPlainObject(importer.artifactUri)) {
      checkValueOrRuntimeParameter(importer.artifactUri, [...importerPath, 'artifactUri'], report);
    }
    checkArtifactType(importer, 'typeSchema', importerPath, report);
  }
}
