/**
 * `sluice retry RUN_ID`: re-runs what failed in a FAILED or CANCELED run, and everything downstream of it,
 * in the same run; tasks that succeeded are reused, not re-run. Then drives the run like `sluice run`.
 */
import { driveWithProgress, openEngineForRun } from './run-command.ts';

export async function retryCommand(runArgument: string, options: { json?: boolean }): Promise<number> {
  const { engine, store, close, runId } = await openEngineForRun(runArgument);
  try {
    engine.prepareToRun();
    const reopened = await engine.retry(runId);
    const stream = options.json ? process.stderr : process.stdout;
    const shown = reopened.slice(0, 8).join(', ');
    stream.write(
      `retrying run ${runId}: ${reopened.length} task${reopened.length === 1 ? '' : 's'} run again (${shown}${reopened.length > 8 ? ', …' : ''}); the rest is reused\n`,
    );
    return await driveWithProgress(store, options.json === true, (signal, onTransition) =>
      engine.drive(runId, { signal, onTransition }),
    );
  } finally {
    await close();
  }
}
