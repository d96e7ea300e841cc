/**
 * The channels ParallelFor creates: the loop item (over raw items, a list parameter, or a list of
 * artifacts) and fields of dict items. Names follow KFP (`loop-item-param-<id>`, `<items>-loop-item`,
 * `<item>-subvar-<key>`), since they become `pipelinechannel--` inputs in the compiled IR.
 */
import type { ParameterType } from '../ir/index.ts';
import { ArtifactChannel, ParameterChannel } from './channels.ts';
import type { JsonValue } from './params.ts';

/** The IR parameter type a TypeScript value type maps to; number literals tell int from double. */
export type IrTypeOf<V> = V extends string
  ? 'STRING'
  : V extends boolean
    ? 'BOOLEAN'
    : V extends number
      ? number extends V
        ? 'NUMBER_INTEGER' | 'NUMBER_DOUBLE'
        : `${V}` extends `${bigint}`
          ? 'NUMBER_INTEGER'
          : 'NUMBER_DOUBLE'
      : V extends readonly unknown[]
        ? 'LIST'
        : V extends object
          ? 'STRUCT'
          : ParameterType;

/** The IR type KFP gives raw loop items: what the values are, with any double making the list double. */
export function irTypeOfItems(items: ReadonlyArray<JsonValue>): ParameterType {
  const first = items[0];
  if (typeof first === 'string') return 'STRING';
  if (typeof first === 'boolean') return 'BOOLEAN';
  if (typeof first === 'number') {
    return items.every((item) => typeof item !== 'number' || Number.isInteger(item))
      ? 'NUMBER_INTEGER'
      : 'NUMBER_DOUBLE';
  }
  if (Array.isArray(first)) return 'LIST';
  return 'STRUCT';
}

const SUBVAR_NAME = /^[A-Za-z_][0-9A-Za-z_]*$/;

/** The item of a ParallelFor over parameters: raw items, a pipeline input or a task output list. */
export class LoopParameterArgument<
  K extends ParameterType = ParameterType,
  T = unknown,
> extends ParameterChannel<K> {
  declare readonly __item?: T;
  readonly itemsOrChannel: ReadonlyArray<JsonValue> | ParameterChannel;
  /** True for a literal list compiled into the IR (KFP's "withItems"); false when iterating over a channel. */
  readonly isWithItems: boolean;
  private readonly fields = new Map<string, LoopArgumentVariable>();

  constructor(
    name: string,
    type: ParameterType,
    itemsOrChannel: ReadonlyArray<JsonValue> | ParameterChannel,
    taskName: string | null,
  ) {
    super(name, type as K, taskName);
    this.itemsOrChannel = itemsOrChannel;
    this.isWithItems = !(itemsOrChannel instanceof ParameterChannel);
  }

  static fromRawItems(items: ReadonlyArray<JsonValue>, id: number): LoopParameterArgument {
    return new LoopParameterArgument(`loop-item-param-${id}`, irTypeOfItems(items), items, null);
  }

  static fromChannel(channel: ParameterChannel, itemType: ParameterType): LoopParameterArgument {
    return new LoopParameterArgument(`${channel.name}-loop-item`, itemType, channel, channel.taskName);
  }

  /**
   * One key of a dict item (`item.field('lr')`), read at run time with KFP's `parseJson(...)` selector.
   * @example ParallelFor([{ lr: 0.1 }, { lr: 0.01 }], (cfg) => train({ lr: cfg.field('lr') }))
   */
  field<Key extends FieldKey<T>>(key: Key): ParameterChannel<FieldType<T, Key>, FieldValue<T, Key>> {
    if (!SUBVAR_NAME.test(key)) {
      throw new TypeError(
        `loop item field '${key}' is not usable: field names must be identifiers (letters, digits, _)`,
      );
    }
    let variable = this.fields.get(key);
    if (!variable) {
      variable = new LoopArgumentVariable(this, key);
      this.fields.set(key, variable);
    }
    return variable as unknown as ParameterChannel<FieldType<T, Key>, FieldValue<T, Key>>;
  }
}

type FieldKey<T> = unknown extends T ? string : T extends object ? Extract<keyof T, string> : never;
// biome-ignore lint/suspicious/noExplicitAny: a field of an untyped item can go anywhere, as in KFP.
type FieldType<T, Key> = unknown extends T ? any : Key extends keyof T ? IrTypeOf<T[Key]> : never;
/**
 * The field's TypeScript value, so a list field can itself be looped over (KFP's `ParallelFor(item.B_b)`);
 * a field of an untyped item may hold anything.
 */
// biome-ignore lint/suspicious/noExplicitAny: as above, an untyped item's field may be a list or a scalar.
type FieldValue<T, Key> = unknown extends T ? any : Key extends keyof T ? T[Key] : never;

// biome-ignore lint/suspicious/noExplicitAny: the variable only reads the item's name and items.
type AnyLoopParameterArgument = LoopParameterArgument<any, any>;

/** A field of a dict loop item; KFP types it STRING in the IR, whatever the value. */
export class LoopArgumentVariable extends ParameterChannel {
  readonly loopArgument: AnyLoopParameterArgument;
  readonly subvarName: string;

  constructor(loopArgument: AnyLoopParameterArgument, subvarName: string) {
    super(`${loopArgument.name}-subvar-${subvarName}`, 'STRING', loopArgument.taskName);
    this.loopArgument = loopArgument;
    this.subvarName = subvarName;
  }

  get itemsOrChannel(): ReadonlyArray<JsonValue> | ParameterChannel {
    return this.loopArgument.itemsOrChannel;
  }

  get isWithItems(): boolean {
    return this.loopArgument.isWithItems;
  }
}

/** The item of a ParallelFor over a list of artifacts: one artifact of the list's type. */
export class LoopArtifactArgument<S extends string = string> extends ArtifactChannel<S, false> {
  readonly itemsOrChannel: ArtifactChannel;
  readonly isWithItems = false;

  constructor(items: ArtifactChannel<S, true>) {
    super(`${items.name}-loop-item`, items.schemaTitle as S, items.schemaVersion, false, items.taskName);
    this.itemsOrChannel = items;
  }
}

export type LoopArgument = LoopParameterArgument | LoopArtifactArgument;
export type LoopChannel = LoopArgument | LoopArgumentVariable;

export function isLoopChannel(channel: unknown): channel is LoopChannel {
  return (
    channel instanceof LoopParameterArgument ||
    channel instanceof LoopArtifactArgument ||
    channel instanceof LoopArgumentVariable
  );
}
