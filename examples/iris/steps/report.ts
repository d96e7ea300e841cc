/**
 * The exit task: runs whatever happened inside the ExitHandler and says in one paragraph how the run
 * ended, which is what someone skimming a log or a notification needs first.
 */
import { component, Param, type TaskFinalStatus } from 'sluice';

export const report = component({
  name: 'report',
  description: 'Prints the outcome of the run: its state and, when it failed, which task and why.',
  inputs: { status: Param.taskFinalStatus() },
  run: ({ status }) => {
    console.log(outcome(status, process.env.SLUICE_RUN_ID));
  },
});

/**
 * The paragraph for a final status. The status is of the ExitHandler's group, whose error names the
 * failed tasks ("task validate-schema failed") and, when the engine passes it on, their own error after a
 * colon; without it, the paragraph points at the failed task's log instead.
 */
export function outcome(status: TaskFinalStatus | undefined, runId?: string): string {
  if (!status)
    return 'iris-classifier: the report got no final status (is it the exit task of an ExitHandler?).';
  // KFP's resource name is `<pipeline>-<suffix>`; the run id (Sluice gives steps SLUICE_RUN_ID) is what
  // the CLI takes.
  const run = runId ?? status.pipelineJobResourceName;
  const short = run.slice(0, 8);
  // KFP's backend says COMPLETE for a group that succeeded (Vertex AI says SUCCEEDED).
  if (status.state === 'COMPLETE' || status.state === 'SUCCEEDED') {
    return `iris-classifier run ${run} SUCCEEDED: the data passed validation, both models were trained and evaluated, and the better one was registered if its test accuracy reached the threshold (the register task's log says where). \`sluice show ${short}\` has the metrics.`;
  }
  const message = (status.error?.message ?? '').replace(/\s*\n\s*/g, ' ').trim();
  const failed = /^tasks? (.+?) failed(?:: (.+))?$/.exec(message);
  const advice = `Nothing was registered; fix the cause and run again (what succeeded comes from the cache).`;
  if (!failed)
    return `iris-classifier run ${run} ${status.state}: ${message || 'no error was recorded'}. ${advice}`;
  const [, tasks, reason] = failed as unknown as [string, string, string | undefined];
  const which = `${tasks.includes(',') ? 'tasks' : 'task'} ${tasks}`;
  const why = reason ?? `its error is in \`sluice logs ${short} ${tasks.split(',')[0]!.trim()}\``;
  return `iris-classifier run ${run} ${status.state} in ${which}: ${why}. ${advice}`;
}
