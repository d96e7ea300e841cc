/**
 * `pipeline()`: a DAG built by a body function. The body runs when the pipeline is compiled (or described,
 * when another pipeline uses it as a component); data dependencies come from the channels tasks consume.
 */
import type { ArtifactSpec } from './artifacts.ts';
import { ArtifactChannel, ParameterChannel, PipelineChannel } from './channels.ts';
import type { ComponentDefinition } from './component-definition.ts';
import type { ParamSpec } from './params.ts';
import { DslError, PipelineContext } from './pipeline-context.ts';
import { PipelineTask } from './pipeline-task.ts';
import type { IoSpecs, NoIo, TaskCallArguments } from './typing.ts';

export interface PipelineOptions<I extends IoSpecs> {
  /** The pipeline's name: lowercase letters, digits and `-` (KFP's rule), e.g. `train-and-register`. */
  name: string;
  description?: string;
  displayName?: string;
  /** Pipeline parameters (and artifacts, for pipelines used as components). */
  inputs?: I;
  /** Where artifacts go when the run does not say; KFP's `defaultPipelineRoot`. */
  pipelineRoot?: string;
}

/** What the body receives: one channel per declared input. */
export type PipelineInputChannels<I extends IoSpecs> = {
  readonly [K in keyof I]: I[K] extends ParamSpec<infer T, infer V, boolean>
    ? ParameterChannel<T, V>
    : I[K] extends ArtifactSpec<infer S, infer L, boolean>
      ? ArtifactChannel<S, L>
      : never;
};

/** A body returns nothing, one channel (output `Output`, as KFP names it) or named channels. */
export type PipelineReturn =
  | void
  | undefined
  | PipelineChannel
  | { readonly [name: string]: PipelineChannel };

type SpecOf<C> =
  C extends ParameterChannel<infer K, infer V>
    ? ParamSpec<K, V, false>
    : C extends ArtifactChannel<infer S, infer L>
      ? ArtifactSpec<S, L, false>
      : never;

export type PipelineOutputSpecs<R> = R extends PipelineChannel
  ? { Output: SpecOf<R> }
  : R extends { readonly [name: string]: PipelineChannel }
    ? { [K in keyof R]: SpecOf<R[K]> }
    : NoIo;

/** The result of running a pipeline body once. */
export interface BuiltPipeline {
  readonly context: PipelineContext;
  /** Pipeline outputs by name. */
  readonly outputs: Readonly<Record<string, PipelineChannel>>;
}

export type Pipeline<I extends IoSpecs, O extends IoSpecs> = ((
  ...args: TaskCallArguments<I>
) => PipelineTask<O>) & {
  readonly kind: 'pipeline';
  readonly options: Readonly<PipelineOptions<I>>;
  /** Runs the body in a fresh context; each call builds new tasks and channels. */
  build(): BuiltPipeline;
  /** The pipeline's interface, for use as a component (builds the body once to learn its outputs). */
  readonly definition: ComponentDefinition;
};

const PIPELINE_NAME = /^[a-z0-9][a-z0-9-]{0,127}$/;

/**
 * Declares a pipeline.
 * @example
 * export default pipeline({ name: 'two-step', inputs: { text: Param.string({ default: 'hi' }) } }, ({ text }) => {
 *   const produce = producer({ text });
 *   consumer({ data: produce.outputs.data });
 * });
 */
export function pipeline<const I extends IoSpecs = NoIo, R extends PipelineReturn = void>(
  options: PipelineOptions<I>,
  body: (inputs: PipelineInputChannels<I>) => R,
): Pipeline<I, PipelineOutputSpecs<R>> {
  if (typeof options.name !== 'string' || !PIPELINE_NAME.test(options.name)) {
    throw new DslError(
      `pipeline name '${String(options.name)}' is not valid: use lowercase letters, digits and '-', starting with a letter or digit (at most 128)`,
    );
  }
  const inputs = (options.inputs ?? {}) as I;

  const build = (): BuiltPipeline => {
    const { context, result } = PipelineContext.build(options.name, () =>
      body(inputChannels(inputs) as PipelineInputChannels<I>),
    );
    return { context, outputs: outputsOf(options.name, result) };
  };

  let definition: ComponentDefinition | undefined;
  const describe = (): ComponentDefinition => {
    definition ??= {
      name: options.name,
      description: options.description,
      inputs,
      outputs: outputSpecs(build().outputs),
      implementation: { kind: 'pipeline', pipeline: { options, build } },
    };
    return definition;
  };

  const call = (args?: Record<string, unknown>) => new PipelineTask(describe(), args ?? {});
  const result = Object.assign(call, { kind: 'pipeline' as const, options, build });
  Object.defineProperty(result, 'definition', { get: describe, enumerable: true });
  pipelinesByName.set(result as unknown as AnyPipeline, options.name);
  return result as unknown as Pipeline<I, PipelineOutputSpecs<R>>;
}

// biome-ignore lint/suspicious/noExplicitAny: any pipeline, whatever its interface.
export type AnyPipeline = Pipeline<any, any>;
const pipelinesByName = new WeakMap<AnyPipeline, string>();

export function isPipeline(value: unknown): value is AnyPipeline {
  return typeof value === 'function' && pipelinesByName.has(value as AnyPipeline);
}

function inputChannels(inputs: IoSpecs): Record<string, PipelineChannel> {
  const channels: Record<string, PipelineChannel> = {};
  for (const [name, spec] of Object.entries(inputs)) {
    channels[name] =
      spec.kind === 'parameter'
        ? new ParameterChannel(name, spec.type, null, spec.itemType)
        : new ArtifactChannel(name, spec.schemaTitle, spec.schemaVersion, spec.isList, null);
  }
  return channels;
}

function outputsOf(pipelineName: string, result: unknown): Record<string, PipelineChannel> {
  if (result === undefined || result === null) return {};
  if (result instanceof PipelineChannel) return { Output: result };
  if (result instanceof PipelineTask) {
    // An arrow body like `() => train({...})` returns its task by accident; a task is not an output.
    throw new DslError(
      `pipeline '${pipelineName}': the body returned task '${result.name}', not an output; return nothing (use a block body), its output (\`task.output\`) or named outputs (\`{ model: task.outputs.model }\`)`,
    );
  }
  if (typeof result === 'object') {
    const outputs: Record<string, PipelineChannel> = {};
    for (const [name, value] of Object.entries(result)) {
      if (!(value instanceof PipelineChannel)) {
        throw new DslError(
          `pipeline '${pipelineName}': output '${name}' must be a task output or other channel, got ${JSON.stringify(value)}`,
        );
      }
      outputs[name] = value;
    }
    return outputs;
  }
  throw new DslError(
    `pipeline '${pipelineName}': the body must return nothing, a channel, or an object of channels`,
  );
}

function outputSpecs(outputs: Readonly<Record<string, PipelineChannel>>): IoSpecs {
  const specs: Record<string, ParamSpec | ArtifactSpec> = {};
  for (const [name, channel] of Object.entries(outputs)) {
    specs[name] =
      channel instanceof ParameterChannel
        ? { kind: 'parameter', type: channel.type, isOptional: false }
        : {
            kind: 'artifact',
            schemaTitle: (channel as ArtifactChannel).schemaTitle,
            schemaVersion: (channel as ArtifactChannel).schemaVersion,
            isList: (channel as ArtifactChannel).isList,
            isOptional: false,
          };
  }
  return specs as IoSpecs;
}
