/**
 * Which channels each group must take as inputs ("punching holes" through DAG boundaries), following KFP's
 * `get_inputs_for_all_groups` so that compiled IR matches KFP's.
 *
 * A value consumed inside nested groups enters each group between its producer and the consumer. Loop items
 * are the subtle part: a task reading `item.field('a')` needs the field inside the loop, the loop item one
 * level up, and the list itself above the loop. The chain `[field, item, list]` is walked top-down for
 * values produced by tasks or pipeline inputs (dropping the outer name once the loop that defines the inner
 * one is reached), and bottom-up for literal items, which only exist from their loop inward.
 */
import { isLoopChannel, LoopArgumentVariable, PipelineChannel } from '../dsl/index.ts';
import type { GroupTree } from './group-tree.ts';

/** Group name → its input channels by `pipelinechannel--` name (a task's own entry is unused). */
export type GroupInputs = Map<string, Map<string, PipelineChannel>>;

export function inputName(channel: PipelineChannel | string): string {
  return `pipelinechannel--${typeof channel === 'string' ? channel : channel.fullName}`;
}

export function computeGroupInputs(tree: GroupTree): GroupInputs {
  const inputs: GroupInputs = new Map();
  const add = (group: string, channel: PipelineChannel) => {
    let channels = inputs.get(group);
    if (!channels) inputs.set(group, (channels = new Map()));
    if (!channels.has(inputName(channel))) channels.set(inputName(channel), channel);
  };
  const definesLoopItem = (group: string, channel: PipelineChannel) => {
    const loop = tree.loopGroups.get(group);
    // KFP compares by substring; kept so that the same IR comes out.
    return loop?.loopArgument.fullName.includes(channel.fullName) === true;
  };

  for (const task of tree.tasks.values()) {
    if (!tree.taskAncestors.has(task.name)) continue; // an exit task sits outside every group
    const channels = [...task.channelInputs, ...(tree.conditionChannels.get(task.name) ?? [])];
    for (const channel of channels) {
      const chain = loopChain(channel);
      const producer = tree.producerOf(channel);
      if (producer) {
        const [, downstream] = tree.uncommonAncestors(producer.name, task.name);
        for (const group of downstream) {
          add(group, chain.at(-1)!);
          if (definesLoopItem(group, chain.at(-1)!)) {
            chain.pop();
            if (chain.length === 0) break;
          }
        }
      } else if (task.isExitTask) {
      } else if (isLoopChannel(channel) && channel.isWithItems) {
        for (const group of [...tree.ancestorsOf(task.name)].reverse()) {
          add(group, chain[0]!);
          if (definesLoopItem(group, chain[0]!)) {
            chain.shift();
            if (chain.length === 0) break;
          }
        }
      } else {
        for (const group of tree.ancestorsOf(task.name)) {
          add(group, chain.at(-1)!);
          if (definesLoopItem(group, chain.at(-1)!)) {
            chain.pop();
            if (chain.length === 0) break;
          }
        }
      }
    }
  }
  return inputs;
}

/** `[channel, its loop item…, the items channel]`, most specific first. */
function loopChain(channel: PipelineChannel): PipelineChannel[] {
  const chain: PipelineChannel[] = [];
  let current: unknown = channel;
  while (isLoopChannel(current)) {
    chain.push(current);
    current = current instanceof LoopArgumentVariable ? current.loopArgument : current.itemsOrChannel;
  }
  if (current instanceof PipelineChannel) chain.push(current);
  return chain;
}
