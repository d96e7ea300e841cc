/**
 * The engine's public face: submit a pipeline as a run, drive a run to its end (first time, or adopting it
 * after a crash), cancel one from any process. One engine drives many runs; each run is driven by at most
 * one engine at a time (a lease in the store, refreshed by heartbeats).
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SluiceError } from '../errors.ts';
import {
  didYouMean,
  IrInvalidError,
  type JsonValue,
  type PipelineDocument,
  validatePipeline,
} from '../ir/index.ts';
import type { Json, RunRecord } from '../store/index.ts';
import type { TransitionEvent } from './events.ts';
import { coerceParameter, ParameterTypeError } from './parameter-values.ts';
import { RunPlan } from './plan.ts';
import { reopenRunForRetry } from './retry-run.ts';
import type { EngineDependencies, RunOptions, RunOrigin } from './run-context.ts';
import { RunDriver } from './run-driver.ts';
import { type RunSummary, summarizeRun } from './run-summary.ts';
import { newTaskRecord } from './run-tree.ts';
import { CANCELABLE_RUN_STATES, FINAL_RUN_STATES, type RunState } from './task-state.ts';

/** A lease is taken over when its owner has not refreshed it for this long. */
export const LEASE_STALE_MS = 15_000;

export class RunInputError extends SluiceError {
  constructor(message: string) {
    super('RUN_INPUT_INVALID', message);
  }
}

export class RunNotFoundError extends SluiceError {
  constructor(readonly runId: string) {
    super('RUN_NOT_FOUND', `no run '${runId}' in this store; list runs with: sluice runs`);
  }
}

export class RunBusyError extends SluiceError {
  constructor(readonly runId: string) {
    super(
      'RUN_BUSY',
      `run ${runId} is being driven by another Sluice process; wait for it, or cancel it with: sluice cancel ${runId}`,
    );
  }
}

export interface SubmitOptions {
  parameters?: Record<string, JsonValue>;
  displayName?: string;
  /** @default the number of CPUs */
  parallelism?: number;
  /** @default true */
  cache?: boolean;
  /** @default '' */
  cacheSalt?: string;
  /** @default process.cwd() */
  projectRoot?: string;
  /** Recorded on the run so that resuming it uses the same kind of executor. @default 'local' */
  executor?: 'local' | 'docker';
  /** Recorded on the run like `executor`. @default 'builtin' */
  kfpRuntime?: 'builtin' | 'pip';
  /**
   * The run's id, when the caller chose it in advance (a schedule stores it with the slot before the run
   * exists, so that a retry after a crash creates this run or finds it, never a second one). Submitting an
   * id that exists fails. @default a new UUID
   */
  runId?: string;
  /** What started the run (a schedule's slot, a trigger's event), recorded in the run's options. */
  origin?: RunOrigin;
  /** The experiment the run belongs to (the caller checks it exists). @default the Default experiment */
  experimentId?: string;
}

export interface DriveOptions {
  /** Receives every committed state change of the run, in order. */
  onTransition?: (event: TransitionEvent) => void;
  /** Aborting it cancels the run (Ctrl-C). */
  signal?: AbortSignal;
}

export class Engine {
  /** Documents of runs submitted by this engine, so that driving them needs no second copy from the store. */
  private readonly submitted = new Map<string, PipelineDocument>();

  constructor(readonly deps: EngineDependencies) {}

  /**
   * Lets the executor get ready (the local one starts its spawner process) while the caller does other
   * work, such as loading the pipeline file; `drive` does it too, later.
   */
  prepareToRun(): void {
    this.deps.executor.warmUp?.();
  }

