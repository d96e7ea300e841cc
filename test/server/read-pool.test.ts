/**
 * get-run, list-runs and run graphs on read workers (threads with their own connection to the store file): the same
 * bytes as inline, errors with the same status and field, kept answers dropped as soon as anything commits
 * (through the server or another connection), and every read still answered inline when workers cannot
 * start.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadPool } from '../../src/server/read-pool.ts';
import { openSqliteRunStore } from '../../src/store/index.ts';
import { type Client, openClient, specOf, tempHome, textPipeline, waitForState } from './helpers.ts';

const API = '/apis/v2beta1';

interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

let client: Client;
let home: string;
const runIds: string[] = [];

async function workersReady(count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  // Reads start the workers (startAtRate 0: the first read does); they are ready once their store is open.
  while (client.server.readStats().readyWorkers < count) {
    if (Date.now() > deadline) throw new Error('read workers did not start within 60 s');
    await client.request(`${API}/runs?pageSize=1`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  home = tempHome();
  client = await openClient({ home, readWorkers: { size: 2, startAtRate: 0 } });
  const spec = await specOf(textPipeline);
  for (const text of ['one', 'two', 'three']) {
    const created = await client.post<{ runId: string }>(`${API}/runs`, {
      pipelineSpec: spec,
      parameters: { text },
    });
    expect(created.status).toBe(200);
    runIds.push(created.body.runId);
  }
  for (const runId of runIds) await waitForState(client, runId, ['SUCCEEDED']);
  await workersReady(2);
}, 120_000);

afterAll(async () => {
  await client?.server.close();
});

describe('reads on worker threads', () => {
  it('answer get-run and list-runs with the bytes the server thread would', async () => {
    const store = await openSqliteRunStore(join(home, 'sluice.db'));
    const inline = new ReadPool({ store, size: 0, startAtRate: 0 });
    try {
      // A commit first, so that no kept answer (waitForState read these runs) stands in for a worker's.
      expect((await client.post(`${API}/experiments`, { name: 'bytes' })).status).toBe(200);
      const before = client.server.readStats().worker;
      for (const runId of runIds) {
        const response = await client.request(`${API}/runs/${runId}`);
        expect(response.headers.get('content-type')).toBe('application/json');
        expect(await response.text()).toBe(await inline.read({ kind: 'getRun', runId }));
      }
      const listed = await client.request(`${API}/runs?pageSize=2&sortBy=created_at%20asc`);
      const page = await inline.read({
        kind: 'listRuns',
        query: { pageSize: 2, sortBy: 'created_at asc' },
      });
      expect(await listed.text()).toBe(page);
      const graph = await client.request(`${API}/runs/${runIds[0]}/graph`);
      expect(await graph.text()).toBe(await inline.read({ kind: 'runGraph', runId: runIds[0]! }));
      const noGraph = await client.json<ApiErrorBody>(`${API}/runs/no-such-run/graph`);
      expect([noGraph.status, noGraph.body.error.code]).toEqual([404, 'RUN_NOT_FOUND']);
      expect(JSON.parse(page).nextPageToken).toEqual(expect.any(String));
      expect(client.server.readStats().worker).toBeGreaterThanOrEqual(before + 5);
    } finally {
      await store.close();
    }
  });

  it('report errors with the status and field they have inline', async () => {
    const missing = await client.json<ApiErrorBody>(`${API}/runs/no-such-run`);
    expect([missing.status, missing.body.error.code, missing.body.error.field]).toEqual([
      404,
      'RUN_NOT_FOUND',
      'runId',
    ]);
    const badToken = await client.json<ApiErrorBody>(`${API}/runs?pageToken=bm9wZQ`);
    expect([badToken.status, badToken.body.error.field]).toEqual([400, 'pageToken']);
    const foreign = await client.json<ApiErrorBody>(
      `${API}/runs?pageSize=1&sortBy=name&pageToken=${
        (await client.json<{ nextPageToken: string }>(`${API}/runs?pageSize=1`)).body.nextPageToken
      }`,
    );
    expect([foreign.status, foreign.body.error.field]).toEqual([400, 'pageToken']);
  });

  it('never answer from a kept copy once anything committed', async () => {
    const list = async () =>
      (await client.json<{ runs: { runId: string }[] }>(`${API}/runs`)).body.runs.map((run) => run.runId);
    // Asked twice with nothing committed between: the second answer is the first one, kept.
    expect((await list()).sort()).toEqual([...runIds].sort());
    const kept = client.server.readStats().kept;
    expect((await list()).sort()).toEqual([...runIds].sort());
    expect(client.server.readStats().kept).toBe(kept + 1);
    const archived = await client.json(`${API}/runs/${runIds[0]}:archive`, { method: 'POST' });
    expect(archived.status).toBe(200);
    for (let asked = 0; asked < 6; asked++) expect(await list()).not.toContain(runIds[0]);
    const run = await client.json<{ storageState: string }>(`${API}/runs/${runIds[0]}`);
    expect(run.body.storageState).toBe('ARCHIVED');
    await client.json(`${API}/runs/${runIds[0]}:unarchive`, { method: 'POST' });
    for (let asked = 0; asked < 6; asked++) expect(await list()).toContain(runIds[0]);
  });

  it('see a commit made through another connection to the file', async () => {
    const list = async () =>
      (await client.json<{ runs: { runId: string }[] }>(`${API}/runs`)).body.runs.map((run) => run.runId);
    expect(await list()).toContain(runIds[2]);
    expect(await list()).toContain(runIds[2]);
    // As `sluice` in another process would: its own connection, its own commit.
    const other = await openSqliteRunStore(join(home, 'sluice.db'));
    try {
      expect(await other.setRunStorageState(runIds[2]!, 'ARCHIVED')).toBe(true);
    } finally {
      await other.close();
    }
    expect(await list()).not.toContain(runIds[2]);
    const run = await client.json<{ storageState: string }>(`${API}/runs/${runIds[2]}`);
    expect(run.body.storageState).toBe('ARCHIVED');
  });
});

describe('answers kept by a read pool', () => {
  it('are reused until a commit, and only the most recent 256 are kept', async () => {
    const store = await openSqliteRunStore(join(home, 'sluice.db'));
    const pool = new ReadPool({ store, size: 0, startAtRate: 0 });
    try {
      const page = (pageSize: number) => pool.read({ kind: 'listRuns', query: { pageSize } });
      const first = await page(1);
      expect(await page(1)).toBe(first);
      expect(pool.counts).toMatchObject({ inline: 1, kept: 1 });
      for (let pageSize = 2; pageSize <= 257; pageSize++) await page(pageSize);
      // 257 answers asked for: the oldest, pageSize=1, made room for the newest.
      await page(257);
      expect(pool.counts.kept).toBe(2);
      await page(1);
      expect(pool.counts.kept).toBe(2);
      expect(await store.setRunStorageState(runIds[1]!, 'ARCHIVED')).toBe(true);
      const after = JSON.parse(await page(257)) as { runs: { runId: string }[] };
      expect(pool.counts.kept).toBe(2);
      expect(after.runs.map((run) => run.runId)).not.toContain(runIds[1]);
      expect(await store.setRunStorageState(runIds[1]!, 'AVAILABLE')).toBe(true);
    } finally {
      await pool.close();
      await store.close();
    }
  });
});

describe('a read pool whose workers cannot open the store', () => {
  it('answers every read inline and says why once it gives up on workers', async () => {
    const store = await openSqliteRunStore(join(home, 'sluice.db'));
    const lines: string[] = [];
    // A directory where the database file should be: every worker fails to open it.
    const pool = new ReadPool({
      store,
      storePath: mkdtempSync(join(tmpdir(), 'sluice-not-a-db-')),
      size: 1,
      startAtRate: 0,
      log: (line) => lines.push(line),
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!lines.some((line) => line.includes('reads run on the main thread'))) {
        if (Date.now() > deadline) throw new Error(`the pool did not give up: ${lines.join('; ')}`);
        const json = await pool.read({ kind: 'getRun', runId: runIds[1]! });
        expect(JSON.parse(json)).toMatchObject({ runId: runIds[1], state: 'SUCCEEDED' });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(lines.filter((line) => line.includes('read worker failed'))).toHaveLength(3);
      expect(pool.readyWorkers).toBe(0);
      expect(pool.counts.worker).toBe(0);
      expect(pool.counts.inline).toBeGreaterThan(0);
    } finally {
      await pool.close();
      await store.close();
    }
  });
});
