/**
 * Channels that gather values across control flow: `Collected` (every iteration's output of a ParallelFor,
 * as a list) and `OneOf` (the output of whichever If/Elif/Else branch ran).
 */
import type { ParameterType } from '../ir/index.ts';
import { ArtifactChannel, ParameterChannel, type PipelineChannel } from './channels.ts';
import { ConditionBranchesGroup, ConditionGroup } from './groups.ts';
import { DslError, PipelineContext } from './pipeline-context.ts';

export class CollectedParameter extends ParameterChannel<'LIST'> {
  readonly output: ParameterChannel;

  constructor(output: ParameterChannel) {
    super(output.name, 'LIST', output.taskName);
    this.output = output;
  }
}

export class CollectedArtifact<S extends string = string> extends ArtifactChannel<S, true> {
  readonly output: ArtifactChannel;

  constructor(output: ArtifactChannel<S, false>) {
    super(output.name, output.schemaTitle as S, output.schemaVersion, true, output.taskName);
    this.output = output;
  }
}

export type CollectedChannel = CollectedParameter | CollectedArtifact;

export function isCollected(channel: unknown): channel is CollectedChannel {
  return channel instanceof CollectedParameter || channel instanceof CollectedArtifact;
}

/**
 * Fans in a loop body's output: outside the ParallelFor, a parameter becomes a LIST of every iteration's
 * value and an artifact a list of artifacts, in iteration order.
 * @example const squares = ParallelFor([1, 2, 3], (x) => square({ x })); sum({ values: Collected(squares.output) });
 */
export function Collected<K extends ParameterType>(output: ParameterChannel<K>): ParameterChannel<'LIST'>;
export function Collected<S extends string>(output: ArtifactChannel<S, false>): ArtifactChannel<S, true>;
export function Collected(output: PipelineChannel): PipelineChannel {
  PipelineContext.current('Collected()');
  if (isOneOf(output))
    throw new DslError('Collected() cannot wrap a OneOf(): collect each branch output instead');
  if (isCollected(output)) throw new DslError('Collected() cannot wrap another Collected()');
  if (output instanceof ArtifactChannel) {
    if (output.isList)
      throw new DslError(`Collected() needs a single artifact; '${output.fullName}' is already a list`);
    return new CollectedArtifact(output as ArtifactChannel<string, false>);
  }
  return new CollectedParameter(output as ParameterChannel);
}

export class OneOfParameter<K extends ParameterType = ParameterType> extends ParameterChannel<K> {
  readonly channels: ParameterChannel[];
  readonly branches: ConditionBranchesGroup;

  constructor(channels: ParameterChannel[], branches: ConditionBranchesGroup) {
    super(
      `pipelinechannel--${branches.name}-oneof-${branches.nextOneOfId()}`,
      channels[0]!.type as K,
      branches.name,
    );
    this.channels = channels;
    this.branches = branches;
  }
}

export class OneOfArtifact<S extends string = string> extends ArtifactChannel<S, false> {
  readonly channels: ArtifactChannel[];
  readonly branches: ConditionBranchesGroup;

  constructor(channels: ArtifactChannel[], branches: ConditionBranchesGroup) {
    const first = channels[0]!;
    const name = `pipelinechannel--${branches.name}-oneof-${branches.nextOneOfId()}`;
    super(name, first.schemaTitle as S, first.schemaVersion, false, branches.name);
    this.channels = channels;
    this.branches = branches;
  }
}

export type OneOfChannel = OneOfParameter | OneOfArtifact;

export function isOneOf(channel: unknown): channel is OneOfChannel {
  return channel instanceof OneOfParameter || channel instanceof OneOfArtifact;
}

/**
 * The output of whichever branch of an If/Elif/Else ran; the branches must end with an Else so that one
 * always runs, and the outputs must have the same type.
 * @example const chosen = OneOf(heads.output, tails.output);
 */
export function OneOf<K extends ParameterType>(
  ...channels: [ParameterChannel<K>, ...ParameterChannel<K>[]]
): ParameterChannel<K>;
export function OneOf<S extends string>(
  ...channels: [ArtifactChannel<S, false>, ...ArtifactChannel<S, false>[]]
): ArtifactChannel<S, false>;
export function OneOf(...channels: PipelineChannel[]): PipelineChannel {
  const context = PipelineContext.current('OneOf()');
  if (channels.length < 2) throw new DslError('OneOf() needs the outputs of at least two branches');
  for (const channel of channels) {
    if (isCollected(channel)) throw new DslError('OneOf() cannot take a Collected() output');
    if (isOneOf(channel)) throw new DslError('OneOf() cannot take another OneOf()');
  }
  const branches = branchesOf(context, channels[0]!);
  if (
    !(branches.groups.at(-1) instanceof ConditionGroup) ||
    (branches.groups.at(-1) as ConditionGroup).variant !== 'else'
  ) {
    throw new DslError(
      `OneOf() must include an output from a task in an Else branch, so that one output always exists at run time`,
    );
  }
  const first = channels[0]!;
  if (first instanceof ParameterChannel) {
    for (const [index, channel] of channels.entries()) {
      if (!(channel instanceof ParameterChannel)) {
        throw new DslError('OneOf() outputs must all be parameters or all artifacts; found a mix');
      }
      if (channel.type !== first.type) {
        throw new DslError(
          `OneOf() outputs must have the same type: ${first.type} at index 0 and ${channel.type} at index ${index}`,
        );
      }
    }
    return new OneOfParameter(channels as ParameterChannel[], branches);
  }
  const artifact = first as ArtifactChannel;
  for (const [index, channel] of channels.entries()) {
    if (!(channel instanceof ArtifactChannel)) {
      throw new DslError('OneOf() outputs must all be parameters or all artifacts; found a mix');
    }
    if (channel.schemaTitle !== artifact.schemaTitle || channel.isList !== artifact.isList) {
      throw new DslError(
        `OneOf() outputs must have the same type: ${artifact.schemaTitle} at index 0 and ${channel.schemaTitle} at index ${index}`,
      );
    }
  }
  return new OneOfArtifact(channels as ArtifactChannel[], branches);
}

function branchesOf(context: PipelineContext, channel: PipelineChannel): ConditionBranchesGroup {
  const task = channel.taskName ? context.tasks.get(channel.taskName) : undefined;
  const branches = task?.parentGroup.parent;
  if (
    !task ||
    !(task.parentGroup instanceof ConditionGroup) ||
    !(branches instanceof ConditionBranchesGroup)
  ) {
    throw new DslError(
      `OneOf() takes outputs of tasks placed directly in the branches of one If/Elif/Else; '${channel.fullName}' is not`,
    );
  }
  return branches;
}
