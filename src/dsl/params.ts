/**
 * Typed parameter declarations for component and pipeline inputs/outputs. Each builder returns a spec whose
 * type arguments carry the IR parameter type, the TypeScript value type and whether a caller may omit it, so
 * that wiring mistakes surface in `tsc`.
 */
import type { ParameterType } from '../ir/index.ts';

/** A JSON value as a parameter can carry it (LIST and STRUCT parameters hold JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What KFP hands an exit task: the final state of the group it guards (PipelineTaskFinalStatus). `state`
 * is named as KFP's backend names it: COMPLETE (succeeded), FAILED or CANCELED; `pipelineJobResourceName`
 * is `<pipeline name>-<suffix>` (Sluice: the first 8 characters of the run id, also in SLUICE_RUN_ID).
 */
export interface TaskFinalStatus {
  state: 'COMPLETE' | 'FAILED' | 'CANCELED' | string;
  pipelineJobResourceName: string;
  pipelineTaskName: string;
  error: { code?: number; message?: string };
}

export interface ParamSpec<
  K extends ParameterType = ParameterType,
  V = unknown,
  Opt extends boolean = boolean,
> {
  readonly kind: 'parameter';
  readonly type: K;
  readonly default?: V;
  readonly isOptional: Opt;
  readonly description?: string;
  /** For LIST parameters: the IR type of one item, used to type ParallelFor loop items. */
  readonly itemType?: ParameterType;
  /** Phantom: the TypeScript type of the value (never set at run time). */
  readonly __value?: V;
}

export interface ParamOptions<V> {
  /** Used when the caller gives no value; makes the input optional. */
  default?: V;
  /** The input may be left out entirely (the component sees it as absent). @default false */
  optional?: boolean;
  description?: string;
}

/** An input is optional to callers when it has a default or is declared optional. */
type OptionalFlag<O> = O extends { default: unknown } ? true : O extends { optional: true } ? true : false;

/** A spec whose default the type system knows is there: a function component always receives a value. */
export type Defaulted<V> = { readonly default: V };
type DefaultFlag<O, V> = O extends { default: unknown } ? Defaulted<V> : unknown;

function makeParam<K extends ParameterType, V, O extends ParamOptions<V>>(
  type: K,
  options: O | undefined,
  itemType?: ParameterType,
): ParamSpec<K, V, OptionalFlag<O>> & DefaultFlag<O, V> {
  const spec: {
    kind: 'parameter';
    type: K;
    isOptional: boolean;
    default?: V;
    description?: string;
    itemType?: ParameterType;
  } = {
    kind: 'parameter',
    type,
    isOptional: options?.default !== undefined || options?.optional === true,
  };
  if (options?.default !== undefined) spec.default = options.default;
  if (options?.description !== undefined) spec.description = options.description;
  if (itemType !== undefined) spec.itemType = itemType;
  return spec as ParamSpec<K, V, OptionalFlag<O>> & DefaultFlag<O, V>;
}

/** IR item types a list parameter may declare, by their TypeScript-side names. */
const LIST_ITEM_TYPES = {
  string: 'STRING',
  int: 'NUMBER_INTEGER',
  float: 'NUMBER_DOUBLE',
  boolean: 'BOOLEAN',
  struct: 'STRUCT',
  list: 'LIST',
} as const satisfies Record<string, ParameterType>;

export interface ListOptions<T> extends ParamOptions<T[]> {
  /** The type of one item; ParallelFor over this list types its items with it. @default 'string' (as KFP) */
  items?: keyof typeof LIST_ITEM_TYPES;
}

/*
 * List and struct parameters take their value type as a written type argument (`Param.list<string>(…)`).
 * Writing one stops TypeScript inferring a `const O` options parameter (it falls back to its default), which
 * loses that a default makes the input optional; overloads on the options' shape keep it either way.
 * NoInfer keeps T from being guessed from the default value: an unwritten T stays "any JSON", as in KFP.
 */
function listParam<T extends JsonValue = JsonValue>(
  options: ListOptions<NoInfer<T>> & { default: NoInfer<T>[] },
): ParamSpec<'LIST', NoInfer<T>[], true> & Defaulted<NoInfer<T>[]>;
function listParam<T extends JsonValue = JsonValue>(
  options: ListOptions<NoInfer<T>> & { optional: true },
): ParamSpec<'LIST', NoInfer<T>[], true>;
function listParam<T extends JsonValue = JsonValue>(
  options?: ListOptions<NoInfer<T>>,
): ParamSpec<'LIST', NoInfer<T>[], false>;
function listParam(options?: ListOptions<JsonValue>): ParamSpec<'LIST', JsonValue[], boolean> {
  return makeParam<'LIST', JsonValue[], ListOptions<JsonValue>>(
    'LIST',
    options,
    options?.items ? LIST_ITEM_TYPES[options.items] : undefined,
  ) as ParamSpec<'LIST', JsonValue[], boolean>;
}

type JsonObject = { [key: string]: JsonValue };

function structParam<T extends JsonObject = JsonObject>(
  options: ParamOptions<NoInfer<T>> & { default: NoInfer<T> },
): ParamSpec<'STRUCT', NoInfer<T>, true> & Defaulted<NoInfer<T>>;
function structParam<T extends JsonObject = JsonObject>(
  options: ParamOptions<NoInfer<T>> & { optional: true },
): ParamSpec<'STRUCT', NoInfer<T>, true>;
function structParam<T extends JsonObject = JsonObject>(
  options?: ParamOptions<NoInfer<T>>,
): ParamSpec<'STRUCT', NoInfer<T>, false>;
function structParam(options?: ParamOptions<JsonObject>): ParamSpec<'STRUCT', JsonObject, boolean> {
  return makeParam<'STRUCT', JsonObject, ParamOptions<JsonObject>>('STRUCT', options) as ParamSpec<
    'STRUCT',
    JsonObject,
    boolean
  >;
}

/**
 * Parameter declarations.
 * @example
 * inputs: { epochs: Param.int({ default: 10 }), lr: Param.float(), tags: Param.list<string>() }
 */
export const Param = {
  string: <const O extends ParamOptions<string> = ParamOptions<string>>(options?: O) =>
    makeParam<'STRING', string, O>('STRING', options),
  int: <const O extends ParamOptions<number> = ParamOptions<number>>(options?: O) =>
    makeParam<'NUMBER_INTEGER', number, O>('NUMBER_INTEGER', options),
  float: <const O extends ParamOptions<number> = ParamOptions<number>>(options?: O) =>
    makeParam<'NUMBER_DOUBLE', number, O>('NUMBER_DOUBLE', options),
  boolean: <const O extends ParamOptions<boolean> = ParamOptions<boolean>>(options?: O) =>
    makeParam<'BOOLEAN', boolean, O>('BOOLEAN', options),
  list: listParam,
  struct: structParam,
  /** The exit-task input KFP fills with the guarded group's final status; callers never pass it. */
  taskFinalStatus: (options?: { description?: string }) =>
    makeParam<'TASK_FINAL_STATUS', TaskFinalStatus, { optional: true }>('TASK_FINAL_STATUS', {
      optional: true,
      ...(options?.description === undefined ? {} : { description: options.description }),
    }),
} as const;
