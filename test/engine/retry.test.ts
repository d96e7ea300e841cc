/**
 * `retry` on a finished run: what failed, was skipped or canceled runs again with everything downstream
 * (exit handlers included); what succeeded is reused, never re-run. Real processes, a real SQLite store.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import type { AnyPipeline } from '../../src/dsl/index.ts';
import {
  type DefaultEngine,
  openDefaultEngine,
  RetryNotPossibleError,
  type RunReport,
  reportOfDetail,
  reportRun,
} from '../../src/engine/index.ts';
import { component, ExitHandler, ParallelFor, Param, pipeline } from '../../src/index.ts';
import { states } from './scenario.ts';

const sh = (script: string) => ['sh', '-c', script];

/** Appends its name to a ledger (so a test can count how often it ran) and passes a number on. */
const step = component({
  name: 'step',
  image: 'alpine',
  inputs: { label: Param.string(), ledger: Param.string() },
  outputs: { value: Param.string() },
  command: ({ inputs, outputs }) => [
    ...sh('echo "$0" >> "$1" && printf %s "$0" > "$2"'),
    inputs.label,
    inputs.ledger,
    outputs.value,
  ],
});

/** Fails until `fix` exists; records every start in the ledger. */
const gate = component({
  name: 'gate',
  image: 'alpine',
  inputs: { label: Param.string(), ledger: Param.string(), fix: Param.string() },
  outputs: { value: Param.string() },
  command: ({ inputs, outputs }) => [
    ...sh('echo "$0" >> "$1"; test -e "$2" || { echo "no fix at $2" >&2; exit 4; }; printf ok > "$3"'),
    inputs.label,
    inputs.ledger,
    inputs.fix,
    outputs.value,
  ],
});

const recordStatus = component({
  name: 'record-status',
  image: 'alpine',
  inputs: { status: Param.taskFinalStatus(), file: Param.string() },
  command: ({ inputs }) => [...sh('printf %s "$0" > "$1"'), inputs.status, inputs.file],
});

let home: string;
let opened: DefaultEngine;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'sluice-retry-'));
  opened = await openDefaultEngine({ home });
});
afterAll(async () => {
  await opened.close();
});

async function submit(built: AnyPipeline, parameters = {}): Promise<string> {
  return opened.engine.submit(await compilePipeline(built), { parallelism: 4, parameters });
}

/** The run's report as read (from its saved body), checked equal to the one built from its tasks. */
async function expectSavedReport(runId: string): Promise<RunReport> {
  const detail = await opened.store.getRunDetail(runId);
  expect(detail?.savedReport).toBeDefined();
  const built = await reportOfDetail({
    summary: detail!.summary,
    newestTransition: detail!.newestTransition,
    tasks: await opened.store.getTasks(runId),
    attempts: await opened.store.getAttempts(runId),
  });
  const read = await reportRun(opened.store, runId);
  expect(read).toEqual(built);
  return read;
}

function ledger(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
}

function files(name: string) {
  const dir = mkdtempSync(join(home, `${name}-`));
  return { ledger: join(dir, 'ledger'), fix: join(dir, 'fix'), status: join(dir, 'status.json') };
}

