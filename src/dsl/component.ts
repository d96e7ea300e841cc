/**
 * `component()`: a reusable step with typed inputs and outputs. Either a container (image + command with
 * placeholders; runs as a local process or a container) or a TypeScript function (`run`), which Sluice runs
 * in its own Node process.
 */
import { fileURLToPath } from 'node:url';
import type { ContainerSpec } from '../ir/index.ts';
import {
  type CommandArgument,
  type CommandContext,
  commandContext,
  renderArgument,
} from './command-placeholders.ts';
import type { ComponentDefinition, Implementation } from './component-definition.ts';
import type { RunFunction } from './function-types.ts';
import { DslError } from './pipeline-context.ts';
import { PipelineTask } from './pipeline-task.ts';
import type { IoSpecs, NoIo, TaskCallArguments } from './typing.ts';

type CommandLine<I extends IoSpecs, O extends IoSpecs> =
  | ReadonlyArray<CommandArgument>
  | ((context: CommandContext<I, O>) => ReadonlyArray<CommandArgument>);

interface ComponentOptions<I extends IoSpecs, O extends IoSpecs> {
  /** Used for task and component names in the IR (`train-model` → task `train-model`, `comp-train-model`). */
  name: string;
  description?: string;
  inputs?: I;
  outputs?: O;
  /** Environment for every task of this component; tasks may add more with setEnvVariable. */
  env?: Readonly<Record<string, string>>;
}

export interface ContainerComponentOptions<I extends IoSpecs, O extends IoSpecs>
  extends ComponentOptions<I, O> {
  /** The container image (used by the docker and kubernetes executors; the local executor runs the command). */
  image: string;
  command?: CommandLine<I, O>;
  args?: CommandLine<I, O>;
}

export interface FunctionComponentOptions<I extends IoSpecs, O extends IoSpecs>
  extends ComponentOptions<I, O> {
  /** The function; it must be reachable as an export of its module so a fresh process can load it. */
  run: RunFunction<I, O>;
  /** Image for container executors; it must contain this project and Sluice. @default 'node:20-slim' */
  image?: string;
}

/** A component: call it inside a pipeline body to add a task. */
export type Component<I extends IoSpecs, O extends IoSpecs> = ((
  ...args: TaskCallArguments<I>
) => PipelineTask<O>) & {
  readonly definition: ComponentDefinition;
  /** The function of a function component (what the runtime launcher calls). */
  readonly run?: RunFunction<I, O>;
};

const NAME = /^[A-Za-z][A-Za-z0-9_ -]*$/;

/**
 * Declares a component.
 * @example
 * const train = component({
 *   name: 'train',
 *   image: 'python:3.11',
 *   inputs: { data: Dataset, epochs: Param.int({ default: 10 }) },
 *   outputs: { model: Model },
 *   command: ['python3', 'train.py'],
 *   args: ({ inputs, outputs }) => ['--data', inputs.data.path, '--epochs', inputs.epochs, '--out', outputs.model.path],
 * });
 */
export function component<const I extends IoSpecs = NoIo, const O extends IoSpecs = NoIo>(
  options: ContainerComponentOptions<I, O>,
): Component<I, O>;
export function component<const I extends IoSpecs = NoIo, const O extends IoSpecs = NoIo>(
  options: FunctionComponentOptions<I, O>,
): Component<I, O>;
export function component<I extends IoSpecs, O extends IoSpecs>(
  options: ContainerComponentOptions<I, O> | FunctionComponentOptions<I, O>,
): Component<I, O> {
  checkInterface(options);
  const inputs = (options.inputs ?? {}) as I;
  const outputs = (options.outputs ?? {}) as O;
  const env = { ...(options.env ?? {}) };
  let implementation: Implementation;
  if ('run' in options) {
    if (typeof options.run !== 'function')
      throw new DslError(`component '${options.name}': run must be a function`);
    implementation = {
      kind: 'function',
      image: options.image ?? 'node:20-slim',
      run: options.run,
      definedIn: callerModule(),
      env,
    };
  } else {
    if (!options.image)
      throw new DslError(`component '${options.name}': a container component needs an image`);
    const context = commandContext(options.name, inputs, outputs);
    const render = (line: CommandLine<I, O> | undefined) =>
      line === undefined
        ? undefined
        : (typeof line === 'function' ? line(context) : line).map(renderArgument);
    const container: ContainerSpec = { image: options.image };
    const command = render(options.command);
    const args = render(options.args);
    if (command) container.command = command;
    if (args) container.args = args;
    const envEntries = Object.entries(env);
    if (envEntries.length > 0) container.env = envEntries.map(([name, value]) => ({ name, value }));
    implementation = { kind: 'container', container };
  }
  const definition: ComponentDefinition = {
    name: options.name,
    description: options.description,
    inputs,
    outputs,
    implementation,
  };
  const call = (args?: Record<string, unknown>) => new PipelineTask<O>(definition, args ?? {});
  return Object.assign(call, {
    definition,
    ...('run' in options ? { run: options.run } : {}),
  }) as unknown as Component<I, O>;
}

function checkInterface(options: ComponentOptions<IoSpecs, IoSpecs>): void {
  if (typeof options.name !== 'string' || !NAME.test(options.name)) {
    throw new DslError(
      `component name '${String(options.name)}' is not valid: start with a letter; use letters, digits, '-', '_' or spaces`,
    );
  }
  for (const side of ['inputs', 'outputs'] as const) {
    for (const [name, spec] of Object.entries(options[side] ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
        throw new DslError(
          `component '${options.name}': ${side} name '${name}' must be an identifier (letters, digits, _ , -)`,
        );
      }
      if (spec?.kind !== 'parameter' && spec?.kind !== 'artifact') {
        throw new DslError(
          `component '${options.name}': ${side}.${name} must be a Param.*() or an artifact type such as Dataset`,
        );
      }
      if (side === 'outputs' && spec.kind === 'parameter' && spec.type === 'TASK_FINAL_STATUS') {
        throw new DslError(`component '${options.name}': TASK_FINAL_STATUS can only be an input`);
      }
    }
  }
}

const DSL_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));

/** The file that called `component()`: the first stack frame outside this folder. */
function callerModule(): string | undefined {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, callerModule);
    for (const frame of holder.stack ?? []) {
      const file = frame.getFileName();
      if (!file || file.startsWith('node:')) continue;
      const path = file.startsWith('file:') ? fileURLToPath(file) : file;
      if (!path.startsWith(DSL_DIRECTORY)) return path;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
}
