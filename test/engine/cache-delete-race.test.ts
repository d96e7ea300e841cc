/**
 * A cache hit and the deletion of the run it reuses, interleaved at the two moments that matter: deleted
 * after the hit is found but before it is recorded (the hit must become a miss and the task run), and
 * deleted just after it is recorded (the reused artifacts must move to the new run, files kept).
 * The store is the real SQLite file; the deletion is the real deleteRun with the files it releases removed,
 * as DELETE /runs/{id} does, run by the hook at the chosen instant.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.ts';
import { compilePipeline } from '../../src/compiler/index.ts';
import { Engine, FINAL_RUN_STATES } from '../../src/engine/index.ts';
import { LocalExecutor } from '../../src/executors/index.ts';
import { component, Dataset, Param, pipeline } from '../../src/index.ts';
import { openSqliteRunStore, type RunStore, type SqliteRunStore } from '../../src/store/index.ts';

const produce = component({
  name: 'produce',
  image: 'alpine',
  inputs: { text: Param.string() },
  outputs: { data: Dataset },
  command: ({ inputs, outputs }) => ['sh', '-c', 'echo "$0" > "$1"', inputs.text, outputs.data.path],
});
const consume = component({
  name: 'consume',
  image: 'alpine',
  inputs: { data: Dataset },
  outputs: { copy: Dataset },
  command: ({ inputs, outputs }) => ['sh', '-c', 'cat "$0" > "$1"', inputs.data.path, outputs.copy.path],
});
const reusable = pipeline(
  { name: 'reusable', inputs: { text: Param.string({ default: 'hello' }) } },
  ({ text }) => {
    consume({ data: produce({ text }).outputs.data });
  },
);

type Hook = 'after-find' | 'after-pin';

let home: string;
let real: SqliteRunStore;
let hook: { when: Hook; action: () => Promise<void> } | undefined;

/** The real store, with the hook run once at its instant. */
function hooked(store: SqliteRunStore): RunStore {
  const fire = async (when: Hook) => {
    if (hook?.when !== when) return;
    const { action } = hook;
    hook = undefined;
    await action();
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'findCacheHit')
        return async (...args: Parameters<RunStore['findCacheHit']>) => {
          const hit = await target.findCacheHit(...args);
          if (hit) await fire('after-find');
          return hit;
        };
      if (property === 'pinCacheHit')
        return async (...args: Parameters<RunStore['pinCacheHit']>) => {
          const pinned = await target.pinCacheHit(...args);
          await fire('after-pin');
          return pinned;
        };
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as RunStore;
}

/**
 * Deletes a run as DELETE /runs/{id} does: the store's transaction, then the files nobody uses any more.
 * Returns the second step, for a caller that wants to take it later (as the server does, a moment later).
 */
async function deleteRun(runId: string): Promise<() => void> {
  const result = await real.deleteRun(runId, [...FINAL_RUN_STATES]);
  if (result.outcome !== 'deleted') throw new Error(`could not delete ${runId}: ${result.outcome}`);
  return () => {
    for (const artifact of result.removedArtifacts)
      rmSync(fileURLToPath(artifact.uri), { force: true, recursive: true });
  };
}

async function run(engine: Engine): Promise<string> {
  const runId = await engine.submit(await compilePipeline(reusable), { parallelism: 2 });
  await engine.drive(runId);
  return runId;
}

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'sluice-cache-race-'));
  real = await openSqliteRunStore(join(home, 'sluice.db'));
});
afterEach(async () => {
  hook = undefined;
  await real.close();
});

function engineOver(store: RunStore): Engine {
  return new Engine({
    store,
    artifacts: new LocalArtifactStore(join(home, 'artifacts')),
    executor: new LocalExecutor(),
    home,
    ownerId: `test-${process.pid}`,
    now: () => new Date(),
  });
}

async function taskStates(runId: string): Promise<Record<string, string>> {
  const tasks = await real.getTasks(runId);
  return Object.fromEntries(
    tasks.filter((task) => task.parentId !== null).map((task) => [task.path, task.state]),
  );
}

async function copyText(runId: string): Promise<string> {
  const artifacts = await real.getArtifacts(runId);
  const consumed = (await real.getTasks(runId)).find((task) => task.path === 'consume')!;
  const copy = (consumed.outputs as { artifacts: { copy: { uri: string }[] } }).artifacts.copy[0]!;
  expect(artifacts.some((artifact) => artifact.uri === copy.uri)).toBe(true);
  return readFileSync(fileURLToPath(copy.uri), 'utf8');
}

describe('a cache hit while the run it reuses is deleted', () => {
  it('runs the task when the source run is deleted between finding the hit and recording it', async () => {
    const engine = engineOver(hooked(real));
    const first = await run(engine);
    // The rows go now; the files only after the engine checked they exist (the server's delete removes
    // them after its transaction): the hit looks whole until it is recorded.
    let removeFiles = () => {};
    hook = {
      when: 'after-find',
      action: async () => {
        removeFiles = await deleteRun(first);
      },
    };
    const second = await run(engine);
    removeFiles();
    expect(hook).toBeUndefined();
    expect((await real.getRun(second))?.state).toBe('SUCCEEDED');
    expect(await real.getRun(first)).toBeUndefined();
    // produce lost its source and ran; consume's source went with the same run, so it ran too.
    expect(await taskStates(second)).toEqual({ produce: 'SUCCEEDED', consume: 'SUCCEEDED' });
    expect(await copyText(second)).toBe('hello\n');
  });

  it('keeps the reused artifacts, moved to the new run, when the source run is deleted just after the hit is recorded', async () => {
    const engine = engineOver(hooked(real));
    const first = await run(engine);
    const firstArtifacts = await real.getArtifacts(first);
    hook = { when: 'after-pin', action: async () => (await deleteRun(first))() };
    const second = await run(engine);
    expect(hook).toBeUndefined();
    expect((await real.getRun(second))?.state).toBe('SUCCEEDED');
    // consume's source went with the first run (nothing of the second run used it yet), so consume ran.
    expect(await taskStates(second)).toEqual({ produce: 'CACHED', consume: 'SUCCEEDED' });
    const data = firstArtifacts.find((artifact) => artifact.name === 'data')!;
    const kept = (await real.getArtifacts(second)).find((artifact) => artifact.id === data.id);
    expect(kept?.runId).toBe(second);
    expect(readFileSync(fileURLToPath(data.uri), 'utf8')).toBe('hello\n');
    expect(await copyText(second)).toBe('hello\n');
  });
});