  /** Validates the pipeline and its parameters and records a PENDING run; returns its id. */
  async submit(document: PipelineDocument, options: SubmitOptions = {}): Promise<string> {
    const issues = validatePipeline(document);
    if (issues.length > 0) throw new IrInvalidError(issues);
    checkSupported(document);
    const parameters = resolveParameters(document, options.parameters ?? {});
    const now = this.deps.now().toISOString();
    const runOptions: RunOptions = {
      parallelism: options.parallelism ?? (await import('node:os')).availableParallelism(),
      cache: options.cache ?? true,
      cacheSalt: options.cacheSalt ?? '',
      projectRoot: options.projectRoot ?? process.cwd(),
      ...(options.executor === 'docker' ? { executor: 'docker' as const } : {}),
      ...(options.kfpRuntime === 'pip' ? { kfpRuntime: 'pip' as const } : {}),
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    };
    if (!Number.isInteger(runOptions.parallelism) || runOptions.parallelism < 1) {
      throw new RunInputError(`parallelism must be a whole number >= 1, got ${runOptions.parallelism}`);
    }
    const pipelineName = document.pipelineSpec.pipelineInfo?.name ?? 'pipeline';
    const spec = document as unknown as Json;
    const run: RunRecord = {
      id: options.runId ?? randomUUID(),
      pipelineName,
      displayName: options.displayName ?? null,
      state: 'PENDING',
      spec,
      parameters: (options.parameters as RunRecord['parameters']) ?? {},
      options: runOptions as unknown as RunRecord['options'],
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      error: null,
      ownerId: null,
      heartbeatAt: null,
    };
    const root = newTaskRecord({
      runId: run.id,
      parent: undefined,
      name: 'root',
      kind: 'DAG',
      componentName: 'root',
      now,
    });
    root.inputs = { parameters, artifacts: {} } as Json;
    const version = await this.deps.store.savePipelineVersion(pipelineName, digestOf(spec), spec, now);
    await this.deps.store.createRun(
      run,
      root,
      [
        { runId: run.id, taskId: null, from: null, to: 'PENDING', reason: 'submitted', at: now },
        { runId: run.id, taskId: root.id, from: null, to: 'PENDING', reason: null, at: now },
      ],
      {
        pipelineVersionId: version.id,
        ...(options.experimentId === undefined ? {} : { experimentId: options.experimentId }),
      },
    );
    this.submitted.set(run.id, document);
    return run.id;
  }

  /** Submits and drives a run to its end. */
  async run(document: PipelineDocument, options: SubmitOptions & DriveOptions = {}): Promise<RunSummary> {
    const runId = await this.submit(document, options);
    return this.drive(runId, options);
  }

  /**
   * Drives a run until it is final: a new run, or one whose engine stopped (resume). Finished tasks are
   * never run again. Fails with RUN_BUSY when a live engine drives it.
   */
  async drive(runId: string, options: DriveOptions = {}): Promise<RunSummary> {
    const run = await this.deps.store.getRun(runId);
    if (!run) throw new RunNotFoundError(runId);
    if (!FINAL_RUN_STATES.has(run.state as RunState)) {
      this.deps.executor.warmUp?.();
      await this.claim(run);
      const owned = (await this.deps.store.getRun(runId))!;
      const plan = new RunPlan(this.submitted.get(runId) ?? (owned.spec as unknown as PipelineDocument));
      owned.spec = null; // the plan holds the document; the record's copy is not needed while driving
      const driver = new RunDriver(this.deps, owned, plan, owned.options as unknown as RunOptions);
      if (options.onTransition) driver.onTransition(options.onTransition);
      const abort = () => driver.cancel('canceled by the user');
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        await driver.drive();
      } finally {
        options.signal?.removeEventListener('abort', abort);
        this.submitted.delete(runId);
      }
    }
    return summarizeRun(this.deps.store, runId);
  }

  /**
   * Re-opens a FAILED or CANCELED run: failed, skipped and canceled tasks and everything downstream of them
   * run again when the run is next driven; what succeeded is reused. Returns the paths that will run again.
   * Fails with RUN_BUSY when a live engine holds the run, RETRY_NOT_POSSIBLE when there is nothing to retry.
   */
  async retry(runId: string): Promise<string[]> {
    const run = await this.deps.store.getRun(runId);
    if (!run) throw new RunNotFoundError(runId);
    await this.claim(run);
    try {
      return await reopenRunForRetry(this.deps, (await this.deps.store.getRun(runId))!);
    } finally {
      await this.deps.store.releaseRun(runId, this.deps.ownerId);
    }
  }

  /** Takes the run's lease (free, stale, or held by a dead process here); RUN_BUSY when a live engine has it. */
  private async claim(run: RunRecord): Promise<void> {
    const now = this.deps.now();
    const staleBefore = new Date(now.getTime() - LEASE_STALE_MS).toISOString();
    const claimed =
      (await this.deps.store.claimRun(run.id, this.deps.ownerId, now.toISOString(), staleBefore)) ||
      (await this.takeOverFromDeadOwner(run));
    if (!claimed) throw new RunBusyError(run.id);
  }

  /**
   * A lease held by an engine process that no longer exists on this machine (killed, crashed) need not
   * go stale first: it is taken over at once, atomically, so that `sluice resume` right after a crash works.
   */
  private async takeOverFromDeadOwner(run: RunRecord): Promise<boolean> {
    const owner = run.ownerId ? parseOwnerId(run.ownerId) : undefined;
    if (!owner || owner.host !== hostname() || isProcessAlive(owner.pid)) return false;
    return this.deps.store.takeOverRun(
      run.id,
      run.ownerId!,
      this.deps.ownerId,
      this.deps.now().toISOString(),
    );
  }

  /**
   * Asks a run to stop: its engine (in this or another process) cancels running attempts and ends it
   * CANCELED. When no engine drives it, this one does. Returns the run's state afterwards.
   */
  async cancel(runId: string): Promise<string> {
    const run = await this.deps.store.getRun(runId);
    if (!run) throw new RunNotFoundError(runId);
    if (!CANCELABLE_RUN_STATES.has(run.state as RunState)) return run.state;
    const state = await this.deps.store.compareAndSetRunState(
      runId,
      [...CANCELABLE_RUN_STATES],
      'CANCELING',
      {
        runId,
        taskId: null,
        reason: 'cancel requested',
        at: this.deps.now().toISOString(),
      },
    );
    if (state !== 'CANCELING') return state ?? run.state;
    try {
      return (await this.drive(runId)).state;
    } catch (error) {
      if (error instanceof RunBusyError) return 'CANCELING';
      throw error;
    }
  }
}

