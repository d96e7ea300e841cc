/**
 * SqliteRunStore on a temp file: the engine's write pattern (many small batches, some large) and the reads
 * that follow it. Prints figures, asserts nothing. Run: `npx tsx bench/sqlite-run-store.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteRunStore, type RunRecord, type TaskRecord } from '../src/store/index.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

function run(id: string): RunRecord {
  return {
    id,
    pipelineName: 'bench',
    displayName: null,
    state: 'RUNNING',
    spec: { pipelineInfo: { name: 'bench' } },
    parameters: {},
    options: {},
    createdAt: at(0),
    startedAt: null,
    finishedAt: null,
    error: null,
    ownerId: null,
    heartbeatAt: null,
  };
}

function task(runId: string, i: number): TaskRecord {
  return {
    id: `${runId}-t${i}`,
    runId,
    parentId: `${runId}-root`,
    name: `step-${i}`,
    path: i < 0 ? '' : `loop[${i}]/step`,
    kind: i < 0 ? 'DAG' : 'CONTAINER',
    componentName: 'comp-step',
    iterationIndex: i,
    state: 'PENDING',
    inputs: { parameters: { x: i, name: `item-${i}` }, artifacts: {} },
    outputs: null,
    fingerprint: `fp-${i}`,
    fingerprintParts: { executor: 'a', inputs: 'b' },
    cachedFromTaskId: null,
    cacheMissReason: null,
    error: null,
    attemptCount: 0,
    createdAt: at(i + 1),
    startedAt: null,
    finishedAt: null,
  };
}

async function time(label: string, body: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  await body();
  console.log(`${label.padEnd(48)} ${(performance.now() - start).toFixed(1)} ms`);
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
const store = await openSqliteRunStore(join(dir, 'sluice.db'));
try {
  await store.createRun(run('small'), { ...task('small', -1), id: 'small-root' }, []);
  await store.commit({ runId: 'small', newTasks: Array.from({ length: 1000 }, (_, i) => task('small', i)) });
  await time('1,000 commits of a 3-row batch (patch+insert+insert)', async () => {
    for (let i = 0; i < 1000; i++) {
      await store.commit({
        runId: 'small',
        taskPatches: [{ id: `small-t${i}`, patch: { state: 'RUNNING', startedAt: at(i), attemptCount: 1 } }],
        newAttempts: [
          {
            id: `small-a${i}`,
            taskId: `small-t${i}`,
            runId: 'small',
            number: 1,
            state: 'RUNNING',
            pid: 1000 + i,
            podName: null,
            startedAt: at(i),
            finishedAt: null,
            exitCode: null,
            logPath: `/tmp/logs/${i}.log`,
            workDir: `/tmp/work/${i}`,
            error: null,
          },
        ],
        transitions: [
          { runId: 'small', taskId: `small-t${i}`, from: 'PENDING', to: 'RUNNING', reason: null, at: at(i) },
        ],
      });
    }
  });

  await store.createRun(run('large'), { ...task('large', -1), id: 'large-root' }, []);
  const tasks = Array.from({ length: 10_000 }, (_, i) => task('large', i));
  await time('1 commit of 10,000 new tasks', () => store.commit({ runId: 'large', newTasks: tasks }));
  await time('getTasks of 10,001 rows', () => store.getTasks('large'));
  await time('getTasks of 10,001 rows (again)', () => store.getTasks('large'));
  await time('1,000 getTask', async () => {
    for (let i = 0; i < 1000; i++) await store.getTask(`large-t${i}`);
  });
  await time('1,000 findCacheHit', async () => {
    for (let i = 0; i < 1000; i++) await store.findCacheHit(`fp-${i}`, ['PENDING']);
  });
  await time('1,000 claimRun + heartbeat', async () => {
    for (let i = 0; i < 500; i++) {
      await store.claimRun('small', 'engine', at(i), at(i - 30_000));
      await store.heartbeat('small', 'engine', at(i));
    }
  });
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
