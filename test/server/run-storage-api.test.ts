import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRunStore, type RunStore } from '../../src/store/index.ts';
import { at, makeRootTask, makeRun, makeTask } from '../contracts/run-store-records.ts';
import { type Client, openClient, sleepPipeline, specOf, textPipeline, waitForState } from './helpers.ts';

interface ListItem {
  runId: string;
  state: string;
  displayName: string | null;
  pipeline: string;
  createdAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  experimentId: string;
  storageState: string;
  pipelineVersionId: string | null;
  pipelineVersion: string | null;
  parameters: Record<string, unknown>;
  scalarMetrics: Record<string, number>;
}
interface Page {
  runs: ListItem[];
  nextPageToken?: string;
}
interface Artifact {
  artifactId: string;
  runId: string;
  uri: string;
  schemaTitle: string;
}
interface Deleted {
  runId: string;
  removedArtifacts: string[];
  removedLogDirectory: string | null;
  kept: { uri: string; reason: string; runIds: string[] }[];
  reassignedArtifacts: { artifactId: string; uri: string; runId: string }[];
}
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

const API = '/apis/v2beta1';
let client: Client;
/** A second connection to the server's store, for seeding runs without running them. */
let store: RunStore;

beforeAll(async () => {
  client = await openClient();
  store = await openSqliteRunStore(join(client.server.home, 'sluice.db'));
});
afterAll(async () => {
  await store.close();
  await client.server.close();
});

async function runText(text: string): Promise<string> {
  const created = await client.post<{ runId: string }>(`${API}/runs`, {
    pipelineSpec: await specOf(textPipeline),
    parameters: { text },
  });
  expect(created.status).toBe(200);
  await waitForState(client, created.body.runId, ['SUCCEEDED']);
  return created.body.runId;
}

async function artifactsOf(runId: string): Promise<Artifact[]> {
  const { status, body } = await client.json<{ artifacts: Artifact[] }>(`${API}/artifacts?runId=${runId}`);
  expect(status).toBe(200);
  return body.artifacts;
}

describe('deleting runs', () => {
  it("keeps the files another run's cache hit uses, and removes them with the last run", async () => {
    const source = await runText('shared by cache');
    const reuser = await runText('shared by cache');
    const reuserRun = await client.json<{ tasks: { name: string; state: string }[] }>(
      `${API}/runs/${reuser}`,
    );
    expect(reuserRun.body.tasks.find((task) => task.name === 'write-text')?.state).toBe('CACHED');
    const [artifact] = await artifactsOf(source);
    expect(artifact).toBeDefined();
    const file = fileURLToPath(artifact!.uri);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(client.server.home, 'runs', source))).toBe(true);

    const deleted = await client.json<Deleted>(`${API}/runs/${source}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.body.removedArtifacts).toEqual([]);
    expect(deleted.body.kept).toEqual([expect.objectContaining({ uri: artifact!.uri, runIds: [reuser] })]);
    expect(deleted.body.reassignedArtifacts).toEqual([
      { artifactId: artifact!.artifactId, uri: artifact!.uri, runId: reuser },
    ]);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(client.server.home, 'runs', source))).toBe(false);
    expect(deleted.body.removedLogDirectory).toBe(join(client.server.home, 'runs', source));
    expect((await client.json(`${API}/runs/${source}`)).status).toBe(404);

    // The reusing run is whole: its report, its artifact (now listed under it) and the download.
    const after = await client.json<{ state: string; tasks: { state: string }[] }>(`${API}/runs/${reuser}`);
    expect(after.body.state).toBe('SUCCEEDED');
    expect((await artifactsOf(reuser)).map((a) => a.artifactId)).toEqual([artifact!.artifactId]);
    const download = await client.request(`${API}/artifacts/${artifact!.artifactId}:download`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('shared by cache');
    const lineage = await client.json<{ artifacts: unknown[] }>(
      `${API}/lineage?uri=${encodeURIComponent(artifact!.uri)}`,
    );
    expect(lineage.status).toBe(200);

    const last = await client.json<Deleted>(`${API}/runs/${reuser}`, { method: 'DELETE' });
    expect(last.status).toBe(200);
    expect(last.body.removedArtifacts).toEqual([artifact!.uri]);
    expect(last.body.kept).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect((await client.json(`${API}/artifacts/${artifact!.artifactId}`)).status).toBe(404);
  });

  it('refuses to delete a run that is not final (409: cancel it first), then deletes it once canceled', async () => {
    const created = await client.post<{ runId: string }>(`${API}/runs`, {
      pipelineSpec: await specOf(sleepPipeline),
      parameters: { seconds: 30 },
    });
    const runId = created.body.runId;
    await waitForState(client, runId, ['RUNNING']);
    const refused = await client.json<ErrorBody>(`${API}/runs/${runId}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'RUN_NOT_FINAL', field: 'runId' });
    expect(refused.body.error.message).toContain('cancel it first');
    expect((await client.json(`${API}/runs/${runId}`)).status).toBe(200);

    await client.post(`${API}/runs/${runId}:cancel`, {});
    await waitForState(client, runId, ['CANCELED']);
    let deleted = await client.json<Deleted>(`${API}/runs/${runId}`, { method: 'DELETE' });
    // The driver may still be finishing its last write when the run reads CANCELED.
    for (let tries = 0; deleted.status === 409 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      deleted = await client.json<Deleted>(`${API}/runs/${runId}`, { method: 'DELETE' });
    }
    expect(deleted.status).toBe(200);
    expect((await client.json(`${API}/runs/${runId}`)).status).toBe(404);
  });
});

