/**
 * Which outputs each group surfaces, following KFP's `get_outputs_for_all_groups`: `Collected` values leave
 * their loops (becoming a LIST, or a list of artifacts, at each loop level), and `OneOf` values leave their
 * condition branches. The consuming channels are re-pointed at the outermost surfacing group, which is
 * where the consumer (or the pipeline output) reads them.
 */
import {
  ArtifactChannel,
  CollectedArtifact,
  type CollectedParameter,
  DslError,
  isCollected,
  isOneOf,
  type OneOfArtifact,
  type OneOfParameter,
  ParameterChannel,
  type PipelineChannel,
} from '../dsl/index.ts';
import { inputName } from './group-inputs.ts';
import type { GroupTree } from './group-tree.ts';

/** Group name → output name → the channel the group's DAG output selects. */
export type GroupOutputs = Map<string, Map<string, PipelineChannel>>;

export function computeGroupOutputs(
  tree: GroupTree,
  pipelineOutputs: Record<string, PipelineChannel>,
): { groupOutputs: GroupOutputs; pipelineOutputs: Record<string, PipelineChannel> } {
  const outputs: GroupOutputs = new Map();
  const set = (group: string, name: string, channel: PipelineChannel) => {
    let map = outputs.get(group);
    if (!map) outputs.set(group, (map = new Map()));
    map.set(name, channel);
  };
  const processedOneOfs = new Set<PipelineChannel>();

  const surfaceOneOf = (
    oneOf: OneOfParameter | OneOfArtifact,
    ancestorsOfInner: (inner: PipelineChannel) => string[],
  ) => {
    const copies = oneOf.channels.map(copyChannel);
    (oneOf as { channels: PipelineChannel[] }).channels = copies;
    for (const inner of copies) {
      const producerName = inner.taskName!;
      const surfaced = inputName(inner);
      for (const group of [...ancestorsOfInner(inner)].reverse()) {
        if (group === producerName) continue;
        if (group === oneOf.branches.name) {
          set(group, oneOf.name, oneOf);
          break;
        }
        set(group, surfaced, copyChannel(inner));
        inner.name = surfaced;
        inner.taskName = group;
      }
    }
    processedOneOfs.add(oneOf);
  };

  for (const task of tree.tasks.values()) {
    for (const channel of task.channelInputs) {
      if (isCollected(channel)) {
        const [upstream, downstream] = tree.uncommonAncestors(channel.taskName!, task.name);
        checkFanIn(tree, task.name, upstream);
        const surfaced = inputName(channel);
        const consumerTop = downstream[0]!;
        let producer = upstream.pop()!;
        for (const group of [...upstream].reverse()) {
          set(group, surfaced, collectedListChannel(channel, channel.name, producer));
          channel.name = surfaced;
          channel.taskName = group;
          producer = group;
          const parent = tree.ancestorsOf(group).at(-2)!;
          if (tree.children(parent).includes(consumerTop)) break;
        }
      } else if (isOneOf(channel) && !processedOneOfs.has(channel)) {
        surfaceOneOf(channel, (inner) => tree.uncommonAncestors(inner.taskName!, task.name)[0]);
      }
    }
  }

  const finalOutputs: Record<string, PipelineChannel> = {};
  for (const [key, channel] of Object.entries(pipelineOutputs)) {
    finalOutputs[key] = channel;
    if (isCollected(channel)) {
      const surfaced = inputName(channel);
      const upstream = tree.ancestorsOf(channel.taskName!).slice(1);
      checkFanIn(tree, `output '${key}' of the pipeline`, [...upstream]);
      let producer = upstream.pop()!;
      let outermost = producer;
      for (const group of [...upstream].reverse()) {
        set(group, surfaced, collectedListChannel(channel, channel.name, producer));
        channel.name = surfaced;
        channel.taskName = group;
        producer = group;
        outermost = group;
      }
      finalOutputs[key] = collectedListChannel(channel, surfaced, outermost);
    } else if (isOneOf(channel) && !processedOneOfs.has(channel)) {
      surfaceOneOf(channel, (inner) => tree.ancestorsOf(inner.taskName!).slice(1));
    }
  }
  return { groupOutputs: outputs, pipelineOutputs: finalOutputs };
}

/** KFP's rule: a Collected value must come out of a loop the consumer is not in, and not out of a condition. */
function checkFanIn(tree: GroupTree, consumer: string, upstream: string[]): void {
  const consumerText = consumer.startsWith('output ') ? consumer : `task '${consumer}'`;
  const producer = upstream.at(-1)!;
  const groups = upstream.slice(0, -1).map((name) => tree.groupsByName.get(name)!);
  if (!groups.some((group) => group.kind === 'for-loop')) {
    throw new DslError(
      `Collected() can only fan in outputs of a task inside a ParallelFor to a consumer outside it; task '${producer}' is not in a ParallelFor that excludes ${consumerText}`,
    );
  }
  const outermost = groups[0]!;
  if (outermost.kind === 'condition' || outermost.kind === 'exit-handler') {
    throw new DslError(
      `${consumerText} collects from task '${producer}' inside a ParallelFor nested in ${outermost.name}; the consumer must be inside ${outermost.name} too`,
    );
  }
}

/** The list a loop group surfaces for a Collected value, produced (at that level) by `producer`. */
function collectedListChannel(
  collected: CollectedParameter | CollectedArtifact,
  name: string,
  producer: string,
): PipelineChannel {
  if (collected instanceof CollectedArtifact) {
    return new ArtifactChannel(name, collected.schemaTitle, collected.schemaVersion, true, producer);
  }
  return new ParameterChannel(name, 'LIST', producer);
}

/** A detached copy that keeps the class (so type checks still work) and freezes the current name/producer. */
function copyChannel<T extends PipelineChannel>(channel: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(channel)), channel) as T;
}
