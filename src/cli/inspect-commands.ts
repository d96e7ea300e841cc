/**
 * Read commands over the store in SLUICE_HOME: `sluice runs`, `sluice show RUN_ID`, `sluice cancel RUN_ID`.
 * They work while another process (a run, a server) uses the same store.
 */
import { openDefaultEngine, reportRun } from '../engine/index.ts';
import { renderShow } from './render-report.ts';
import { resolveRunIdArgument } from './run-id.ts';

export async function runsCommand(options: {
  json?: boolean;
  state?: string;
  pipeline?: string;
  limit?: number;
}): Promise<number> {
  const { store, close } = await openDefaultEngine();
  try {
    const runs = await store.listRuns({
      ...(options.state ? { state: options.state.toUpperCase() } : {}),
      ...(options.pipeline ? { pipelineName: options.pipeline } : {}),
      limit: options.limit ?? 100,
    });
    const rows = runs.map((run) => ({
      runId: run.id,
      pipeline: run.pipelineName,
      state: run.state,
      createdAt: run.createdAt,
    }));
    if (options.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else if (rows.length === 0) process.stdout.write('no runs yet; start one with: sluice run pipeline.ts\n');
    else
      for (const row of rows)
        process.stdout.write(`${row.runId}  ${row.state.padEnd(9)}  ${row.createdAt}  ${row.pipeline}\n`);
    return 0;
  } finally {
    await close();
  }
}

export async function showCommand(runIdArgument: string, options: { json?: boolean }): Promise<number> {
  const { store, close } = await openDefaultEngine();
  try {
    const report = await reportRun(store, await resolveRunIdArgument(store, runIdArgument));
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : renderShow(report));
    return 0;
  } finally {
    await close();
  }
}

export async function cancelCommand(runIdArgument: string): Promise<number> {
  const { engine, store, close } = await openDefaultEngine();
  try {
    const runId = await resolveRunIdArgument(store, runIdArgument);
    const state = await engine.cancel(runId);
    process.stdout.write(`run ${runId}: ${state}\n`);
    return 0;
  } finally {
    await close();
  }
}
