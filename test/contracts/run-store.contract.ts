/**
 * The RunStore contract (src/store/store.ts), written once and run against every backend:
 * `runStoreContract('SqliteRunStore', () => openSqliteRunStore(path))`, later the same for Postgres.
 * Each test gets a fresh, migrated store from `open` and closes it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_EXPERIMENT_ID,
  RUN_SORT_FIELDS,
  type RunStore,
  type StoreBatch,
  type TaskRecord,
} from '../../src/store/index.ts';
import {
  at,
  lineage,
  makeArtifact,
  makeAttempt,
  makeRootTask,
  makeRun,
  makeTask,
  transition,
} from './run-store-records.ts';

export function runStoreContract(name: string, open: () => Promise<RunStore>): void {
  describe(`RunStore contract: ${name}`, () => {
    let store: RunStore;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    /** Creates a run with its root task and a PENDING transition. */
    async function createRun(id: string, overrides: Parameters<typeof makeRun>[1] = {}) {
      const run = makeRun(id, overrides);
      await store.createRun(run, makeRootTask(id, { createdAt: run.createdAt }), [
        transition(id, null, 'PENDING'),
      ]);
      return run;
    }

    async function addTasks(runId: string, ...tasks: TaskRecord[]) {
      await store.commit({ runId, newTasks: tasks });
      return tasks;
    }

    describe('runs', () => {
      it('creates a run with its root task and transitions, and reads it back exactly', async () => {
        const run = makeRun('run-1', {
          displayName: 'nightly',
          spec: { pipelineInfo: { name: 'p' }, list: [1, 2.5, 'ü', true, null], nested: { a: { b: [] } } },
          parameters: { epochs: 3, rate: 0.1, name: 'x', flag: false, tags: ['a'], cfg: { k: null } },
          options: { parallelism: 4, cache: false },
          error: { kind: 'system', retryable: false, message: 'lost', exitCode: 137 },
          startedAt: at(1),
          finishedAt: at(2),
        });
        const root = makeRootTask('run-1');
        await store.createRun(run, root, [transition('run-1', null, 'PENDING', { reason: 'created' })]);

        expect(await store.getRun('run-1')).toEqual(run);
        expect(await store.getTasks('run-1')).toEqual([root]);
        const transitions = await store.getTransitions('run-1');
        expect(transitions).toEqual([
          { id: expect.any(Number), ...transition('run-1', null, 'PENDING', { reason: 'created' }) },
        ]);
      });

      it('returns undefined for an unknown run', async () => {
        expect(await store.getRun('nope')).toBeUndefined();
      });

      it('rejects a second run with the same id and keeps the first unchanged', async () => {
        const first = await createRun('run-1');
        await expect(
          store.createRun(
            makeRun('run-1', { state: 'RUNNING' }),
            makeRootTask('run-1', { id: 'other-root' }),
            [],
          ),
        ).rejects.toThrow();
        expect(await store.getRun('run-1')).toEqual(first);
        expect((await store.getTasks('run-1')).map((task) => task.id)).toEqual(['run-1/root']);
      });

      it('lists runs newest first, filtered by state and pipeline', async () => {
        await createRun('a', { createdAt: at(1), state: 'SUCCEEDED' });
        await createRun('b', { createdAt: at(2), state: 'RUNNING', pipelineName: 'other' });
        await createRun('c', { createdAt: at(3), state: 'RUNNING' });

        expect((await store.listRuns()).map((run) => run.id)).toEqual(['c', 'b', 'a']);
        expect((await store.listRuns({ state: 'RUNNING' })).map((run) => run.id)).toEqual(['c', 'b']);
        expect((await store.listRuns({ pipelineName: 'train-pipeline' })).map((run) => run.id)).toEqual([
          'c',
          'a',
        ]);
        expect((await store.listRuns({ state: 'RUNNING', pipelineName: 'other' })).map((r) => r.id)).toEqual([
          'b',
        ]);
        expect((await store.listRuns({ limit: 2 })).map((run) => run.id)).toEqual(['c', 'b']);
      });

      it('pages through runs by (createdAt, id), including runs created at the same instant', async () => {
        for (const [id, second] of [
          ['r1', 1],
          ['r2', 2],
          ['r3', 2],
          ['r4', 2],
          ['r5', 3],
        ] as const) {
          await createRun(id, { createdAt: at(second) });
        }
        const seen: string[] = [];
        let before: { createdAt: string; id: string } | undefined;
        for (;;) {
          const page = await store.listRuns({ limit: 2, ...(before ? { before } : {}) });
          if (page.length === 0) break;
          seen.push(...page.map((run) => run.id));
          const last = page.at(-1)!;
          before = { createdAt: last.createdAt, id: last.id };
        }
        expect(seen).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
      });

      it('lists the runs not in the given states, oldest first', async () => {
        await createRun('done', { createdAt: at(1), state: 'SUCCEEDED' });
        await createRun('new', { createdAt: at(3), state: 'PENDING' });
        await createRun('busy', { createdAt: at(2), state: 'RUNNING' });
        const live = await store.listRunsNotIn(['SUCCEEDED', 'FAILED', 'CANCELED']);
        expect(live.map((run) => run.id)).toEqual(['busy', 'new']);
        expect((await store.listRunsNotIn([])).map((run) => run.id)).toEqual(['done', 'busy', 'new']);
      });
    });

    describe('resolveRunId', () => {
      beforeEach(async () => {
        await createRun('abc');
        await createRun('3f2a9c01');
        await createRun('3f2a9d77');
        await createRun('7e00ffee');
      });

      it('accepts an exact id of any length', async () => {
        expect(await store.resolveRunId('abc')).toBe('abc');
        expect(await store.resolveRunId('3f2a9c01')).toBe('3f2a9c01');
      });

      it('accepts a unique prefix of at least 4 characters', async () => {
        expect(await store.resolveRunId('7e00')).toBe('7e00ffee');
        expect(await store.resolveRunId('3f2a9c')).toBe('3f2a9c01');
        expect(await store.resolveRunId('7e0')).toBeUndefined();
        expect(await store.resolveRunId('ffff')).toBeUndefined();
      });

      it('treats the prefix literally and case-sensitively', async () => {
        expect(await store.resolveRunId('7E00')).toBeUndefined();
        expect(await store.resolveRunId('3f2a%')).toBeUndefined();
        expect(await store.resolveRunId('3f2a_c')).toBeUndefined();
      });

      it('throws RUN_ID_AMBIGUOUS with the matching ids when several runs match', async () => {
        await expect(store.resolveRunId('3f2a')).rejects.toMatchObject({
          code: 'RUN_ID_AMBIGUOUS',
          prefix: '3f2a',
          matches: ['3f2a9c01', '3f2a9d77'],
        });
      });
    });

    describe('commit', () => {
      it('applies every part of a batch and reads each record back exactly', async () => {
        await createRun('run-1');
        const train = makeTask('run-1', 'train', {
          inputs: { parameters: { epochs: 3, lr: 0.001, label: 'é', on: true }, artifacts: { data: ['x'] } },
          fingerprint: 'f'.repeat(64),
          fingerprintParts: { executor: 'aa', inputs: 'bb' },
          cacheMissReason: { changed: ['inputs'] },
          iterationIndex: 2,
          kind: 'ITERATION',
        });
        const attempt = makeAttempt(train, 1, { pid: 4242 });
        const model = makeArtifact(train, 'model', {
          metadata: { accuracy: 0.93, framework: { name: 'torch' }, tags: [] },
          digest: `sha256:${'0'.repeat(64)}`,
          sizeBytes: 5_000_000_000,
        });
        const batch: StoreBatch = {
          runId: 'run-1',
          runPatch: { state: 'RUNNING', startedAt: at(3), options: { parallelism: 2 } },
          newTasks: [train],
          newAttempts: [attempt],
          newArtifacts: [model],
          lineage: [lineage(model, train, 'OUTPUT', 'model')],
          transitions: [
            transition('run-1', 'PENDING', 'RUNNING'),
            transition('run-1', null, 'PENDING', { taskId: 'train' }),
          ],
        };
        await store.commit(batch);

        expect(await store.getRun('run-1')).toMatchObject({
          state: 'RUNNING',
          startedAt: at(3),
          options: { parallelism: 2 },
        });
        expect(await store.getTask('train')).toEqual(train);
        expect(await store.getAttempts('run-1')).toEqual([attempt]);
        expect(await store.getArtifacts('run-1')).toEqual([model]);
        expect(await store.getArtifact(model.id)).toEqual(model);
        expect(await store.getLineage({ runId: 'run-1' })).toEqual([
          lineage(model, train, 'OUTPUT', 'model'),
        ]);
        expect((await store.getTransitions('run-1')).map((t) => [t.taskId, t.from, t.to])).toEqual([
          [null, null, 'PENDING'],
          [null, 'PENDING', 'RUNNING'],
          ['train', null, 'PENDING'],
        ]);
      });

      it('patches tasks and attempts field by field, null clearing a field', async () => {
        await createRun('run-1');
        const [task] = await addTasks(
          'run-1',
          makeTask('run-1', 'train', { error: { kind: 'user', retryable: true, message: 'x' } }),
        );
        const attempt = makeAttempt(task!, 1);
        await store.commit({ runId: 'run-1', newAttempts: [attempt] });
        await store.commit({
          runId: 'run-1',
          taskPatches: [
            {
              id: 'train',
              patch: {
                state: 'SUCCEEDED',
                outputs: { n: 0, ok: false, s: '' },
                error: null,
                attemptCount: 1,
              },
            },
          ],
          attemptPatches: [
            { id: attempt.id, patch: { state: 'SUCCEEDED', exitCode: 0, finishedAt: at(30) } },
          ],
        });
        expect(await store.getTask('train')).toEqual({
          ...task,
          state: 'SUCCEEDED',
          outputs: { n: 0, ok: false, s: '' },
          error: null,
          attemptCount: 1,
        });
        expect(await store.getAttempts('run-1')).toEqual([
          { ...attempt, state: 'SUCCEEDED', exitCode: 0, finishedAt: at(30) },
        ]);
      });

      it('applies nothing of a batch when one row fails (a duplicate task id)', async () => {
        await createRun('run-1');
        await addTasks('run-1', makeTask('run-1', 'a'));
        const before = await store.getTransitions('run-1');
        await expect(
          store.commit({
            runId: 'run-1',
            runPatch: { state: 'RUNNING' },
            newTasks: [makeTask('run-1', 'b'), makeTask('run-1', 'a', { path: 'a-again' })],
            taskPatches: [{ id: 'a', patch: { state: 'RUNNING' } }],
            transitions: [transition('run-1', 'PENDING', 'RUNNING')],
          }),
        ).rejects.toThrow();
        expect((await store.getRun('run-1'))?.state).toBe('PENDING');
        expect((await store.getTasks('run-1')).map((task) => [task.id, task.state])).toEqual([
          ['run-1/root', 'PENDING'],
          ['a', 'PENDING'],
        ]);
        expect(await store.getTransitions('run-1')).toEqual(before);
      });

      it('rejects a patch for a task that is not in the batch run, applying nothing', async () => {
        await createRun('run-1');
        await createRun('run-2');
        await addTasks('run-2', makeTask('run-2', 'theirs'));
        for (const id of ['missing', 'theirs']) {
          await expect(
            store.commit({
              runId: 'run-1',
              runPatch: { state: 'RUNNING' },
              taskPatches: [{ id, patch: { state: 'RUNNING' } }],
            }),
          ).rejects.toMatchObject({
            code: 'STORE_BATCH_REJECTED',
            runId: 'run-1',
            table: 'tasks',
            recordId: id,
          });
        }
        expect((await store.getRun('run-1'))?.state).toBe('PENDING');
        expect((await store.getTask('theirs'))?.state).toBe('PENDING');
      });

      it('rejects a run patch for a run that does not exist', async () => {
        await expect(store.commit({ runId: 'ghost', runPatch: { state: 'RUNNING' } })).rejects.toMatchObject({
          code: 'STORE_BATCH_REJECTED',
          table: 'runs',
        });
      });

      it('keeps one lineage event when the same fact is recorded twice', async () => {
        await createRun('run-1');
        const [task] = await addTasks('run-1', makeTask('run-1', 'train'));
        const model = makeArtifact(task!, 'model');
        const event = lineage(model, task!, 'OUTPUT', 'model');
        await store.commit({ runId: 'run-1', newArtifacts: [model], lineage: [event] });
        await store.commit({ runId: 'run-1', lineage: [event] });
        expect(await store.getLineage({ runId: 'run-1' })).toEqual([event]);
      });
    });

    describe('fencing and leases', () => {
      const fresh = at(100);
      const staleBefore = at(70);

      it('applies a fenced batch only while the run is owned by that engine', async () => {
        await createRun('run-1');
        expect(await store.claimRun('run-1', 'engine-a', fresh, staleBefore)).toBe(true);
        await store.commit({ ownerId: 'engine-a', runId: 'run-1', runPatch: { state: 'RUNNING' } });

        const fenced = store.commit({
          ownerId: 'engine-b',
          runId: 'run-1',
          runPatch: { state: 'FAILED' },
          newTasks: [makeTask('run-1', 'x')],
          transitions: [transition('run-1', 'RUNNING', 'FAILED')],
        });
        await expect(fenced).rejects.toMatchObject({
          code: 'RUN_OWNERSHIP_LOST',
          runId: 'run-1',
          ownerId: 'engine-b',
        });
        expect((await store.getRun('run-1'))?.state).toBe('RUNNING');
        expect(await store.getTask('x')).toBeUndefined();
        expect(await store.getTransitions('run-1')).toHaveLength(1);
      });

      it('fences a batch for a run nobody owns', async () => {
        await createRun('run-1');
        await expect(
          store.commit({ ownerId: 'engine-a', runId: 'run-1', runPatch: { state: 'RUNNING' } }),
        ).rejects.toMatchObject({ code: 'RUN_OWNERSHIP_LOST' });
      });

      it('claims a free run, refuses a fresh lease to others, and lets the owner claim again', async () => {
        await createRun('run-1');
        expect(await store.claimRun('run-1', 'engine-a', fresh, staleBefore)).toBe(true);
        expect(await store.getRun('run-1')).toMatchObject({ ownerId: 'engine-a', heartbeatAt: fresh });
        expect(await store.claimRun('run-1', 'engine-b', at(101), staleBefore)).toBe(false);
        expect(await store.claimRun('run-1', 'engine-a', at(102), staleBefore)).toBe(true);
        expect(await store.getRun('run-1')).toMatchObject({ ownerId: 'engine-a', heartbeatAt: at(102) });
        expect(await store.claimRun('missing', 'engine-a', fresh, staleBefore)).toBe(false);
      });

      it('lets another engine take over a stale lease, after which the old owner is fenced', async () => {
        await createRun('run-1');
        await store.claimRun('run-1', 'engine-a', at(10), at(0));
        expect(await store.claimRun('run-1', 'engine-b', at(100), at(70))).toBe(true);
        expect(await store.heartbeat('run-1', 'engine-a', at(101))).toBe(false);
        await expect(
          store.commit({ ownerId: 'engine-a', runId: 'run-1', runPatch: { state: 'RUNNING' } }),
        ).rejects.toMatchObject({ code: 'RUN_OWNERSHIP_LOST' });
        expect(await store.heartbeat('run-1', 'engine-b', at(102))).toBe(true);
        expect((await store.getRun('run-1'))?.heartbeatAt).toBe(at(102));
      });

      it('takes over a lease only from the owner it names, once', async () => {
        await createRun('run-1');
        await store.claimRun('run-1', 'engine-a', fresh, staleBefore);
        expect(await store.takeOverRun('run-1', 'engine-x', 'engine-b', at(101))).toBe(false);
        expect(await store.takeOverRun('run-1', 'engine-a', 'engine-b', at(101))).toBe(true);
        expect(await store.takeOverRun('run-1', 'engine-a', 'engine-c', at(102))).toBe(false);
        expect(await store.getRun('run-1')).toMatchObject({ ownerId: 'engine-b', heartbeatAt: at(101) });
        expect(await store.heartbeat('run-1', 'engine-a', at(103))).toBe(false);
      });

      it('releases only the owner’s lease', async () => {
        await createRun('run-1');
        await store.claimRun('run-1', 'engine-a', fresh, staleBefore);
        await store.releaseRun('run-1', 'engine-b');
        expect((await store.getRun('run-1'))?.ownerId).toBe('engine-a');
        await store.releaseRun('run-1', 'engine-a');
        expect(await store.getRun('run-1')).toMatchObject({ ownerId: null, heartbeatAt: null });
        expect(await store.claimRun('run-1', 'engine-b', fresh, staleBefore)).toBe(true);
      });

      it('lets exactly one of many simultaneous claims win', async () => {
        await createRun('run-1');
        const engines = Array.from({ length: 8 }, (_, i) => `engine-${i}`);
        const won = await Promise.all(engines.map((id) => store.claimRun('run-1', id, fresh, staleBefore)));
        expect(won.filter(Boolean)).toHaveLength(1);
        expect((await store.getRun('run-1'))?.ownerId).toBe(engines[won.indexOf(true)]);
      });
    });

    describe('compareAndSetRunState', () => {
      it('sets the state and records the transition when the current state is one of `from`', async () => {
        await createRun('run-1', { state: 'RUNNING' });
        const result = await store.compareAndSetRunState('run-1', ['PENDING', 'RUNNING'], 'CANCELING', {
          runId: 'run-1',
          taskId: null,
          reason: 'canceled by user',
          at: at(50),
        });
        expect(result).toBe('CANCELING');
        expect((await store.getRun('run-1'))?.state).toBe('CANCELING');
        expect((await store.getTransitions('run-1')).at(-1)).toMatchObject({
          from: 'RUNNING',
          to: 'CANCELING',
          reason: 'canceled by user',
          at: at(50),
        });
      });

      it('changes nothing and returns the current state otherwise', async () => {
        await createRun('run-1', { state: 'SUCCEEDED' });
        const transitions = await store.getTransitions('run-1');
        const change = { runId: 'run-1', taskId: null, reason: null, at: at(50) };
        expect(await store.compareAndSetRunState('run-1', ['RUNNING'], 'CANCELING', change)).toBe(
          'SUCCEEDED',
        );
        expect(await store.getTransitions('run-1')).toEqual(transitions);
        expect(
          await store.compareAndSetRunState('missing', ['RUNNING'], 'CANCELING', change),
        ).toBeUndefined();
      });
    });

    describe('reads', () => {
      it('returns transitions in commit order, per run, after a given id', async () => {
        await createRun('run-1');
        await createRun('run-2');
        for (const [runId, to] of [
          ['run-1', 'RUNNING'],
          ['run-2', 'RUNNING'],
          ['run-1', 'SUCCEEDED'],
        ] as const) {
          await store.commit({ runId, transitions: [transition(runId, 'X', to)] });
        }
        const all = await store.getTransitions('run-1');
        expect(all.map((t) => t.to)).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED']);
        expect(all.map((t) => t.id)).toEqual([...all.map((t) => t.id)].sort((a, b) => a - b));
        expect(new Set(all.map((t) => t.id)).size).toBe(3);
        expect((await store.getTransitions('run-1', all[0]!.id)).map((t) => t.to)).toEqual([
          'RUNNING',
          'SUCCEEDED',
        ]);
        expect(await store.getTransitions('run-1', all[2]!.id)).toEqual([]);
        expect((await store.getTransitions('run-2')).map((t) => t.to)).toEqual(['PENDING', 'RUNNING']);
      });

      it('finds artifacts by uri and lineage by artifact across runs', async () => {
        await createRun('run-1');
        await createRun('run-2');
        const [producer] = await addTasks('run-1', makeTask('run-1', 'make'));
        const [consumer] = await addTasks('run-2', makeTask('run-2', 'use'));
        const data = makeArtifact(producer!, 'data', { uri: 's3://bucket/data' });
        const imported = makeArtifact(consumer!, 'data', {
          id: 'imported',
          uri: 's3://bucket/data',
          createdAt: at(40),
        });
        await store.commit({
          runId: 'run-1',
          newArtifacts: [data],
          lineage: [lineage(data, producer!, 'OUTPUT', 'data')],
        });
        await store.commit({
          runId: 'run-2',
          newArtifacts: [imported],
          lineage: [
            lineage(data, consumer!, 'INPUT', 'dataset'),
            lineage(imported, consumer!, 'OUTPUT', 'data'),
          ],
        });

        expect((await store.getArtifactsByUri('s3://bucket/data')).map((a) => a.id)).toEqual([
          data.id,
          'imported',
        ]);
        expect(await store.getArtifactsByUri('s3://bucket/none')).toEqual([]);
        expect(await store.getArtifact('missing')).toBeUndefined();
        expect(await store.getLineage({ artifactId: data.id })).toEqual([
          lineage(data, producer!, 'OUTPUT', 'data'),
          lineage(data, consumer!, 'INPUT', 'dataset'),
        ]);
        expect(await store.getLineage({ runId: 'run-2' })).toHaveLength(2);
        expect(await store.getTask('missing')).toBeUndefined();
      });
    });

    describe('cache lookups', () => {
      const fp = 'a'.repeat(64);

      it('finds the newest task with the fingerprint in one of the states, with its output artifacts', async () => {
        await createRun('old', { createdAt: at(1) });
        await createRun('new', { createdAt: at(2) });
        await createRun('failed', { createdAt: at(3) });
        const [oldTask] = await addTasks(
          'old',
          makeTask('old', 'o', { fingerprint: fp, state: 'SUCCEEDED', createdAt: at(10) }),
        );
        const [newTask, sibling] = await addTasks(
          'new',
          makeTask('new', 'n', { fingerprint: fp, state: 'SUCCEEDED', createdAt: at(20) }),
          makeTask('new', 'sibling', { fingerprint: 'b'.repeat(64), state: 'SUCCEEDED', createdAt: at(20) }),
        );
        await addTasks(
          'failed',
          makeTask('failed', 'f', { fingerprint: fp, state: 'FAILED', createdAt: at(30) }),
        );
        const model = makeArtifact(newTask!, 'model');
        const metrics = makeArtifact(newTask!, 'metrics');
        await store.commit({ runId: 'old', newArtifacts: [makeArtifact(oldTask!, 'model')] });
        await store.commit({ runId: 'new', newArtifacts: [model, metrics, makeArtifact(sibling!, 'model')] });

        const hit = await store.findCacheHit(fp, ['SUCCEEDED']);
        expect(hit?.task).toEqual(newTask);
        expect(hit?.artifacts).toEqual([metrics, model]);
        expect((await store.findCacheHit(fp, ['SUCCEEDED', 'FAILED']))?.task.id).toBe('f');
        expect(await store.findCacheHit(fp, ['CACHED'])).toBeUndefined();
        expect(await store.findCacheHit(fp, [])).toBeUndefined();
        expect(await store.findCacheHit('c'.repeat(64), ['SUCCEEDED'])).toBeUndefined();
      });

      it('finds the previous fingerprinted task of the same pipeline at the same path', async () => {
        await createRun('r1', { createdAt: at(1) });
        await createRun('r2', { createdAt: at(2) });
        await createRun('r3', { createdAt: at(3) });
        await createRun('elsewhere', { createdAt: at(4), pipelineName: 'other' });
        const path = 'for-loop-2[0]/train';
        await addTasks('r1', makeTask('r1', 'r1-train', { path, fingerprint: fp, createdAt: at(10) }));
        await addTasks('r2', makeTask('r2', 'r2-train', { path, fingerprint: null, createdAt: at(20) }));
        await addTasks(
          'r3',
          makeTask('r3', 'r3-train', { path, fingerprint: 'd'.repeat(64), createdAt: at(30) }),
        );
        await addTasks(
          'elsewhere',
          makeTask('elsewhere', 'e-train', { path, fingerprint: fp, createdAt: at(35) }),
        );

        expect((await store.findPreviousTask('train-pipeline', path, at(40)))?.id).toBe('r3-train');
        expect((await store.findPreviousTask('train-pipeline', path, at(30)))?.id).toBe('r1-train');
        expect((await store.findPreviousTask('train-pipeline', path, at(10)))?.id).toBeUndefined();
        expect((await store.findPreviousTask('other', path, at(40)))?.id).toBe('e-train');
        expect(await store.findPreviousTask('train-pipeline', 'train', at(40))).toBeUndefined();
      });
    });

    describe('pipeline versions', () => {
      it('returns the same version for the same digest and numbers new ones', async () => {
        const first = await store.savePipelineVersion('p', 'sha-1', { v: 1 }, at(1));
        expect(first).toEqual({
          id: expect.any(String),
          pipelineId: expect.any(String),
          pipelineName: 'p',
          digest: 'sha-1',
          name: 'v1',
          spec: { v: 1 },
          createdAt: at(1),
        });
        expect(await store.savePipelineVersion('p', 'sha-1', { v: 1 }, at(2))).toEqual(first);
        const second = await store.savePipelineVersion('p', 'sha-2', { v: 2 }, at(3));
        expect(second).toMatchObject({ pipelineId: first.pipelineId, name: 'v2', createdAt: at(3) });
        expect(second.id).not.toBe(first.id);
        const other = await store.savePipelineVersion('q', 'sha-1', { v: 1 }, at(4));
        expect(other.pipelineId).not.toBe(first.pipelineId);
        expect(other.name).toBe('v1');
      });

      it('names a new version as asked, keeps the existing one for the same spec, refuses a taken name', async () => {
        const first = await store.savePipelineVersion('p', 'sha-1', { v: 1 }, at(1), 'first');
        expect(first.name).toBe('first');
        expect(await store.savePipelineVersion('p', 'sha-1', { v: 1 }, at(2), 'again')).toEqual(first);
        await expect(store.savePipelineVersion('p', 'sha-2', { v: 2 }, at(3), 'first')).rejects.toMatchObject(
          { code: 'PIPELINE_VERSION_NAME_TAKEN' },
        );
        await store.savePipelineVersion('p', 'sha-2', { v: 2 }, at(3), 'v2');
        // The default name skips numbers a chosen name already took.
        expect((await store.savePipelineVersion('p', 'sha-3', { v: 3 }, at(4))).name).toBe('v3');
        expect((await store.savePipelineVersion('p', 'sha-4', { v: 4 }, at(5))).name).toBe('v4');
        expect((await store.listPipelineVersions(first.pipelineId)).map((v) => v.name)).toEqual([
          'v4',
          'v3',
          'v2',
          'first',
        ]);
      });

      it('lists pipelines newest first with their version counts', async () => {
        expect(await store.listPipelines()).toEqual([]);
        const p1 = await store.savePipelineVersion('p', 'sha-1', { v: 1 }, at(1));
        await store.savePipelineVersion('p', 'sha-2', { v: 2 }, at(2));
        await store.savePipelineVersion('p', 'sha-2', { v: 2 }, at(3));
        const q1 = await store.savePipelineVersion('q', 'sha-1', { v: 1 }, at(4));
        expect(await store.listPipelines()).toEqual([
          { id: q1.pipelineId, name: 'q', createdAt: at(4), versionCount: 1 },
          { id: p1.pipelineId, name: 'p', createdAt: at(1), versionCount: 2 },
        ]);
        expect(await store.getPipeline(p1.pipelineId)).toEqual({
          id: p1.pipelineId,
          name: 'p',
          createdAt: at(1),
          versionCount: 2,
        });
        expect(await store.getPipeline('nope')).toBeUndefined();
      });

      it('lists versions newest first without specs and gets one with its spec', async () => {
        const v1 = await store.savePipelineVersion('p', 'sha-1', { v: 1 }, at(1));
        const v2 = await store.savePipelineVersion('p', 'sha-2', { v: 2, nested: ['ü'] }, at(2));
        // Same instant: the order still holds, by id.
        const v3 = await store.savePipelineVersion('p', 'sha-3', { v: 3 }, at(2));
        await store.savePipelineVersion('other', 'sha-9', { v: 9 }, at(3));
        const listed = await store.listPipelineVersions(v1.pipelineId);
        const { spec: _spec, ...summary } = v1;
        expect(listed.at(-1)).toEqual(summary);
        expect(listed.map((v) => v.id)).toEqual([...[v2.id, v3.id].sort().reverse(), v1.id]);
        expect(listed.every((v) => !('spec' in v))).toBe(true);
        expect(await store.getPipelineVersion(v2.id)).toEqual(v2);
        expect(await store.getPipelineVersion('nope')).toBeUndefined();
        expect(await store.listPipelineVersions('nope')).toEqual([]);
      });
    });

    describe('experiments (schema 2)', () => {
      const experiment = (id: string, name: string, createdAt = at(1)) => ({
        id,
        name,
        description: null,
        storageState: 'AVAILABLE' as const,
        createdAt,
      });

      it('has the Default experiment, creates others with unique names, lists them newest first with run counts', async () => {
        expect(await store.getExperiment(DEFAULT_EXPERIMENT_ID)).toMatchObject({
          id: 'default',
          name: 'Default',
          storageState: 'AVAILABLE',
          runCount: 0,
        });
        await store.createExperiment(experiment('e1', 'first', at(1)));
        await store.createExperiment(experiment('e2', 'second', at(2)));
        await expect(store.createExperiment(experiment('e3', 'first', at(3)))).rejects.toMatchObject({
          code: 'EXPERIMENT_NAME_TAKEN',
        });
        await createRun('r1');
        await store.createRun(makeRun('r2'), makeRootTask('r2'), [], { experimentId: 'e1' });
        await store.createRun(makeRun('r3'), makeRootTask('r3'), [], { experimentId: 'e1' });
        expect(await store.getExperiment('e1')).toEqual({ ...experiment('e1', 'first', at(1)), runCount: 2 });
        expect((await store.getExperiment(DEFAULT_EXPERIMENT_ID))?.runCount).toBe(1);
        expect(await store.getExperiment('nope')).toBeUndefined();
        const all = await store.listExperiments();
        // Default was created when the store was (now), after these.
        expect(all.map((e) => e.id)).toEqual([DEFAULT_EXPERIMENT_ID, 'e2', 'e1']);
        const page = await store.listExperiments({ limit: 1, before: { createdAt: at(2), id: 'e2' } });
        expect(page.map((e) => e.id)).toEqual(['e1']);
      });

      it('archives an experiment with its runs, and deletes one only when it has no runs', async () => {
        await store.createExperiment(experiment('e1', 'first'));
        await store.createRun(makeRun('r1'), makeRootTask('r1'), [], { experimentId: 'e1' });
        await store.createRun(makeRun('r2'), makeRootTask('r2'), [], { experimentId: 'e1' });
        await createRun('elsewhere');
        expect(await store.setExperimentStorageState('e1', 'ARCHIVED')).toBe(2);
        expect((await store.listExperiments({ storageState: 'ARCHIVED' })).map((e) => e.id)).toEqual(['e1']);
        expect((await store.listRunSummaries({ storageState: 'ARCHIVED' })).map((r) => r.id).sort()).toEqual([
          'r1',
          'r2',
        ]);
        expect((await store.listRunSummaries({ storageState: 'AVAILABLE' })).map((r) => r.id)).toEqual([
          'elsewhere',
        ]);
        expect(await store.setExperimentStorageState('e1', 'AVAILABLE')).toBe(0);
        expect((await store.listRunSummaries({ storageState: 'ARCHIVED' })).length).toBe(2);
        expect(await store.setExperimentStorageState('nope', 'ARCHIVED')).toBeUndefined();

        expect(await store.deleteExperiment('e1')).toBe(2);
        expect(await store.getExperiment('e1')).toBeDefined();
        expect((await store.deleteRun('r1', ['PENDING'])).outcome).toBe('deleted');
        expect((await store.deleteRun('r2', ['PENDING'])).outcome).toBe('deleted');
        expect(await store.deleteExperiment('e1')).toBe(0);
        expect(await store.getExperiment('e1')).toBeUndefined();
        expect(await store.deleteExperiment('e1')).toBeUndefined();
      });
    });

    describe('run summaries (schema 2)', () => {
      it('carries placement, version name and numeric metrics, without the spec', async () => {
        const version = await store.savePipelineVersion('train-pipeline', 'sha-1', { v: 1 }, at(0), 'first');
        const run = makeRun('r1', { parameters: { lr: 0.1 }, state: 'SUCCEEDED', finishedAt: at(3) });
        await store.createRun(run, makeRootTask('r1'), [], { pipelineVersionId: version.id });
        await addTasks(
          'r1',
          makeTask('r1', 't1', {
            path: 'train',
            outputs: {
              artifacts: {
                m: [{ uri: 'u', schemaTitle: 'system.Metrics', metadata: { acc: 0.9, label: 'x' } }],
                d: [{ uri: 'v', schemaTitle: 'system.Dataset', metadata: { rows: 3 } }],
              },
            },
          }),
        );
        await createRun('r2', { createdAt: at(1) });
        const [summary] = await store.listRunSummaries({ runIds: ['r1'] });
        expect(summary).toEqual({
          id: 'r1',
          pipelineName: 'train-pipeline',
          displayName: null,
          state: 'SUCCEEDED',
          parameters: { lr: 0.1 },
          createdAt: at(0),
          startedAt: null,
          finishedAt: at(3),
          error: null,
          experimentId: DEFAULT_EXPERIMENT_ID,
          storageState: 'AVAILABLE',
          pipelineVersionId: version.id,
          pipelineVersionName: 'first',
          metrics: { 'train/acc': 0.9 },
          sortKey: at(0),
        });
        expect((await store.listRunSummaries({ runIds: ['r2'] }))[0]?.metrics).toEqual({});
        // A batch that changes a task's outputs records a transition: the next read sees the new metrics.
        await store.commit({
          runId: 'r2',
          newTasks: [
            makeTask('r2', 'r2/eval', {
              path: 'eval',
              outputs: {
                artifacts: { m: [{ uri: 'w', schemaTitle: 'system.Metrics', metadata: { f1: 0.5 } }] },
              },
            }),
          ],
          transitions: [transition('r2', 'PENDING', 'RUNNING')],
        });
        expect((await store.listRunSummaries({ runIds: ['r2'] }))[0]?.metrics).toEqual({ 'eval/f1': 0.5 });
        expect((await store.listRunSummaries({ runIds: ['r2'], withMetrics: false }))[0]?.metrics).toEqual(
          {},
        );
        expect(await store.setRunStorageState('r1', 'ARCHIVED')).toBe(true);
        expect(await store.setRunStorageState('nope', 'ARCHIVED')).toBe(false);
        expect((await store.listRunSummaries({ storageState: 'AVAILABLE' })).map((r) => r.id)).toEqual([
          'r2',
        ]);
        expect((await store.listRunSummaries()).map((r) => r.id)).toEqual(['r2', 'r1']);
      });

      it('sorts by each field both ways and pages by (sort key, id) without skipping or repeating', async () => {
        const names = ['b', null, 'a', 'b', null];
        for (let index = 0; index < 11; index++)
          await createRun(`r${String(index).padStart(2, '0')}`, {
            displayName: names[index % names.length]!,
            state: ['SUCCEEDED', 'FAILED', 'RUNNING'][index % 3]!,
            createdAt: at(Math.floor(index / 2)),
            finishedAt: index % 4 === 0 ? null : at(100 + (index % 3)),
          });
        const all = await store.listRunSummaries({ limit: 100 });
        const key = {
          created_at: (r: (typeof all)[number]) => r.createdAt,
          name: (r: (typeof all)[number]) => r.displayName ?? r.pipelineName,
          state: (r: (typeof all)[number]) => r.state,
          finished_at: (r: (typeof all)[number]) => r.finishedAt ?? '',
        };
        for (const sortBy of RUN_SORT_FIELDS)
          for (const descending of [true, false]) {
            const sign = descending ? -1 : 1;
            const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
            const expected = [...all]
              .sort((a, b) => sign * (cmp(key[sortBy](a), key[sortBy](b)) || cmp(a.id, b.id)))
              .map((r) => r.id);
            const seen: string[] = [];
            let after: { sortKey: string; id: string } | undefined;
            for (;;) {
              const page = await store.listRunSummaries({
                sortBy,
                descending,
                limit: 3,
                ...(after ? { after } : {}),
              });
              if (page.length === 0) break;
              seen.push(...page.map((r) => r.id));
              const last = page.at(-1)!;
              expect(last.sortKey).toBe(key[sortBy](last));
              after = { sortKey: last.sortKey, id: last.id };
            }
            expect(seen, `${sortBy} ${descending ? 'desc' : 'asc'}`).toEqual(expected);
          }
      });
    });

    describe('run details and saved reports (schema 4)', () => {
      it("reads a run's summary, tasks and attempts in one call, and nothing for an unknown run", async () => {
        await createRun('r1', { parameters: { lr: 0.1 } });
        const [task] = await addTasks('r1', makeTask('r1', 'r1/train', { path: 'train' }));
        const attempt = makeAttempt(task!, 1);
        await store.commit({
          runId: 'r1',
          newAttempts: [attempt],
          transitions: [transition('r1', 'PENDING', 'RUNNING')],
        });
        const detail = await store.getRunDetail('r1');
        const [summary] = await store.listRunSummaries({ runIds: ['r1'], withMetrics: false });
        const transitions = await store.getTransitions('r1');
        expect(detail).toEqual({
          summary,
          newestTransition: transitions[transitions.length - 1]!.id,
          tasks: await store.getTasks('r1'),
          attempts: [attempt],
        });
        expect(detail?.tasks?.map((t) => t.path)).toEqual(['', 'train']);
        expect(await store.getRunDetail('nope')).toBeUndefined();
      });

      it('answers with a saved report while the run has no newer transition, and its row fields always', async () => {
        await createRun('r1');
        await store.commit({ runId: 'r1', transitions: [transition('r1', 'PENDING', 'SUCCEEDED')] });
        const newest = (await store.getRunDetail('r1'))!.newestTransition!;
        const report = { tasks: [{ name: 'train', state: 'SUCCEEDED' }], failures: [] };
        // A report made before the newest transition is refused: it could miss what that batch changed.
        expect(await store.saveRunReport('r1', newest - 1, { stale: true })).toBe(false);
        expect((await store.getRunDetail('r1'))?.savedReport).toBeUndefined();
        expect(await store.saveRunReport('nope', newest, report)).toBe(false);

        expect(await store.saveRunReport('r1', newest, report)).toBe(true);
        const saved = await store.getRunDetail('r1');
        expect(saved?.savedReport).toEqual(report);
        expect(saved?.tasks).toBeUndefined();
        // Archiving records no transition and changes no report; the summary still comes from the row.
        await store.setRunStorageState('r1', 'ARCHIVED');
        const archived = await store.getRunDetail('r1');
        expect(archived?.savedReport).toEqual(report);
        expect(archived?.summary.storageState).toBe('ARCHIVED');

        // A new transition (a retry, say) makes it stale: readers get the tasks again, until a new save.
        await store.commit({ runId: 'r1', transitions: [transition('r1', 'SUCCEEDED', 'PENDING')] });
        const reopened = await store.getRunDetail('r1');
        expect(reopened?.savedReport).toBeUndefined();
        expect(reopened?.tasks?.map((t) => t.path)).toEqual(['']);
        expect(reopened!.newestTransition).toBeGreaterThan(newest);
        expect(await store.saveRunReport('r1', reopened!.newestTransition!, { second: true })).toBe(true);
        expect((await store.getRunDetail('r1'))?.savedReport).toEqual({ second: true });
      });

      it('lists runs in a state whose report is missing or stale, in id pages', async () => {
        for (const id of ['a', 'b', 'c', 'd', 'e']) await createRun(id, { state: 'SUCCEEDED' });
        await createRun('busy', { state: 'RUNNING' });
        // A run with no transition has nothing to save a report against.
        await store.createRun(makeRun('bare', { state: 'SUCCEEDED' }), makeRootTask('bare'), []);
        const lacking = (options: { afterId?: string; limit: number }) =>
          store.listRunsLackingReport('SUCCEEDED', options);
        const newest = async (id: string) => (await store.getRunDetail(id))!.newestTransition!;

        expect(await store.saveRunReport('b', await newest('b'), { tasks: [] })).toBe(true);
        expect(await store.saveRunReport('d', await newest('d'), { tasks: [] })).toBe(true);
        // d's report goes stale with a newer transition; b's stays current.
        await store.commit({ runId: 'd', transitions: [transition('d', 'PENDING', 'SUCCEEDED')] });
        expect(await lacking({ limit: 10 })).toEqual(['a', 'c', 'd', 'e']);
        expect(await lacking({ limit: 2 })).toEqual(['a', 'c']);
        expect(await lacking({ afterId: 'c', limit: 2 })).toEqual(['d', 'e']);
        expect(await lacking({ afterId: 'e', limit: 2 })).toEqual([]);
        expect(await store.listRunsLackingReport('RUNNING', { limit: 10 })).toEqual(['busy']);
        expect(await store.listRunsLackingReport('FAILED', { limit: 10 })).toEqual([]);
      });

      it('deletes a saved report with its run', async () => {
        await createRun('r1', { state: 'SUCCEEDED' });
        const newest = (await store.getRunDetail('r1'))!.newestTransition!;
        expect(await store.saveRunReport('r1', newest, { tasks: [] })).toBe(true);
        expect((await store.deleteRun('r1', ['SUCCEEDED'])).outcome).toBe('deleted');
        expect(await store.getRunDetail('r1')).toBeUndefined();
      });
    });

    describe('pinCacheHit', () => {
      const fresh = at(100);
      const staleBefore = at(70);

      it("records a hit's output lineage while its artifacts exist, fenced like a batch", async () => {
        await createRun('src', { state: 'SUCCEEDED' });
        const [producer] = await addTasks('src', makeTask('src', 'src/train'));
        const model = makeArtifact(producer!, 'model');
        await store.commit({
          runId: 'src',
          newArtifacts: [model],
          lineage: [lineage(model, producer!, 'OUTPUT', 'model')],
        });
        await createRun('hit');
        const [task] = await addTasks('hit', makeTask('hit', 'hit/train'));
        const event = lineage(model, task!, 'OUTPUT', 'model');

        await expect(
          store.pinCacheHit({ ownerId: 'engine-a', runId: 'hit', lineage: [event] }),
        ).rejects.toMatchObject({
          code: 'RUN_OWNERSHIP_LOST',
        });
        expect(await store.claimRun('hit', 'engine-a', fresh, staleBefore)).toBe(true);
        expect(await store.pinCacheHit({ ownerId: 'engine-a', runId: 'hit', lineage: [event] })).toBe(true);
        // Again: the same fact, kept once.
        expect(await store.pinCacheHit({ ownerId: 'engine-a', runId: 'hit', lineage: [event] })).toBe(true);
        expect(await store.getLineage({ runId: 'hit' })).toEqual([event]);
        // Pinned, the artifact outlives its run: the delete moves it to the hit.
        expect((await store.deleteRun('src', ['SUCCEEDED'])).outcome).toBe('deleted');
        expect(await store.getArtifact(model.id)).toEqual({ ...model, runId: 'hit', taskId: task!.id });
      });

      it('records nothing, and says so, when one of the artifacts is gone', async () => {
        await createRun('src', { state: 'SUCCEEDED' });
        const [producer] = await addTasks('src', makeTask('src', 'src/train'));
        const model = makeArtifact(producer!, 'model');
        const metrics = makeArtifact(producer!, 'metrics');
        await store.commit({ runId: 'src', newArtifacts: [model, metrics] });
        await createRun('hit');
        const [task] = await addTasks('hit', makeTask('hit', 'hit/train'));
        expect(await store.claimRun('hit', 'engine-a', fresh, staleBefore)).toBe(true);
        expect((await store.deleteRun('src', ['SUCCEEDED'])).outcome).toBe('deleted');
        const events = [
          lineage(model, task!, 'OUTPUT', 'model'),
          lineage(metrics, task!, 'OUTPUT', 'metrics'),
        ];
        expect(await store.pinCacheHit({ ownerId: 'engine-a', runId: 'hit', lineage: events })).toBe(false);
        expect(await store.getLineage({ runId: 'hit' })).toEqual([]);
      });
    });

    describe('deleteRun (schema 2)', () => {
      it('refuses runs not in the allowed states and reports unknown runs', async () => {
        await createRun('busy', { state: 'RUNNING' });
        expect(await store.deleteRun('busy', ['SUCCEEDED'])).toEqual({
          outcome: 'refused',
          state: 'RUNNING',
        });
        expect(await store.getRun('busy')).toBeDefined();
        expect(await store.deleteRun('nope', ['SUCCEEDED'])).toEqual({ outcome: 'not-found' });
      });

      it("deletes a run's records, moving artifacts another run's cache hit uses to that run", async () => {
        await createRun('src', { state: 'SUCCEEDED' });
        const [producer] = await addTasks('src', makeTask('src', 'src/train'));
        const model = makeArtifact(producer!, 'model');
        const data = makeArtifact(producer!, 'data', { uri: 'file:///shared/data' });
        const own = makeArtifact(producer!, 'own');
        await store.commit({
          runId: 'src',
          newArtifacts: [model, data, own],
          newAttempts: [makeAttempt(producer!, 1, { logPath: '/logs/src/1.log', workDir: '/work/src/1' })],
          lineage: [lineage(model, producer!, 'OUTPUT', 'model'), lineage(own, producer!, 'OUTPUT', 'own')],
        });
        await createRun('hit', { state: 'SUCCEEDED' });
        const [cached] = await addTasks(
          'hit',
          makeTask('hit', 'hit/train', { state: 'CACHED', cachedFromTaskId: producer!.id }),
        );
        await store.commit({ runId: 'hit', lineage: [lineage(model, cached!, 'OUTPUT', 'model')] });
        await createRun('same-uri', { state: 'SUCCEEDED' });
        const [other] = await addTasks('same-uri', makeTask('same-uri', 'same-uri/x'));
        await store.commit({
          runId: 'same-uri',
          newArtifacts: [makeArtifact(other!, 'copy', { uri: 'file:///shared/data' })],
        });

        const result = await store.deleteRun('src', ['SUCCEEDED']);
        expect(result).toEqual({
          outcome: 'deleted',
          removedArtifacts: expect.arrayContaining([
            { id: data.id, uri: data.uri },
            { id: own.id, uri: own.uri },
          ]),
          reassignedArtifacts: [{ id: model.id, uri: model.uri, runId: 'hit', taskId: cached!.id }],
          sharedUris: [{ uri: 'file:///shared/data', runIds: ['same-uri'] }],
          attemptPaths: [{ logPath: '/logs/src/1.log', workDir: '/work/src/1' }],
          pipelineName: 'train-pipeline',
        });
        expect(await store.getRun('src')).toBeUndefined();
        expect(await store.getTasks('src')).toEqual([]);
        expect(await store.getAttempts('src')).toEqual([]);
        expect(await store.getArtifacts('src')).toEqual([]);
        expect(await store.getArtifact(own.id)).toBeUndefined();
        // The cache hit's run is whole: the model is its now, with its lineage.
        expect(await store.getArtifacts('hit')).toEqual([{ ...model, runId: 'hit', taskId: cached!.id }]);
        expect(await store.getLineage({ artifactId: model.id })).toEqual([
          lineage(model, cached!, 'OUTPUT', 'model'),
        ]);
        expect((await store.getTask(cached!.id))?.cachedFromTaskId).toBe(producer!.id);
        expect((await store.getArtifacts('same-uri')).length).toBe(1);
      });
    });

    describe('listArtifacts (schema 2)', () => {
      it('lists newest first, by run and type, keyset-paged', async () => {
        await createRun('r1');
        await createRun('r2');
        const [t1] = await addTasks('r1', makeTask('r1', 'r1/t'));
        const [t2] = await addTasks('r2', makeTask('r2', 'r2/t'));
        const a = makeArtifact(t1!, 'a', { createdAt: at(1) });
        const b = makeArtifact(t1!, 'b', { createdAt: at(2), schemaTitle: 'system.Model' });
        const c = makeArtifact(t2!, 'c', { createdAt: at(2) });
        await store.commit({ runId: 'r1', newArtifacts: [a, b] });
        await store.commit({ runId: 'r2', newArtifacts: [c] });
        const newestFirst = [b, c].sort((x, y) => (x.id < y.id ? 1 : -1)).concat(a);
        expect(await store.listArtifacts()).toEqual(newestFirst);
        expect(await store.listArtifacts({ runId: 'r1' })).toEqual([b, a]);
        expect(await store.listArtifacts({ schemaTitle: 'system.Model' })).toEqual([b]);
        expect(await store.listArtifacts({ runId: 'r2', schemaTitle: 'system.Model' })).toEqual([]);
        const first = newestFirst[0]!;
        expect(
          await store.listArtifacts({ limit: 1, before: { createdAt: first.createdAt, id: first.id } }),
        ).toEqual([newestFirst[1]]);
      });
    });

    it('migrates again harmlessly', async () => {
      await createRun('run-1');
      await store.migrate();
      await store.migrate();
      expect((await store.getRun('run-1'))?.id).toBe('run-1');
    });
  });
}
