/**
 * SqliteRunStore: the shared RunStore contract on a temp file and on `:memory:`, then what is SQLite's own:
 * the file and its settings, migrations over old and newer files, and several processes on one file.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteRunStore } from '../../src/store/index.ts';
import { openSqliteDatabase } from '../../src/store/sqlite/sqlite-database.ts';
import { runStoreContract } from '../contracts/run-store.contract.ts';
import { at, makeRootTask, makeRun, makeTask, transition } from '../contracts/run-store-records.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const fixtures = join(repoRoot, 'test/fixtures/store');
const tempRoot = mkdtempSync(join(tmpdir(), 'sluice-store-'));
let tempCount = 0;

/** A path in a fresh directory that does not exist yet (the store must create it). */
function freshDbPath(): string {
  return join(tempRoot, `case-${++tempCount}`, 'nested', 'sluice.db');
}

afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

runStoreContract('SqliteRunStore (file)', () => openSqliteRunStore(freshDbPath()));
runStoreContract('SqliteRunStore (:memory:)', () => openSqliteRunStore(':memory:'));

describe('SqliteRunStore file', () => {
  it('creates the parent directory, and the data survives close and reopen', async () => {
    const path = freshDbPath();
    const first = await openSqliteRunStore(path);
    await first.createRun(makeRun('run-1'), makeRootTask('run-1'), [transition('run-1', null, 'PENDING')]);
    await first.close();
    expect(existsSync(path)).toBe(true);

    const second = await openSqliteRunStore(path);
    expect((await second.getRun('run-1'))?.id).toBe('run-1');
    expect(await second.getTransitions('run-1')).toHaveLength(1);
    await second.close();
  });

  it('opens with WAL, synchronous=NORMAL, a busy timeout and foreign keys on', () => {
    const sqlite = openSqliteDatabase(freshDbPath());
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(10_000);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    sqlite.close();
  });

  it('records each migration once, however often migrate() runs', async () => {
    const path = freshDbPath();
    const store = await openSqliteRunStore(path);
    await store.migrate();
    await store.migrate();
    await store.close();
    const sqlite = new Database(path, { readonly: true });
    const names = sqlite.prepare('select name from kysely_migration order by name').pluck().all();
    expect(names.slice(0, 2)).toEqual(['001-initial', '002-experiments-archive']);
    expect(new Set(names).size).toBe(names.length);
    sqlite.close();
  });

  it('lets two stores in one process open a new file at the same time', async () => {
    const path = freshDbPath();
    const started = Date.now();
    const stores = await Promise.all([openSqliteRunStore(path), openSqliteRunStore(path)]);
    expect(Date.now() - started).toBeLessThan(5_000);
    await stores[0].createRun(makeRun('run-1'), makeRootTask('run-1'), []);
    expect((await stores[1].getRun('run-1'))?.id).toBe('run-1');
    await Promise.all(stores.map((store) => store.close()));
  });

  it('refuses a database written by a newer Sluice, saying so', async () => {
    const path = freshDbPath();
    await (await openSqliteRunStore(path)).close();
    const sqlite = new Database(path);
    sqlite.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('999-future', at(0));
    sqlite.close();
    await expect(openSqliteRunStore(path)).rejects.toMatchObject({
      code: 'STORE_MIGRATION_FAILED',
      message: expect.stringContaining('written by a newer Sluice'),
    });
  });

  it('rejects a task whose run does not exist (foreign keys are enforced)', async () => {
    const store = await openSqliteRunStore(':memory:');
    await expect(store.commit({ runId: 'ghost', newTasks: [makeTask('ghost', 'a')] })).rejects.toThrow(
      /FOREIGN KEY/,
    );
    await store.close();
  });
});

describe('SqliteRunStore compatibility with old files', () => {
  it('opens and extends a database written by schema version 1 (test/fixtures/store/v1.sqlite)', async () => {
    // A copy: opening migrates and switches to WAL, and the fixture must stay as version 1 wrote it.
    const path = freshDbPath();
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(join(fixtures, 'v1.sqlite'), path);

    const store = await openSqliteRunStore(path);
    expect((await store.listRuns()).map((run) => [run.id, run.state, run.pipelineName])).toEqual([
      ['v1-run-2', 'RUNNING', 'hello-world'],
      ['v1-run-1', 'SUCCEEDED', 'hello-world'],
    ]);
    const run = await store.getRun('v1-run-1');
    expect(run).toMatchObject({ parameters: { message: 'hi' }, finishedAt: '2026-01-01T00:01:00.000Z' });
    const tasks = await store.getTasks('v1-run-1');
    expect(tasks.map((task) => [task.path, task.state])).toEqual([
      ['', 'SUCCEEDED'],
      ['print-msg', 'SUCCEEDED'],
    ]);
    const hit = await store.findCacheHit('f'.repeat(64), ['SUCCEEDED']);
    expect(hit?.task.id).toBe('v1-run-1/print-msg');
    expect(hit?.artifacts.map((artifact) => artifact.name)).toEqual(['out']);
    expect((await store.getTransitions('v1-run-1')).map((t) => t.to)).toEqual([
      'PENDING',
      'RUNNING',
      'SUCCEEDED',
    ]);
    expect((await store.getLineage({ runId: 'v1-run-1' })).map((event) => event.kind)).toEqual(['OUTPUT']);

    await store.commit({ runId: 'v1-run-2', runPatch: { state: 'SUCCEEDED' } });
    expect((await store.getRun('v1-run-2'))?.state).toBe('SUCCEEDED');

    // Schema 2 on a version-1 file: its runs are in Default, available, with no known version.
    const summaries = await store.listRunSummaries({ experimentId: 'default', storageState: 'AVAILABLE' });
    expect(summaries.map((summary) => [summary.id, summary.pipelineVersionId])).toEqual([
      ['v1-run-2', null],
      ['v1-run-1', null],
    ]);
    expect((await store.getExperiment('default'))?.runCount).toBe(2);
    await store.close();
  });
});

