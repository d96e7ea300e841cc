/**
 * What the DSL records about a component: its interface and how it runs. The compiler turns it into a
 * ComponentSpec and an ExecutorSpec; nothing here executes anything.
 */
import type { ContainerSpec, ImporterSpec } from '../ir/index.ts';
import type { BuiltPipeline, PipelineOptions } from './pipeline.ts';
import type { IoSpecs } from './typing.ts';

export interface ContainerImplementation {
  readonly kind: 'container';
  /** The IR container spec; placeholders are already in KFP's string form. */
  readonly container: ContainerSpec;
}

/** A TypeScript function run in its own Node process by Sluice's launcher. */
export interface FunctionImplementation {
  readonly kind: 'function';
  readonly image: string;
  // biome-ignore lint/complexity/noBannedTypes: the launcher calls it with typed values it builds at run time.
  readonly run: Function;
  /** The module that called `component()`, from the call stack; the compiler finds the export there. */
  readonly definedIn: string | undefined;
  readonly env: Readonly<Record<string, string>>;
}

export interface ImporterImplementation {
  readonly kind: 'importer';
  /** The IR importer spec; channels in the URI and metadata are already `uri` / `metadata-N` inputs. */
  readonly importer: ImporterSpec;
}

export interface PipelineImplementation {
  readonly kind: 'pipeline';
  /** Compiles the nested pipeline on its own; the compiler merges its components into the outer spec. */
  readonly pipeline: PipelineReference;
}

/** The part of a pipeline definition the compiler needs when the pipeline is used as a component. */
export interface PipelineReference {
  readonly options: Readonly<PipelineOptions<IoSpecs>>;
  build(): BuiltPipeline;
}

export type Implementation =
  | ContainerImplementation
  | FunctionImplementation
  | ImporterImplementation
  | PipelineImplementation;

export interface ComponentDefinition {
  readonly name: string;
  readonly description: string | undefined;
  readonly inputs: IoSpecs;
  readonly outputs: IoSpecs;
  readonly implementation: Implementation;
}

/** KFP's k8s-safe name: lowercase, runs of other characters become `-`, no leading or trailing `-`. */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
