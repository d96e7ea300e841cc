/**
 * ParallelFor (fan-out over items) and ExitHandler (a task that runs after a group whatever its outcome).
 */
import { ArtifactChannel, ParameterChannel } from './channels.ts';
import { ExitHandlerGroup, ParallelForGroup } from './groups.ts';
import { type IrTypeOf, LoopArtifactArgument, LoopParameterArgument } from './loop-channels.ts';
import type { JsonValue } from './params.ts';
import { DslError, PipelineContext } from './pipeline-context.ts';
import type { PipelineTask } from './pipeline-task.ts';

export interface ParallelForOptions {
  /** At most this many iterations run at once. @default 0 (unbounded) */
  parallelism?: number;
  /** Display name of the loop. */
  name?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: items of an untyped list fit any input, as in KFP.
type UntypedItem = LoopParameterArgument<any, unknown>;
type ListItem<V> = JsonValue extends V ? UntypedItem : LoopParameterArgument<IrTypeOf<V>, V>;

/**
 * Runs `body` once per item, in parallel. Items are a literal list, a LIST parameter (pipeline input or task
 * output) or a list of artifacts. The body's return value is returned; its outputs are per-iteration, so use
 * them outside the loop through `Collected()`.
 * @example
 * const trained = ParallelFor([0.1, 0.01], (lr) => train({ data, lr }), { parallelism: 2 });
 * pickBest({ models: Collected(trained.outputs.model) });
 */
export function ParallelFor<const T extends ReadonlyArray<JsonValue>, R>(
  items: T,
  body: (item: LoopParameterArgument<IrTypeOf<T[number]>, T[number]>) => R,
  options?: ParallelForOptions,
): R;
export function ParallelFor<V, R>(
  items: ParameterChannel<'LIST', ReadonlyArray<V>>,
  body: (item: ListItem<V>) => R,
  options?: ParallelForOptions,
): R;
export function ParallelFor<S extends string, R>(
  items: ArtifactChannel<S, true>,
  body: (item: ArtifactChannel<S, false>) => R,
  options?: ParallelForOptions,
): R;
export function ParallelFor(
  items: ReadonlyArray<JsonValue> | ParameterChannel | ArtifactChannel,
  body: (item: never) => unknown,
  options: ParallelForOptions = {},
): unknown {
  const context = PipelineContext.current('ParallelFor()');
  const parallelism = options.parallelism ?? 0;
  if (!Number.isInteger(parallelism) || parallelism < 0) {
    throw new DslError(
      `ParallelFor() parallelism must be a whole number >= 0 (0 = unbounded), got ${parallelism}`,
    );
  }
  let loopArgument: LoopParameterArgument | LoopArtifactArgument;
  if (items instanceof ArtifactChannel) {
    if (!items.isList) {
      throw new DslError(
        `ParallelFor() over artifacts needs a list of artifacts; '${items.fullName}' is a single one`,
      );
    }
    loopArgument = new LoopArtifactArgument(items as ArtifactChannel<string, true>);
  } else if (items instanceof ParameterChannel) {
    loopArgument = LoopParameterArgument.fromChannel(items, items.itemType ?? 'STRING');
  } else if (Array.isArray(items)) {
    if (items.length === 0) throw new DslError('ParallelFor() got an empty list of items');
    loopArgument = LoopParameterArgument.fromRawItems(items, context.nextGroupId());
  } else {
    throw new DslError('ParallelFor() items must be a list, a LIST parameter channel or a list of artifacts');
  }
  const group = new ParallelForGroup(
    `for-loop-${context.nextGroupId()}`,
    loopArgument,
    parallelism,
    options.name,
  );
  context.pushGroup(group);
  try {
    return body(loopArgument as never);
  } finally {
    context.popGroup();
  }
}

/**
 * Runs `exitTask` after every task in `body` has finished, whether they succeeded or not; an input declared
 * `Param.taskFinalStatus()` receives the group's final state. Create the exit task first, with inputs from
 * pipeline parameters or constants only. Allowed at the top level of a pipeline.
 * @example
 * const notify = report({ channel: '#ml' });
 * ExitHandler(notify, () => { train({ data }); });
 */
export function ExitHandler<T>(exitTask: PipelineTask, body: () => T, options?: { name?: string }): T {
  const context = PipelineContext.current('ExitHandler()');
  if (!context.currentGroup.isRoot) {
    throw new DslError(
      `ExitHandler() can only be used at the top level of pipeline '${context.name}', not inside ${context.currentGroup.name}`,
    );
  }
  if (
    exitTask.dependentTasks.length > 0 ||
    exitTask.channelInputs.some((channel) => channel.taskName !== null)
  ) {
    throw new DslError(
      `exit task '${exitTask.name}' cannot depend on other tasks: give it pipeline parameters or constants only`,
    );
  }
  if (exitTask.isExitTask)
    throw new DslError(`task '${exitTask.name}' is already the exit task of another ExitHandler`);
  context.removeTaskFromGroups(exitTask);
  exitTask.isExitTask = true;
  const group = new ExitHandlerGroup(`exit-handler-${context.nextGroupId()}`, exitTask, options?.name);
  context.pushGroup(group);
  try {
    return body();
  } finally {
    context.popGroup();
  }
}