describe('sluice retry (Engine.retry)', () => {
  it('re-runs the failed task, its dependents and the exit handler; reuses what succeeded', async () => {
    const f = files('exit');
    const built = pipeline({ name: 'retry-exit' }, () => {
      ExitHandler(recordStatus({ file: f.status }), () => {
        const first = step({ label: 'ingest', ledger: f.ledger });
        const side = step({ label: 'side', ledger: f.ledger });
        const checked = gate({ label: 'gate', ledger: f.ledger, fix: f.fix }).after(first);
        step({ label: 'train', ledger: f.ledger }).after(checked);
        void side;
      });
    });
    const runId = await submit(built);
    const failed = await opened.engine.drive(runId);
    expect(failed.state).toBe('FAILED');
    expect(states(failed)['exit-handler-1/step-3']).toBe('SKIPPED');
    expect(JSON.parse(readFileSync(f.status, 'utf8')).state).toBe('FAILED');
    // The run's end saved its report; it says what building it from the tasks says.
    const failedReport = await expectSavedReport(runId);
    expect(failedReport.failures.map((failure) => failure.task)).toEqual(['exit-handler-1/gate']);
    expect(failedReport.failures[0]?.logTail.join('\n')).toContain('no fix at');

    writeFileSync(f.fix, '');
    const reopened = await opened.engine.retry(runId);
    expect(reopened).toEqual([
      'exit-handler-1',
      'exit-handler-1/gate',
      'exit-handler-1/step-3',
      'record-status',
    ]);
    const summary = await opened.engine.drive(runId);
    expect(summary.state).toBe('SUCCEEDED');
    expect(summary.runId).toBe(runId);
    // ingest and side ran once; the gate twice (failed, then fixed); train once, after the fix.
    expect(ledger(f.ledger).sort()).toEqual(['gate', 'gate', 'ingest', 'side', 'train']);
    expect(summary.tasks.find((task) => task.name === 'exit-handler-1/gate')?.attempts).toBe(2);
    expect(JSON.parse(readFileSync(f.status, 'utf8')).state).toBe('COMPLETE');
    // The retry made the saved report stale; the retried run's end saved a new one.
    const retriedReport = await expectSavedReport(runId);
    expect(retriedReport.failures).toEqual([]);
    expect(retriedReport.state).toBe('SUCCEEDED');
    expect(retriedReport.tasks.find((task) => task.name === 'exit-handler-1/gate')?.attempts).toBe(2);
    const transitions = await opened.store.getTransitions(runId);
    expect(transitions.filter((t) => t.taskId === null).map((t) => t.to)).toEqual([
      'PENDING',
      'RUNNING',
      'FAILED',
      'PENDING',
      'RUNNING',
      'SUCCEEDED',
    ]);
  });

  it('re-runs only the failed iterations of a loop', async () => {
    const f = files('loop');
    // Items pass through a parameter so each iteration's ledger line says which one ran.
    const loop = pipeline(
      { name: 'retry-loop', inputs: { items: Param.list({ default: ['a', 'b', 'c'] }) } },
      ({ items }) => {
        ParallelFor(items, (item) => {
          const made = step({ label: item as never, ledger: f.ledger });
          gate({ label: made.outputs.value, ledger: f.ledger, fix: f.fix });
        });
      },
    );
    const runId = await submit(loop);
    expect((await opened.engine.drive(runId)).state).toBe('FAILED');
    expect(ledger(f.ledger).sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    writeFileSync(f.fix, '');
    await opened.engine.retry(runId);
    const summary = await opened.engine.drive(runId);
    expect(summary.state).toBe('SUCCEEDED');
    // Each iteration's step ran once; each gate twice.
    expect(ledger(f.ledger).sort()).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c']);
  });

  it('gives a retried task its whole retry budget again', async () => {
    const f = files('budget');
    const counter = join(f.ledger);
    const flaky = component({
      name: 'flaky',
      image: 'alpine',
      inputs: { counter: Param.string() },
      // Fails on its first three starts, then succeeds.
      command: ({ inputs }) => [
        ...sh('echo x >> "$0"; test "$(wc -l < "$0")" -gt 3 || exit 5'),
        inputs.counter,
      ],
    });
    const built = pipeline({ name: 'retry-budget' }, () => {
      flaky({ counter }).setRetry(1);
    });
    const runId = await submit(built);
    expect((await opened.engine.drive(runId)).state).toBe('FAILED');
    expect(ledger(counter)).toHaveLength(2);
    await opened.engine.retry(runId);
    const summary = await opened.engine.drive(runId);
    expect(summary.state).toBe('SUCCEEDED');
    expect(summary.tasks[0]?.attempts).toBe(4);
  });

  it('refuses a run that succeeded, and a run id that does not exist', async () => {
    const f = files('ok');
    const runId = await submit(
      pipeline({ name: 'retry-ok' }, () => void step({ label: 'x', ledger: f.ledger })),
    );
    expect((await opened.engine.drive(runId)).state).toBe('SUCCEEDED');
    await expect(opened.engine.retry(runId)).rejects.toThrow(RetryNotPossibleError);
    await expect(opened.engine.retry(runId)).rejects.toThrow(/SUCCEEDED; there is nothing to retry/);
    await expect(opened.engine.retry('no-such-run')).rejects.toThrow(/no run 'no-such-run'/);
  });

  it('finishes a canceled run, reusing the tasks that completed before the cancel', async () => {
    const f = files('cancel');
    const slow = component({
      name: 'slow',
      image: 'alpine',
      inputs: { ledger: Param.string() },
      command: ({ inputs }) => [...sh('echo slow >> "$0"; sleep 30'), inputs.ledger],
    });
    const quick = pipeline({ name: 'retry-cancel' }, () => {
      const first = step({ label: 'first', ledger: f.ledger });
      slow({ ledger: f.ledger }).after(first);
    });
    const runId = await submit(quick);
    const controller = new AbortController();
    const driving = opened.engine.drive(runId, {
      signal: controller.signal,
      onTransition: (event) => {
        if (event.path === 'slow' && event.to === 'RUNNING') setTimeout(() => controller.abort(), 200);
      },
    });
    expect((await driving).state).toBe('CANCELED');
    expect(await opened.engine.retry(runId)).toEqual(['slow']);
    // The retried slow task would take 30 s; cancel again once it runs and check what ran.
    const again = new AbortController();
    const summary = await opened.engine.drive(runId, {
      signal: again.signal,
      onTransition: (event) => {
        if (event.path === 'slow' && event.to === 'RUNNING') setTimeout(() => again.abort(), 200);
      },
    });
    expect(summary.state).toBe('CANCELED');
    expect(ledger(f.ledger)).toEqual(['first', 'slow', 'slow']);
  });
});
