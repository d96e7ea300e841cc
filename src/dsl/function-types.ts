/**
 * What a TypeScript function component's `run` receives and returns, derived from its declared inputs and
 * outputs. The runtime launcher builds these values from KFP's executor input.
 */
import type { ArtifactSpec } from './artifacts.ts';
import type { JsonValue, ParamSpec } from './params.ts';
import type { IoSpecs } from './typing.ts';

/** An input artifact as the function sees it. */
export interface InputArtifact {
  readonly name: string;
  readonly uri: string;
  /** Local path of the artifact's content (a file or directory). */
  readonly path: string;
  readonly metadata: Readonly<Record<string, JsonValue>>;
}

/** An output artifact: write the content at `path`, add metadata; metrics helpers for metric types. */
export interface OutputArtifact {
  readonly name: string;
  readonly uri: string;
  readonly path: string;
  readonly metadata: Record<string, JsonValue>;
  /** For Metrics: records one scalar (`metadata[name] = value`). */
  logMetric(name: string, value: number): void;
  /** For ClassificationMetrics: the confusion matrix, rows in category order. */
  logConfusionMatrix(categories: string[], matrix: number[][]): void;
  /** For ClassificationMetrics: ROC points (threshold, true positive rate, false positive rate). */
  logRocCurve(points: ReadonlyArray<{ threshold: number; tpr: number; fpr: number }>): void;
}

/** A parameter the function receives: absent only when optional without a default. */
type ParamValue<S> =
  S extends ParamSpec<infer _K, infer V, infer Opt>
    ? S extends { readonly default: unknown }
      ? V
      : Opt extends true
        ? V | undefined
        : V
    : never;

type ArtifactValue<S> =
  S extends ArtifactSpec<string, infer L, infer Opt>
    ? L extends true
      ? InputArtifact[]
      : Opt extends true
        ? InputArtifact | undefined
        : InputArtifact
    : never;

export type RunInputs<I extends IoSpecs> = {
  readonly [K in keyof I]: I[K] extends ParamSpec ? ParamValue<I[K]> : ArtifactValue<I[K]>;
};

type ArtifactOutputKeys<O extends IoSpecs> = {
  [K in keyof O]: O[K] extends ArtifactSpec ? K : never;
}[keyof O];
type ParamOutputKeys<O extends IoSpecs> = { [K in keyof O]: O[K] extends ParamSpec ? K : never }[keyof O];

export type RunOutputs<O extends IoSpecs> = { readonly [K in ArtifactOutputKeys<O>]: OutputArtifact };

/** The function returns its output parameters (nothing when it has none). */
export type RunResult<O extends IoSpecs> = [ParamOutputKeys<O>] extends [never]
  ? undefined | void
  : { [K in ParamOutputKeys<O>]: O[K] extends ParamSpec<infer _K, infer V, boolean> ? V : never };

export type RunFunction<I extends IoSpecs, O extends IoSpecs> = (
  inputs: RunInputs<I>,
  outputs: RunOutputs<O>,
) => RunResult<O> | Promise<RunResult<O>>;
