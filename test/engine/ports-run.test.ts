/**
 * The corpus pipelines rewritten in the DSL (test/fixtures/ports, whose IR matches KFP's exactly) run on
 * the engine and end as KFP would: pipelines built to fail (a failing task under an exit handler) FAIL with
 * their exit tasks run; the others SUCCEED — across loops, conditions, OneOf, Collected, nested pipelines.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenario, type Scenario } from './scenario.ts';

const ports = resolve(import.meta.dirname, '../fixtures/ports');

/** Ports that fail by design, with the exit (or ignore-upstream-failure) tasks that must still run. */
const FAILING: Record<string, string[]> = {
  'pipeline_as_exit_task.ts': ['conditional-notification', 'conditional-notification/condition-1/print-op'],
  'pipeline_with_exit_handler.ts': ['print-op'],
  'pipeline_with_input_status_state.ts': ['echo-state'],
  'pipeline_with_multiple_exit_handlers.ts': ['print-op', 'print-op-3', 'print-op-5'],
  'pipeline_with_task_final_status.ts': ['exit-op'],
  'pipeline_with_task_using_ignore_upstream_failure.ts': ['print-op'],
};
/** Ports whose stand-in commands need tools this machine lacks. */
const NEEDS = { 'two_step_pipeline.ts': 'gsutil (Google Cloud SDK)' } as Record<string, string>;

let scenario: Scenario;
beforeAll(async () => {
  scenario = await openScenario();
});
afterAll(async () => {
  await scenario.close();
});

describe('DSL ports of corpus pipelines run to the state KFP reaches', () => {
  const files = readdirSync(ports).filter((file) => file.endsWith('.ts') && !(file in NEEDS));

  it('has ports to run', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    const exitTasks = FAILING[file];
    it(`${file} ${exitTasks ? 'FAILS, with its exit tasks run' : 'SUCCEEDS'}`, async () => {
      const pipeline = (await import(join(ports, file))).default;
      const summary = await scenario.run(pipeline, { cache: false });
      const states = Object.fromEntries(summary.tasks.map((task) => [task.name, task.state]));
      if (!exitTasks) {
        expect({ state: summary.state, error: summary.error }).toEqual({
          state: 'SUCCEEDED',
          error: undefined,
        });
        return;
      }
      expect(summary.state).toBe('FAILED');
      for (const task of exitTasks) expect(states[task], `${task} ran`).toBe('SUCCEEDED');
    }, 60_000);
  }
});
