/**
 * `importer()`: brings an existing file or object (by URI) into the pipeline as a typed artifact, so that
 * it is tracked in lineage like any produced artifact. The URI and metadata may come from channels.
 */
import type { ImporterSpec, JsonValue as IrJsonValue } from '../ir/index.ts';
import type { ArtifactSpec, ArtifactType } from './artifacts.ts';
import { channelsInValue, ParameterChannel, PipelineChannel, replacePattern } from './channels.ts';
import type { ComponentDefinition } from './component-definition.ts';
import type { ParamSpec } from './params.ts';
import { DslError, PipelineContext, uniqueName } from './pipeline-context.ts';
import { PipelineTask } from './pipeline-task.ts';
import type { IoSpec } from './typing.ts';

export interface ImporterOptions<S extends string> {
  /** Where the artifact is: `s3://…`, `gs://…`, a local path; or a STRING channel. */
  artifactUri: string | ParameterChannel<'STRING'>;
  /** Its type, e.g. Dataset or Model. */
  artifactClass: ArtifactType<S>;
  /** Import again even when the same URI was imported before. @default false */
  reimport?: boolean;
  /** Metadata to attach; values (and keys) may be channels or strings containing channels. */
  metadata?: Readonly<Record<string, unknown>>;
  /**
   * Task (and component) name, for a pipeline that names its steps (`ingest` reads better in logs and
   * lineage than `importer`); KFP's SDK has no such option, so the default keeps its naming.
   * @default 'importer'
   */
  name?: string;
}

/**
 * @example
 * const raw = importer({ artifactUri: 'file:///data/iris.csv', artifactClass: Dataset });
 * train({ data: raw.output });
 */
export function importer<S extends string>(
  options: ImporterOptions<S>,
): PipelineTask<{ artifact: ArtifactSpec<S, false, false> }> {
  PipelineContext.current('importer()');
  const { artifactUri, artifactClass } = options;
  if (!(typeof artifactUri === 'string' || artifactUri instanceof ParameterChannel)) {
    throw new DslError('importer(): artifactUri must be a string or a STRING parameter channel');
  }
  if (artifactClass?.kind !== 'artifact')
    throw new DslError('importer(): artifactClass must be an artifact type such as Dataset');
  const name = options.name ?? 'importer';
  if (!/^[A-Za-z][A-Za-z0-9_ -]*$/.test(name)) {
    throw new DslError(
      `importer(): name '${name}' is not valid: start with a letter; use letters, digits, '-', '_' or spaces`,
    );
  }

  const inputs: Record<string, IoSpec> = { uri: stringParam() };
  const args: Record<string, unknown> = { uri: artifactUri };
  let metadata: unknown = options.metadata;
  for (const channel of channelsInValue(options.metadata ?? {})) {
    if (!(channel instanceof ParameterChannel)) {
      throw new DslError(
        `importer(): metadata can only hold parameter channels; '${channel.fullName}' is an artifact`,
      );
    }
    const name = uniqueName('metadata', { has: (candidate) => candidate in inputs });
    inputs[name] = { kind: 'parameter', type: channel.type, isOptional: false };
    args[name] = channel;
    metadata = replacePattern(metadata, channel.pattern, `{{$.inputs.parameters['${name}']}}`);
  }
  const importerSpec: ImporterSpec = {
    artifactUri:
      artifactUri instanceof PipelineChannel ? { runtimeParameter: 'uri' } : { constant: artifactUri },
    typeSchema: { schemaTitle: artifactClass.schemaTitle, schemaVersion: artifactClass.schemaVersion },
  };
  if (options.reimport) importerSpec.reimport = true;
  if (metadata !== undefined && Object.keys(metadata as object).length > 0) {
    importerSpec.metadata = metadata as Record<string, IrJsonValue>;
  }
  const definition: ComponentDefinition = {
    name,
    description: undefined,
    inputs,
    outputs: {
      artifact: {
        kind: 'artifact',
        schemaTitle: artifactClass.schemaTitle,
        schemaVersion: artifactClass.schemaVersion,
        isList: false,
        isOptional: false,
      },
    },
    implementation: { kind: 'importer', importer: importerSpec },
  };
  return new PipelineTask(definition, args);
}

function stringParam(): ParamSpec<'STRING', string, false> {
  return { kind: 'parameter', type: 'STRING', isOptional: false };
}
