/**
 * KFP's runtime protocol types (KFP-NOTES §1.7): the ExecutorInput a program receives (`{{$}}`) and the
 * ExecutorOutput it may write at `outputs.outputFile`. Field names are KFP's proto3 JSON names, so the
 * same JSON works with KFP's Python executor and Go launcher.
 */
import type { JsonValue } from '../ir/index.ts';

/** KFP's ExecutorInput, with local paths added where the executor runs locally. */
export interface ExecutorInput {
  inputs: {
    parameterValues: Record<string, JsonValue>;
    artifacts: Record<string, { artifacts: RuntimeArtifact[] }>;
  };
  outputs: {
    parameters: Record<string, { outputFile: string }>;
    artifacts: Record<string, { artifacts: RuntimeArtifact[] }>;
    outputFile: string;
  };
}

export interface RuntimeArtifact {
  name: string;
  uri: string;
  type: { schemaTitle: string; schemaVersion: string };
  metadata: Record<string, JsonValue>;
  /** Local path of the content (the `.path` placeholder); set by the engine for local execution. */
  path?: string;
}

/** What a program may write at `outputs.outputFile`; every part is optional. */
export interface ExecutorOutput {
  parameterValues?: Record<string, JsonValue>;
  artifacts?: Record<string, { artifacts?: Array<Partial<RuntimeArtifact>> }>;
}
