/**
 * Channels: values that exist only when the pipeline runs (pipeline inputs, task outputs, loop items,
 * fan-ins, OneOf selections). They carry KFP's naming (`name`, producing `taskName`, `fullName`), which the
 * compiler turns into `pipelinechannel--<fullName>` inputs wherever a value crosses a DAG boundary.
 *
 * A channel can be embedded in a string (`\`--lr=${lr}\``): its string form is a pattern that the compiler
 * finds again and replaces with a placeholder, exactly as KFP does with its `{{channel:…}}` strings.
 */
import type { ParameterType } from '../ir/index.ts';
import type { JsonValue } from './params.ts';

export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type Operand = ParameterChannel | string | number | boolean;

/** One comparison of a condition; `negate` is set on the copies that Elif/Else inherit. */
export interface ConditionOperation {
  readonly operator: Operator;
  readonly left: Operand;
  readonly right: Operand;
  readonly negate: boolean;
}

let nextChannelId = 0;
const PATTERN = /\{\{sluice-channel:(\d+)\}\}/g;

/**
 * Channels created while a pipeline body runs, by pattern, so strings can be mapped back to channels. The
 * pipeline context installs a fresh registry per build, which keeps a long-running process from holding
 * every channel it ever compiled.
 */
const registries: Map<string, PipelineChannel>[] = [];

export function withChannelRegistry<T>(registry: Map<string, PipelineChannel>, build: () => T): T {
  registries.push(registry);
  try {
    return build();
  } finally {
    registries.pop();
  }
}

export abstract class PipelineChannel {
  abstract readonly kind: 'parameter' | 'artifact';
  /** Output key, pipeline input name, or generated loop/oneof name. */
  name: string;
  /** The task (or group, once surfaced) that produces the value; null for pipeline inputs and raw loop items. */
  taskName: string | null;
  readonly pattern: string;
  /** Phantom brand: keeps a channel from passing for a plain JSON object (a STRUCT constant) in `tsc`. */
  declare readonly __channel: true;

  protected constructor(name: string, taskName: string | null) {
    this.name = name;
    this.taskName = taskName;
    this.pattern = `{{sluice-channel:${nextChannelId++}}}`;
    registries.at(-1)?.set(this.pattern, this);
  }

  /** KFP's unique name: `<task>-<name>` for task outputs, `<name>` otherwise. */
  get fullName(): string {
    return this.taskName ? `${this.taskName}-${this.name}` : this.name;
  }

  toString(): string {
    return this.pattern;
  }
}

export class ParameterChannel<K extends ParameterType = ParameterType, V = unknown> extends PipelineChannel {
  readonly kind = 'parameter';
  /** Phantom IR type, so `tsc` can tell an int channel from a string one. */
  declare readonly __type?: K;
  /** Phantom TypeScript value type (list items, struct fields). */
  declare readonly __value?: V;
  readonly type: ParameterType;
  /** For LIST channels: the IR type of one item, which a ParallelFor over the list gives its loop item. */
  readonly itemType: ParameterType | undefined;

  constructor(name: string, type: K, taskName: string | null = null, itemType?: ParameterType) {
    super(name, taskName);
    this.type = type;
    this.itemType = itemType;
  }

  eq(other: Operand): ConditionOperation {
    return { operator: '==', left: this, right: other, negate: false };
  }
  ne(other: Operand): ConditionOperation {
    return { operator: '!=', left: this, right: other, negate: false };
  }
  lt(other: Operand): ConditionOperation {
    return { operator: '<', left: this, right: other, negate: false };
  }
  le(other: Operand): ConditionOperation {
    return { operator: '<=', left: this, right: other, negate: false };
  }
  gt(other: Operand): ConditionOperation {
    return { operator: '>', left: this, right: other, negate: false };
  }
  ge(other: Operand): ConditionOperation {
    return { operator: '>=', left: this, right: other, negate: false };
  }
}

export class ArtifactChannel<S extends string = string, L extends boolean = boolean> extends PipelineChannel {
  readonly kind = 'artifact';
  declare readonly __title?: S;
  declare readonly __list?: L;
  readonly schemaTitle: string;
  readonly schemaVersion: string;
  readonly isList: boolean;

  constructor(
    name: string,
    schemaTitle: S,
    schemaVersion: string,
    isList: L,
    taskName: string | null = null,
  ) {
    super(name, taskName);
    this.schemaTitle = schemaTitle;
    this.schemaVersion = schemaVersion;
    this.isList = isList;
  }
}

/** Finds the channels embedded in a string by their patterns, in order of first appearance. */
export function channelsInString(value: string): PipelineChannel[] {
  const found: PipelineChannel[] = [];
  for (const match of value.matchAll(PATTERN)) {
    const channel = registries.at(-1)?.get(match[0]);
    if (channel && !found.includes(channel)) found.push(channel);
  }
  return found;
}

/** Every channel inside a task argument: the argument itself, or patterns inside strings, lists and objects. */
export function channelsInValue(value: unknown): PipelineChannel[] {
  if (value instanceof PipelineChannel) return [value];
  if (typeof value === 'string') return channelsInString(value);
  const found: PipelineChannel[] = [];
  const add = (channels: PipelineChannel[]) => {
    for (const channel of channels) if (!found.includes(channel)) found.push(channel);
  };
  if (Array.isArray(value)) for (const item of value) add(channelsInValue(item));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      add(channelsInString(key));
      add(channelsInValue(item));
    }
  }
  return found;
}

/**
 * Replaces a channel inside a JSON-like value: the channel itself where it is a whole item or field value
 * (`[name, 'alias']`), and its pattern inside strings, keys included.
 */
export function replacePattern(value: unknown, pattern: string, replacement: string): unknown {
  if (value instanceof PipelineChannel) return value.pattern === pattern ? replacement : value;
  if (typeof value === 'string') return value.split(pattern).join(replacement);
  if (Array.isArray(value)) return value.map((item) => replacePattern(item, pattern, replacement));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key.split(pattern).join(replacement),
        replacePattern(item, pattern, replacement),
      ]),
    );
  }
  return value;
}

export type { JsonValue };
