/**
 * Type-level wiring rules. A task's arguments and outputs are computed from the component's declared
 * inputs/outputs, so that in `tsc`:
 * - an argument for an input that does not exist, or a missing required input, is an error;
 * - a parameter channel only fits an input of the same IR type (an int channel also fits a float input);
 * - an artifact channel only fits an input of the same schema title, or `system.Artifact` on either side,
 *   and a list of artifacts only fits a list input.
 */
import type { ParameterType } from '../ir/index.ts';
import type { ArtifactSpec } from './artifacts.ts';
import type { ArtifactChannel, ParameterChannel } from './channels.ts';
import type { ParamSpec } from './params.ts';

// biome-ignore lint/suspicious/noExplicitAny: specs are matched structurally; the value type is free here.
export type AnyParamSpec = ParamSpec<ParameterType, any, boolean>;
export type AnyArtifactSpec = ArtifactSpec<string, boolean, boolean>;
export type IoSpec = AnyParamSpec | AnyArtifactSpec;
export type IoSpecs = { readonly [name: string]: IoSpec };
/** No inputs or outputs. */
export type NoIo = Record<never, never>;

/** An int fits a double; a task's final status (a JSON object at run time) fits a struct. */
type AcceptedParamTypes<K> = K extends 'NUMBER_DOUBLE'
  ? 'NUMBER_DOUBLE' | 'NUMBER_INTEGER'
  : K extends 'STRUCT'
    ? 'STRUCT' | 'TASK_FINAL_STATUS'
    : K;
type AcceptedTitles<S> = S extends 'system.Artifact' ? string : S | 'system.Artifact';

/** A constant for an input of value type V; objects must not be channels (those are matched separately). */
type Constant<V> = V extends object ? V & { readonly __channel?: never } : V;

/** What a caller may pass for one input. */
export type ArgumentFor<I> =
  I extends ParamSpec<infer K, infer V, boolean>
    ? Constant<V> | ParameterChannel<AcceptedParamTypes<K>>
    : I extends ArtifactSpec<infer S, infer L, boolean>
      ? ArtifactChannel<AcceptedTitles<S>, L>
      : never;

type IsAutoWired<I> = I extends ParamSpec<'TASK_FINAL_STATUS', unknown, boolean> ? true : false;
type RequiredKeys<I extends IoSpecs> = {
  [K in keyof I]: IsAutoWired<I[K]> extends true ? never : I[K] extends { isOptional: true } ? never : K;
}[keyof I];
type OptionalKeys<I extends IoSpecs> = {
  [K in keyof I]: IsAutoWired<I[K]> extends true ? never : I[K] extends { isOptional: true } ? K : never;
}[keyof I];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The arguments object of a task: required inputs required, optional ones optional, TASK_FINAL_STATUS absent. */
export type TaskArguments<I extends IoSpecs> = Simplify<
  { [K in RequiredKeys<I>]: ArgumentFor<I[K]> } & { [K in OptionalKeys<I>]?: ArgumentFor<I[K]> }
>;

/** `(args)` when something is required, `(args?)` otherwise. */
export type TaskCallArguments<I extends IoSpecs> = [RequiredKeys<I>] extends [never]
  ? [args?: TaskArguments<I>]
  : [args: TaskArguments<I>];

/** The channel a declared output becomes on a task. */
export type ChannelFor<O> =
  O extends ParamSpec<infer K, infer V, boolean>
    ? ParameterChannel<K, V>
    : O extends ArtifactSpec<infer S, infer L, boolean>
      ? ArtifactChannel<S, L>
      : never;

export type OutputChannels<O extends IoSpecs> = { readonly [K in keyof O]: ChannelFor<O[K]> };

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** `task.output` exists only for a component with exactly one output, as in KFP. */
export type SingleOutput<O extends IoSpecs> = string extends keyof O
  ? ChannelFor<O[string]> | NotASingleOutput<string>
  : [keyof O] extends [never]
    ? NotASingleOutput<'this component has no outputs'>
    : IsUnion<keyof O> extends true
      ? NotASingleOutput<'this component has several outputs: use .outputs.<name>'>
      : ChannelFor<O[keyof O]>;

/** What `.output` is when there is no single output: a type no input accepts, with the reason in it. */
export interface NotASingleOutput<Reason extends string> {
  readonly __notASingleOutput: Reason;
}