/** A worker process (test/fixtures/store/store-worker.ts), started and waiting for `go`. */
interface Worker {
  child: ChildProcessWithoutNullStreams;
  nextLine: () => Promise<string>;
}

function startWorker(...args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, 'store-worker.ts'), ...args], {
    cwd: repoRoot,
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`worker ${args.join(' ')} ended early: ${stderr}`);
    return value as string;
  };
  return { child, nextLine };
}

/** Starts workers, waits until all are ready, tells them one start instant, and returns their JSON results. */
async function race<Result>(
  argsList: string[][],
  options: { startAfterOpen?: boolean } = {},
): Promise<Result[]> {
  const workers = argsList.map((args) => startWorker(...args));
  try {
    for (const worker of workers) expect(await worker.nextLine()).toBe('ready');
    const go = Date.now() + 200;
    for (const worker of workers) worker.child.stdin.write(`go ${go}\n`);
    if (options.startAfterOpen) {
      for (const worker of workers) expect(await worker.nextLine()).toBe('opened');
      const start = Date.now() + 50;
      for (const worker of workers) worker.child.stdin.write(`start ${start}\n`);
    }
    return await Promise.all(workers.map(async (worker) => JSON.parse(await worker.nextLine()) as Result));
  } finally {
    for (const worker of workers) worker.child.stdin.end();
  }
}

/** Starting two `node --import tsx` processes takes seconds on a loaded machine. */
const PROCESS_TEST_TIMEOUT_MS = 90_000;

describe('SqliteRunStore across processes', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('gives each run to exactly one of two processes claiming it at once', async () => {
    const path = freshDbPath();
    const rounds = 50;
    const store = await openSqliteRunStore(path);
    for (let i = 0; i < rounds; i++) {
      await store.createRun(makeRun(`race-${i}`), makeRootTask(`race-${i}`), []);
    }

    const [a, b] = await race<{ won: boolean[]; errors: string[] }>([
      ['claim', path, 'engine-a', String(rounds)],
      ['claim', path, 'engine-b', String(rounds)],
    ]);
    expect([...a!.errors, ...b!.errors]).toEqual([]);
    for (let i = 0; i < rounds; i++) {
      expect([a!.won[i], b!.won[i]].filter(Boolean)).toHaveLength(1);
      const owner = (await store.getRun(`race-${i}`))?.ownerId;
      expect(owner).toBe(a!.won[i] ? 'engine-a' : 'engine-b');
    }
    await store.close();
  });

  it('opens new files from four processes at once, every time (the switch to WAL is retried)', async () => {
    const path = freshDbPath();
    const files = 25;
    const results = await race<{ opened: number; errors: string[] }>(
      ['a', 'b', 'c', 'd'].map((owner) => ['open', path, owner, String(files)]),
    );
    expect(results.flatMap((result) => result.errors)).toEqual([]);
    expect(results.map((result) => result.opened)).toEqual([files, files, files, files]);
  });

  it('migrates a new file from two processes at once, then lands every commit of both', async () => {
    const path = freshDbPath();
    const batches = 200;
    const [a, b] = await race<{ committed: number; errors: string[]; startedAt: number; endedAt: number }>(
      [
        ['commit', path, 'engine-a', String(batches)],
        ['commit', path, 'engine-b', String(batches)],
      ],
      { startAfterOpen: true },
    );
    expect([a!.committed, b!.committed, ...a!.errors, ...b!.errors]).toEqual([batches, batches]);
    // The two processes were writing during the same time, not one after the other.
    expect(a!.startedAt).toBeLessThan(b!.endedAt);
    expect(b!.startedAt).toBeLessThan(a!.endedAt);
    const store = await openSqliteRunStore(path);
    for (const owner of ['engine-a', 'engine-b']) {
      expect(await store.getTasks(`commit-${owner}`)).toHaveLength(batches + 1);
      expect(await store.getTransitions(`commit-${owner}`)).toHaveLength(batches + 1);
    }
    await store.close();
  });
});
