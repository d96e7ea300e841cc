import { RunNotFoundError } from '../engine/index.ts';
import type { RunStore } from '../store/index.ts';

/** A run id as typed: the full id or a unique prefix of it. */
export async function resolveRunIdArgument(store: RunStore, argument: string): Promise<string> {
  const runId = await store.resolveRunId(argument);
  if (!runId) throw new RunNotFoundError(argument);
  return runId;
}