describe('archiving runs', () => {
  it('hides an archived run from the default list and shows it when asked for', async () => {
    const runId = await runText('archive me');
    const ids = async (query = '') =>
      (await client.json<Page>(`${API}/runs?pageSize=1000${query}`)).body.runs.map((run) => run.runId);
    expect(await ids()).toContain(runId);

    const archived = await client.post<ListItem>(`${API}/runs/${runId}:archive`, {});
    expect(archived.status).toBe(200);
    expect(archived.body.storageState).toBe('ARCHIVED');
    expect(await ids()).not.toContain(runId);
    expect(await ids('&storageState=ARCHIVED')).toEqual([runId]);
    expect(await ids('&storageState=ALL')).toContain(runId);
    expect(await ids('&storageState=AVAILABLE')).not.toContain(runId);
    // Still readable by id.
    const got = await client.json<{ storageState: string }>(`${API}/runs/${runId}`);
    expect(got.body.storageState).toBe('ARCHIVED');

    const restored = await client.post<ListItem>(`${API}/runs/${runId}:unarchive`, {});
    expect(restored.body.storageState).toBe('AVAILABLE');
    expect(await ids()).toContain(runId);
    expect(await ids('&storageState=ARCHIVED')).toEqual([]);
  });
});

describe('list items', () => {
  it('carry duration, parameters, pipeline version, experiment, storage state and scalar metrics', async () => {
    const runId = await runText('rich item');
    const { body } = await client.json<Page>(`${API}/runs?pageSize=1000`);
    const item = body.runs.find((run) => run.runId === runId)!;
    expect(item).toMatchObject({
      pipeline: 'text-pipeline',
      experimentId: 'default',
      storageState: 'AVAILABLE',
      parameters: { text: 'rich item' },
      pipelineVersion: expect.stringMatching(/^v\d+$/),
      pipelineVersionId: expect.any(String),
      scalarMetrics: {},
    });
    expect(item.durationMs).toBe(Date.parse(item.finishedAt!) - Date.parse(item.createdAt));

    // Metrics come from the tasks' recorded outputs: numbers only, keyed task path / metric name.
    const seeded = makeRun('metrics-run', { state: 'SUCCEEDED', createdAt: at(5), finishedAt: at(9) });
    await store.createRun(seeded, makeRootTask(seeded.id), []);
    await store.commit({
      runId: seeded.id,
      newTasks: [
        makeTask(seeded.id, 'metrics-run/train', {
          path: 'train',
          state: 'SUCCEEDED',
          outputs: {
            artifacts: {
              metrics: [
                {
                  uri: 'file:///nowhere/metrics',
                  schemaTitle: 'system.Metrics',
                  metadata: { accuracy: 0.93, loss: 0.2, note: 'text is skipped' },
                },
              ],
              model: [{ uri: 'file:///nowhere/model', schemaTitle: 'system.Model', metadata: { size: 3 } }],
            },
          },
        }),
        makeTask(seeded.id, 'metrics-run/eval', {
          path: 'loop[0]/eval',
          state: 'CACHED',
          outputs: {
            artifacts: {
              scores: [{ uri: 'file:///nowhere/s', schemaTitle: 'system.Metrics', metadata: { f1: 0.5 } }],
            },
          },
        }),
      ],
    });
    const listed = (await client.json<Page>(`${API}/runs?pageSize=1000`)).body.runs.find(
      (run) => run.runId === seeded.id,
    )!;
    expect(listed.scalarMetrics).toEqual({
      'train/accuracy': 0.93,
      'train/loss': 0.2,
      'loop[0]/eval/f1': 0.5,
    });
    expect(listed.durationMs).toBe(4000);
    expect(listed.pipelineVersionId).toBeNull();
    const got = await client.json<{ scalarMetrics: Record<string, number> }>(`${API}/runs/${seeded.id}`);
    expect(got.body.scalarMetrics).toEqual(listed.scalarMetrics);
  });
});

