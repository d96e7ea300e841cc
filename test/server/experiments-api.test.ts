import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import { openDefaultEngine } from '../../src/engine/index.ts';
import { type Client, openClient, specOf, textPipeline, waitForState } from './helpers.ts';

interface Experiment {
  experimentId: string;
  name: string;
  description: string | null;
  storageState: string;
  runCount: number;
}
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}
interface Page {
  runs: { runId: string; experimentId: string; storageState: string }[];
}

const API = '/apis/v2beta1';
let client: Client;
beforeAll(async () => {
  client = await openClient();
});
afterAll(async () => {
  await client.server.close();
});

async function createExperiment(name: string, description?: string): Promise<Experiment> {
  const { status, body } = await client.post<Experiment>(`${API}/experiments`, {
    name,
    ...(description === undefined ? {} : { description }),
  });
  expect(status).toBe(200);
  return body;
}

async function runIn(experimentId: string | undefined, text = 'x'): Promise<string> {
  const created = await client.post<{ runId: string; experimentId: string }>(`${API}/runs`, {
    pipelineSpec: await specOf(textPipeline),
    parameters: { text },
    ...(experimentId === undefined ? {} : { experimentId }),
  });
  expect(created.status).toBe(200);
  expect(created.body.experimentId).toBe(experimentId ?? 'default');
  await waitForState(client, created.body.runId, ['SUCCEEDED']);
  return created.body.runId;
}

const runIds = async (query: string) =>
  (await client.json<Page>(`${API}/runs?pageSize=1000${query}`)).body.runs.map((run) => run.runId);