/** Engine ids name their host and process, so a dead owner can be recognised: `host:pid:uuid`. */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

function parseOwnerId(ownerId: string): { host: string; pid: number } | undefined {
  const match = /^(.*):(\d+):[0-9a-f-]+$/.exec(ownerId);
  return match ? { host: match[1]!, pid: Number(match[2]) } : undefined;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Run parameters: names checked, values converted to the declared types, defaults filled in. */
function resolveParameters(
  document: PipelineDocument,
  given: Record<string, JsonValue>,
): Record<string, JsonValue> {
  const definitions = document.pipelineSpec.root?.inputDefinitions?.parameters ?? {};
  const values: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(given)) {
    const definition = definitions[name];
    if (!definition) {
      const known = Object.keys(definitions);
      throw new RunInputError(
        `the pipeline has no parameter '${name}'${didYouMean(name, known)}; its parameters: ${known.join(', ') || 'none'}`,
      );
    }
    try {
      values[name] = coerceParameter(value, definition.parameterType, `parameter '${name}'`);
    } catch (error) {
      if (error instanceof ParameterTypeError) throw new RunInputError(error.message);
      throw error;
    }
  }
  for (const [name, definition] of Object.entries(definitions)) {
    if (name in values) continue;
    if (definition.defaultValue !== undefined && definition.defaultValue !== null)
      values[name] = definition.defaultValue;
    else if (!definition.isOptional) {
      throw new RunInputError(
        `the pipeline needs parameter '${name}' (${definition.parameterType}); pass --param ${name}=…`,
      );
    }
  }
  return values;
}

/** Executors KFP's open-source backend cannot run either are refused before the run starts. */
function checkSupported(document: PipelineDocument): void {
  for (const [label, executor] of Object.entries(document.pipelineSpec.deploymentSpec?.executors ?? {})) {
    if (executor.resolver)
      throw new RunInputError(`executor '${label}' is a resolver, which neither KFP nor Sluice can run`);
    if (executor.customJob)
      throw new RunInputError(`executor '${label}' is a Vertex AI custom job, which runs only on Vertex AI`);
  }
}

function digestOf(value: Json): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
