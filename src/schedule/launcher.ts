/**
 * Starting a planned run: a run whose id was fixed and stored (with a slot or a trigger event) before it
 * existed. Idempotent by construction, which is what makes crash recovery and two schedulers safe:
 *
 * - the run exists already → nothing is created (a crash came after the run was created, or another
 *   process got there first);
 * - otherwise it is submitted with exactly that id; if two processes race, the runs table's primary key
 *   lets one insert win, and the loser finds the run and stops.
 *
 * Runs are submitted through the engine the server already uses, so they are driven like any other run.
 */
import type { Engine, RunOrigin, SubmitOptions } from '../engine/index.ts';
import { isSluiceError } from '../errors.ts';
import type { JsonValue, PipelineDocument } from '../ir/index.ts';
import type { Json, PipelineVersionRecord, RunStore } from '../store/index.ts';

export interface PlannedRun {
  runId: string;
  pipelineId: string;
  /** null: the pipeline's newest version at the moment the run starts. */
  pipelineVersionId: string | null;
  parameters: { [name: string]: Json };
  displayName: string;
  origin: RunOrigin;
  projectRoot: string | null;
}

/**
 * started: the run exists now (created here or before). failed: it can never be created as planned (the
 * pipeline version is gone, the parameters do not fit); `error` says why. retry: a passing problem (the
 * store was busy); the caller leaves the plan in place for the next attempt.
 */
export type LaunchOutcome =
  | { kind: 'started'; created: boolean }
  | { kind: 'failed'; error: string }
  | { kind: 'retry'; error: string };

export async function launchPlannedRun(
  engine: Pick<Engine, 'submit'>,
  store: RunStore,
  plan: PlannedRun,
): Promise<LaunchOutcome> {
  if (await store.getRun(plan.runId)) return { kind: 'started', created: false };
  const version = await resolveVersion(store, plan.pipelineId, plan.pipelineVersionId);
  if (typeof version === 'string') return { kind: 'failed', error: version };
  const options: SubmitOptions = {
    runId: plan.runId,
    parameters: plan.parameters as Record<string, JsonValue>,
    displayName: plan.displayName,
    origin: plan.origin,
    ...(plan.projectRoot === null ? {} : { projectRoot: plan.projectRoot }),
  };
  try {
    await engine.submit(version.spec as unknown as PipelineDocument, options);
    return { kind: 'started', created: true };
  } catch (error) {
    // Lost a race for this very id (primary key): the run exists, which is all that was asked.
    if (await store.getRun(plan.runId)) return { kind: 'started', created: false };
    const message = error instanceof Error ? error.message : String(error);
    return isSluiceError(error) ? { kind: 'failed', error: message } : { kind: 'retry', error: message };
  }
}

/** The version to run, or why there is none. */
export async function resolveVersion(
  store: RunStore,
  pipelineId: string,
  pipelineVersionId: string | null,
): Promise<PipelineVersionRecord | string> {
  if (pipelineVersionId !== null) {
    const version = await store.getPipelineVersion(pipelineVersionId);
    return version ?? `pipeline version ${pipelineVersionId} is no longer in the store`;
  }
  const [newest] = await store.listPipelineVersions(pipelineId);
  const version = newest && (await store.getPipelineVersion(newest.id));
  return version ?? `pipeline ${pipelineId} has no versions in the store`;
}
