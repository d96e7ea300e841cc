/**
 * `sluice run FILE` and `sluice resume RUN_ID`: drive a run on this machine until it ends. Exit 0 when it
 * SUCCEEDED, 1 when it FAILED or was CANCELED; with --json the last stdout line is the run summary.
 * Ctrl-C cancels the run (running processes are stopped); a second Ctrl-C leaves at once.
 */
import { resolve } from 'node:path';
import { projectRoot } from '../compiler/index.ts';
import {
  type DefaultEngine,
  type ExecutorKind,
  type KfpRuntime,
  openDefaultEngine,
  type RunSummary,
  reportRun,
  type TransitionEvent,
} from '../engine/index.ts';
import type { RunStore } from '../store/index.ts';
import { loadPipelineDocument } from './load-pipeline-document.ts';
import { progressPrinter } from './progress.ts';
import { renderRunEnd } from './render-report.ts';
import { resolveRunIdArgument } from './run-id.ts';
import { parseRunParameters } from './run-parameters.ts';

export interface RunCommandOptions {
  param?: string[];
  parallelism?: number;
  cache?: boolean;
  json?: boolean;
  export?: string;
  name?: string;
  executor?: ExecutorKind;
  kfpRuntime?: KfpRuntime;
}

export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  const executor = options.executor ?? 'local';
  const kfpRuntime = options.kfpRuntime ?? 'builtin';
  const { engine, store, close } = await openDefaultEngine({ executor, kfpRuntime });
  try {
    engine.prepareToRun();
    const document = await loadPipelineDocument(file, options.export);
    const parameters = parseRunParameters(document, options.param ?? []);
    const runId = await engine.submit(document, {
      parameters,
      ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
      ...(options.cache === false ? { cache: false } : {}),
      ...(options.name ? { displayName: options.name } : {}),
      executor,
      kfpRuntime,
      // Function components name their modules relative to the project the pipeline file is in, which
      // need not be the directory `sluice run` was typed in.
      ...(/\.[cm]?[jt]s$/.test(file) ? { projectRoot: projectRoot(resolve(file)) } : {}),
    });
    return await driveWithProgress(store, options.json === true, (signal, onTransition) =>
      engine.drive(runId, { signal, onTransition }),
    );
  } finally {
    await close();
  }
}

export async function resumeCommand(runIdArgument: string, options: { json?: boolean }): Promise<number> {
  const { engine, store, close, runId } = await openEngineForRun(runIdArgument);
  try {
    return await driveWithProgress(store, options.json === true, (signal, onTransition) =>
      engine.drive(runId, { signal, onTransition }),
    );
  } finally {
    await close();
  }
}

/**
 * The default engine with the executor a run was started with (`--executor docker` is recorded on the
 * run), so that resuming or retrying it runs its tasks the same way; and the run's full id.
 */
export async function openEngineForRun(runIdArgument: string): Promise<DefaultEngine & { runId: string }> {
  const local = await openDefaultEngine();
  let runId: string;
  let executor: ExecutorKind;
  let kfpRuntime: KfpRuntime;
  try {
    runId = await resolveRunIdArgument(local.store, runIdArgument);
    const options = (await local.store.getRun(runId))?.options;
    executor = options?.executor === 'docker' ? 'docker' : 'local';
    kfpRuntime = options?.kfpRuntime === 'pip' ? 'pip' : 'builtin';
  } catch (error) {
    await local.close();
    throw error;
  }
  if (executor === 'local' && kfpRuntime === 'builtin') return { ...local, runId };
  await local.close();
  return { ...(await openDefaultEngine({ executor, kfpRuntime })), runId };
}

/**
 * Drives a run with live progress, then prints the report: as one JSON line with --json (the object
 * `sluice show --json` prints), otherwise a short summary that says what to type next.
 */
export async function driveWithProgress(
  store: RunStore,
  json: boolean,
  drive: (signal: AbortSignal, onTransition: (event: TransitionEvent) => void) => Promise<RunSummary>,
): Promise<number> {
  const progressStream = json ? process.stderr : process.stdout;
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    progressStream.write('canceling the run (Ctrl-C again to leave now)…\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    const summary = await drive(controller.signal, progressPrinter(progressStream));
    const report = await reportRun(store, summary.runId);
    if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(renderRunEnd(report));
    return summary.state === 'SUCCEEDED' ? 0 : 1;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}