describe('sorting and paging runs', () => {
  it('walks every run exactly once, in order, for each sortBy and direction', async () => {
    const names = ['beta', null, 'alpha', 'beta', null, 'Zed', 'gamma'];
    const states = ['SUCCEEDED', 'FAILED', 'CANCELED', 'RUNNING', 'PENDING'];
    for (let index = 0; index < 23; index++) {
      const run = makeRun(`sort-${String(index).padStart(2, '0')}`, {
        pipelineName: index % 3 === 0 ? 'pipe-b' : 'pipe-a',
        displayName: names[index % names.length]!,
        state: states[index % states.length]!,
        // Several runs share a creation instant and a finish instant; some never finished.
        createdAt: at(1000 + Math.floor(index / 3)),
        finishedAt: index % 4 === 0 ? null : at(2000 + (index % 5)),
      });
      await store.createRun(run, makeRootTask(run.id), []);
    }
    const { body: all } = await client.json<Page>(`${API}/runs?pageSize=1000&storageState=ALL`);
    expect(all.runs.length).toBeGreaterThanOrEqual(23);
    const keyOf: Record<string, (run: ListItem) => string> = {
      created_at: (run) => run.createdAt,
      name: (run) => run.displayName ?? run.pipeline,
      state: (run) => run.state,
      finished_at: (run) => run.finishedAt ?? '',
    };
    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    for (const field of Object.keys(keyOf)) {
      for (const direction of ['asc', 'desc']) {
        const sign = direction === 'asc' ? 1 : -1;
        const expected = [...all.runs]
          .sort((a, b) => sign * (compare(keyOf[field]!(a), keyOf[field]!(b)) || compare(a.runId, b.runId)))
          .map((run) => run.runId);
        const seen: string[] = [];
        let token: string | undefined;
        for (let pages = 0; pages < 100; pages++) {
          const query = new URLSearchParams({
            pageSize: '4',
            storageState: 'ALL',
            sortBy: `${field} ${direction}`,
          });
          if (token !== undefined) query.set('pageToken', token);
          const { status, body } = await client.json<Page>(`${API}/runs?${query}`);
          expect(status).toBe(200);
          seen.push(...body.runs.map((run) => run.runId));
          token = body.nextPageToken;
          if (token === undefined) break;
        }
        expect(seen, `${field} ${direction}`).toEqual(expected);
        expect(new Set(seen).size).toBe(seen.length);
      }
    }
    // A filter and a sort together, still paged exactly.
    const filtered: string[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ pageSize: '2', pipeline: 'pipe-b', sortBy: 'name' });
      if (token !== undefined) query.set('pageToken', token);
      const { body } = await client.json<Page>(`${API}/runs?${query}`);
      filtered.push(...body.runs.map((run) => run.runId));
      token = body.nextPageToken;
    } while (token !== undefined);
    expect([...filtered].sort()).toEqual([
      'sort-00',
      'sort-03',
      'sort-06',
      'sort-09',
      'sort-12',
      'sort-15',
      'sort-18',
      'sort-21',
    ]);

    // A token carries its sort: using it with another sortBy is refused, naming pageToken.
    const first = await client.json<Page>(`${API}/runs?pageSize=2&sortBy=name%20asc`);
    const mismatch = await client.json<ErrorBody>(
      `${API}/runs?pageSize=2&sortBy=state&pageToken=${first.body.nextPageToken}`,
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.field).toBe('pageToken');
  });
});

describe('artifact list', () => {
  it('lists artifacts newest first, by run and by type, paged', async () => {
    const one = await runText('artifact one');
    const two = await runText('artifact two');
    const ofOne = await artifactsOf(one);
    expect(ofOne).toEqual([expect.objectContaining({ runId: one, schemaTitle: 'system.Dataset' })]);
    const datasets = await client.json<{ artifacts: Artifact[] }>(
      `${API}/artifacts?type=system.Dataset&pageSize=1000`,
    );
    const ids = datasets.body.artifacts.map((artifact) => artifact.runId);
    expect(ids.indexOf(two)).toBeLessThan(ids.indexOf(one));
    expect(datasets.body.artifacts.every((artifact) => artifact.schemaTitle === 'system.Dataset')).toBe(true);
    const models = await client.json<{ artifacts: Artifact[] }>(`${API}/artifacts?type=system.Model`);
    expect(models.body.artifacts).toEqual([]);

    const walked: string[] = [];
    let token: string | undefined;
    do {
      const { body } = await client.json<{ artifacts: Artifact[]; nextPageToken?: string }>(
        `${API}/artifacts?pageSize=1${token ? `&pageToken=${token}` : ''}`,
      );
      expect(body.artifacts.length).toBeLessThanOrEqual(1);
      walked.push(...body.artifacts.map((artifact) => artifact.artifactId));
      token = body.nextPageToken;
    } while (token !== undefined);
    const everything = await client.json<{ artifacts: Artifact[] }>(`${API}/artifacts?pageSize=1000`);
    expect(walked).toEqual(everything.body.artifacts.map((artifact) => artifact.artifactId));
    expect(walked.length).toBeGreaterThanOrEqual(2);
  });
});