describe('experiments', () => {
  it('has a Default experiment that takes API runs without one and CLI runs', async () => {
    const listed = await client.json<{ experiments: Experiment[] }>(`${API}/experiments`);
    expect(listed.body.experiments).toContainEqual(
      expect.objectContaining({ experimentId: 'default', name: 'Default', storageState: 'AVAILABLE' }),
    );
    const apiRun = await runIn(undefined);

    // A run the CLI makes: the engine on the same home, no experiment given.
    const cli = await openDefaultEngine({ home: client.server.home });
    let cliRun: string;
    try {
      cliRun = await cli.engine.submit(await compilePipeline(textPipeline), { parameters: { text: 'cli' } });
    } finally {
      await cli.close();
    }
    const inDefault = await runIds('&experimentId=default');
    expect(inDefault).toContain(apiRun);
    expect(inDefault).toContain(cliRun);
    const got = await client.json<Experiment>(`${API}/experiments/default`);
    expect(got.body.runCount).toBeGreaterThanOrEqual(2);

    const deleteDefault = await client.json<ErrorBody>(`${API}/experiments/default`, { method: 'DELETE' });
    expect(deleteDefault.status).toBe(409);
    expect(deleteDefault.body.error.field).toBe('experimentId');
    expect((await client.post(`${API}/experiments/default:archive`, {})).status).toBe(409);
  });

  it('creates, gets and lists experiments; names are unique', async () => {
    const created = await createExperiment('tuning', 'learning-rate sweep');
    expect(created).toMatchObject({ name: 'tuning', description: 'learning-rate sweep', runCount: 0 });
    const got = await client.json<Experiment>(`${API}/experiments/${created.experimentId}`);
    expect(got.body).toEqual(created);
    const again = await client.post<ErrorBody>(`${API}/experiments`, { name: 'tuning' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'EXPERIMENT_NAME_TAKEN', field: 'name' });

    for (const name of ['e-1', 'e-2', 'e-3']) await createExperiment(name);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const { body } = await client.json<{ experiments: Experiment[]; nextPageToken?: string }>(
        `${API}/experiments?pageSize=2${token ? `&pageToken=${token}` : ''}`,
      );
      names.push(...body.experiments.map((experiment) => experiment.name));
      token = body.nextPageToken;
    } while (token !== undefined);
    expect(names.slice(0, 4)).toEqual(['e-3', 'e-2', 'e-1', 'tuning']);
    expect(new Set(names).size).toBe(names.length);
  });

  it('puts runs in an experiment, filters by it, and refuses unknown experiments naming the field', async () => {
    const experiment = await createExperiment('filtering');
    // Known but empty: an empty page, not a 404.
    const empty = await client.json<Page>(`${API}/runs?experimentId=${experiment.experimentId}`);
    expect(empty.status).toBe(200);
    expect(empty.body.runs).toEqual([]);
    const inside = await runIn(experiment.experimentId, 'inside');
    const outside = await runIn(undefined, 'outside');
    expect(await runIds(`&experimentId=${experiment.experimentId}`)).toEqual([inside]);
    expect(await runIds('&experimentId=default')).toContain(outside);
    expect(await runIds('&experimentId=default')).not.toContain(inside);
    const detail = await client.json<{ experimentId: string }>(`${API}/runs/${inside}`);
    expect(detail.body.experimentId).toBe(experiment.experimentId);

    const unknown = await client.post<ErrorBody>(`${API}/runs`, {
      pipelineSpec: await specOf(textPipeline),
      experimentId: 'no-such-experiment',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'EXPERIMENT_NOT_FOUND', field: 'experimentId' });
    const listUnknown = await client.json<ErrorBody>(`${API}/runs?experimentId=no-such-experiment`);
    expect(listUnknown.status).toBe(404);
    expect(listUnknown.body.error.field).toBe('experimentId');
  });

  it('refuses to delete an experiment with runs, naming how many, and deletes it once they are gone', async () => {
    const experiment = await createExperiment('doomed');
    const first = await runIn(experiment.experimentId, 'one');
    const second = await runIn(experiment.experimentId, 'two');
    const refused = await client.json<ErrorBody>(`${API}/experiments/${experiment.experimentId}`, {
      method: 'DELETE',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('EXPERIMENT_HAS_RUNS');
    expect(refused.body.error.message).toContain('has 2 runs');

    expect((await client.json(`${API}/runs/${first}`, { method: 'DELETE' })).status).toBe(200);
    const stillOne = await client.json<ErrorBody>(`${API}/experiments/${experiment.experimentId}`, {
      method: 'DELETE',
    });
    expect(stillOne.body.error.message).toContain('has 1 run ');
    expect((await client.json(`${API}/runs/${second}`, { method: 'DELETE' })).status).toBe(200);
    const deleted = await client.json<{ deleted: boolean }>(`${API}/experiments/${experiment.experimentId}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted).toBe(true);
    expect((await client.json(`${API}/experiments/${experiment.experimentId}`)).status).toBe(404);
  });

  it('archives an experiment with its runs; unarchiving keeps the runs archived', async () => {
    const experiment = await createExperiment('shelved');
    const runId = await runIn(experiment.experimentId, 'shelved run');
    const archived = await client.post<{ experiment: Experiment; archivedRuns: number }>(
      `${API}/experiments/${experiment.experimentId}:archive`,
      {},
    );
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ experiment: { storageState: 'ARCHIVED' }, archivedRuns: 1 });
    expect(await runIds('')).not.toContain(runId);
    expect(await runIds('&storageState=ARCHIVED')).toContain(runId);
    const available = await client.json<{ experiments: Experiment[] }>(`${API}/experiments?pageSize=1000`);
    expect(available.body.experiments.map((e) => e.experimentId)).not.toContain(experiment.experimentId);
    const archivedList = await client.json<{ experiments: Experiment[] }>(
      `${API}/experiments?storageState=ARCHIVED`,
    );
    expect(archivedList.body.experiments.map((e) => e.experimentId)).toEqual([experiment.experimentId]);

    // No new runs in an archived experiment, and its runs stay archived while it is.
    const refused = await client.post<ErrorBody>(`${API}/runs`, {
      pipelineSpec: await specOf(textPipeline),
      experimentId: experiment.experimentId,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.field).toBe('experimentId');
    expect((await client.post<ErrorBody>(`${API}/runs/${runId}:unarchive`, {})).status).toBe(409);

    const restored = await client.post<{ experiment: Experiment; archivedRuns: number }>(
      `${API}/experiments/${experiment.experimentId}:unarchive`,
      {},
    );
    expect(restored.body).toMatchObject({ experiment: { storageState: 'AVAILABLE' }, archivedRuns: 0 });
    expect(await runIds('')).not.toContain(runId);
    expect((await client.post(`${API}/runs/${runId}:unarchive`, {})).status).toBe(200);
    expect(await runIds('')).toContain(runId);
  });
});
