/**
 * Recurring runs and triggers over real HTTP on 127.0.0.1, in real time: a per-second schedule makes runs
 * while the server runs and none once paused; webhook triggers need their secret and de-duplicate; a
 * watched directory fires once per new or changed file.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, openClient, specOf, textPipeline, waitForState } from './helpers.ts';

const API = '/apis/v2beta1';

interface RecurringRun {
  recurringRunId: string;
  name: string;
  status: string;
  nextFireTimes: { at: string; description: string }[];
  parameters: Record<string, unknown>;
  maxConcurrency: number;
}
interface History {
  slots: { slotTime: string; state: string; runId: string; runState: string | null }[];
}
interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

let client: Client;
let versionId: string;
let pipelineId: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function patch<T>(path: string, body: unknown) {
  return client.json<T>(path, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  client = await openClient();
  const uploaded = await client.post<{
    pipeline: { pipelineId: string };
    version: { pipelineVersionId: string };
  }>(`${API}/pipelines`, { pipelineSpec: await specOf(textPipeline) });
  expect(uploaded.status).toBe(200);
  versionId = uploaded.body.version.pipelineVersionId;
  pipelineId = uploaded.body.pipeline.pipelineId;
});
afterAll(async () => {
  await client.server.close();
});

describe('recurring runs over HTTP', () => {
  it('a per-second schedule produces runs while the server runs, and none after pause', async () => {
    const created = await client.post<RecurringRun>(`${API}/recurringruns`, {
      name: 'every-second',
      pipelineVersionId: versionId,
      cron: '*/1 * * * * *',
      parameters: { text: 'tick' },
      maxConcurrency: 5,
    });
    expect(created.status).toBe(200);
    const id = created.body.recurringRunId;
    const history = async () => (await client.json<History>(`${API}/recurringruns/${id}/runs`)).body.slots;
    await waitFor('two started runs', async () => {
      const slots = await history();
      return slots.filter((slot) => slot.state === 'STARTED').length >= 2 ? slots : undefined;
    });
    const paused = await client.post<RecurringRun>(`${API}/recurringruns/${id}:disable`, {});
    expect(paused.body).toMatchObject({ status: 'DISABLED', nextFireTimes: [] });
    await sleep(1_500); // a tick already under way when the pause landed may still end
    const afterPause = (await history()).length;
    await sleep(3_000);
    expect((await history()).length).toBe(afterPause);
    // The runs it started are real runs of the pipeline, and they finish.
    const [newest] = await history();
    expect((await waitForState(client, newest!.runId, ['SUCCEEDED'])).state).toBe('SUCCEEDED');
    const run = await client.json<{ displayName: string; parameters: Record<string, unknown> }>(
      `${API}/runs/${newest!.runId}`,
    );
    expect(run.body.displayName).toBe(`every-second ${newest!.slotTime}`);
    expect(run.body.parameters).toEqual({ text: 'tick' });
  });

  it('creates, lists with next fire times in words, edits in place, and deletes', async () => {
    const created = await client.post<RecurringRun>(`${API}/recurringruns`, {
      name: 'weekly',
      pipelineId,
      cron: '0 2 * * 1',
      timeZone: 'Europe/Berlin',
      catchUp: 'latest',
    });
    expect(created.status).toBe(200);
    expect(created.body.nextFireTimes).toHaveLength(5);
    expect(created.body.nextFireTimes[0]!.description).toMatch(
      /^in \d+ (day|hour|minute)s? \(Mon \d{4}-\d\d-\d\d 02:00 Europe\/Berlin\)$/,
    );

    const listed = await client.json<{ recurringRuns: RecurringRun[] }>(`${API}/recurringruns`);
    expect(listed.body.recurringRuns.map((r) => r.name)).toContain('weekly');

    const edited = await patch<RecurringRun>(`${API}/recurringruns/weekly`, {
      maxConcurrency: 3,
      parameters: { text: 'edited' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      recurringRunId: created.body.recurringRunId,
      maxConcurrency: 3,
      parameters: { text: 'edited' },
    });

    const openapi = await client.json<{ paths: Record<string, unknown> }>('/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        `${API}/recurringruns`,
        `${API}/recurringruns/{recurringRunId}`,
        `${API}/recurringruns/{recurringRunId}:disable`,
        `${API}/recurringruns/{recurringRunId}/runs`,
        `${API}/triggers`,
        `${API}/triggers/{triggerId}:fire`,
      ]),
    );

    expect((await client.json(`${API}/recurringruns/weekly`, { method: 'DELETE' })).status).toBe(200);
    expect((await client.json(`${API}/recurringruns/weekly`)).status).toBe(404);
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const cases: [unknown, number, string][] = [
      [{ name: 'bad', pipelineVersionId: versionId, cron: '61 * * * *' }, 400, 'cron'],
      [
        { name: 'bad', pipelineVersionId: versionId, cron: '0 2 * * 1', timeZone: 'Nowhere/City' },
        400,
        'timeZone',
      ],
      [{ name: 'bad', pipelineVersionId: versionId }, 400, 'cron'],
      [{ name: 'bad', cron: '0 2 * * 1' }, 400, 'pipelineVersionId'],
      [{ name: 'bad', pipelineVersionId: 'nope', cron: '0 2 * * 1' }, 404, 'pipelineVersionId'],
      [{ name: 'bad', pipelineVersionId: versionId, cron: '0 2 * * 1', catchUp: 'some' }, 400, 'catchUp'],
      [{ name: 'bad', pipelineVersionId: versionId, cron: '0 2 * * 1', colour: 'red' }, 400, 'colour'],
      [
        { name: 'bad', pipelineVersionId: versionId, cron: '0 2 * * 1', parameters: { txt: 1 } },
        400,
        'parameters.txt',
      ],
      [{ name: 'every-second', pipelineVersionId: versionId, cron: '0 2 * * 1' }, 409, 'name'],
    ];
    for (const [body, status, field] of cases) {
      const response = await client.post<ApiErrorBody>(`${API}/recurringruns`, body);
      expect({ body, status: response.status, field: response.body.error.field }).toEqual({
        body,
        status,
        field,
      });
    }
  });
});

describe('triggers over HTTP', () => {
  it('a webhook needs its secret, starts one run per idempotency key, and says when it is a duplicate', async () => {
    const created = await client.post<{ trigger: { triggerId: string; fireUrl: string }; secret: string }>(
      `${API}/triggers`,
      { name: 'on-data', kind: 'webhook', pipelineVersionId: versionId },
    );
    expect(created.status).toBe(200);
    const { fireUrl } = created.body.trigger;
    const fire = (headers: Record<string, string>, body?: unknown) =>
      client.json<{ runId: string; duplicate: boolean; state: string } & ApiErrorBody>(fireUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await fire({})).status).toBe(401);
    expect((await fire({ 'X-Sluice-Trigger-Secret': `${created.body.secret}x` })).status).toBe(401);
    const secret = { 'X-Sluice-Trigger-Secret': created.body.secret };
    const first = await fire(
      { ...secret, 'Idempotency-Key': 'delivery-1' },
      { parameters: { text: 'hooked' } },
    );
    expect(first.body).toMatchObject({ state: 'STARTED', duplicate: false });
    const again = await fire(
      { ...secret, 'Idempotency-Key': 'delivery-1' },
      { parameters: { text: 'hooked' } },
    );
    expect(again.body).toMatchObject({ runId: first.body.runId, duplicate: true });
    const bad = await fire(secret, { parameters: { nope: 1 } });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'parameters.nope']);
    expect((await fire(secret, { extra: true })).body.error?.field).toBe('extra');
    const run = await waitForState(client, first.body.runId, ['SUCCEEDED']);
    expect(run.state).toBe('SUCCEEDED');
    const events = await client.json<{ events: unknown[] }>(`${API}/triggers/on-data/events`);
    expect(events.body.events).toHaveLength(1);
  });

  it('a watched directory fires once per new or changed file, with its path as the parameter', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sluice-watch-'));
    const old = join(directory, 'already-there.csv');
    writeFileSync(old, 'old');
    utimesSync(old, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const created = await client.post<{ trigger: { triggerId: string } }>(`${API}/triggers`, {
      name: 'new-data',
      kind: 'watch',
      pipelineVersionId: versionId,
      directory,
      parameterName: 'text',
    });
    expect(created.status).toBe(200);
    const events = async () =>
      (
        await client.json<{ events: { runId: string; dedupKey: string; state: string }[] }>(
          `${API}/triggers/new-data/events`,
        )
      ).body.events;
    const file = join(directory, 'batch-1.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    writeFileSync(join(directory, 'batch-2.csv.part'), 'not finished');
    mkdirSync(join(directory, 'subdir'));
    const [event] = await waitFor('the file event', async () =>
      (await events()).length > 0 ? events() : undefined,
    );
    expect(event!.dedupKey).toMatch(/^batch-1\.csv\|\d+\|8$/);
    const run = await client.json<{ parameters: Record<string, unknown> }>(`${API}/runs/${event!.runId}`);
    expect(run.body.parameters).toEqual({ text: file });
    await sleep(2_500);
    expect(await events()).toHaveLength(1);
    writeFileSync(file, 'a,b\n1,2\n3,4\n');
    await waitFor('the changed file event', async () => ((await events()).length === 2 ? true : undefined));
    await sleep(2_500);
    expect((await events()).map((e) => e.state)).toEqual(['STARTED', 'STARTED']);
  });

  it('a paused webhook answers 409 and starts nothing; a paused watch trigger fires on resume for what arrived', async () => {
    const hook = await client.post<{ trigger: { triggerId: string; fireUrl: string }; secret: string }>(
      `${API}/triggers`,
      { name: 'pausable-hook', kind: 'webhook', pipelineVersionId: versionId },
    );
    const { triggerId, fireUrl } = hook.body.trigger;
    const paused = await client.json<{ enabled: boolean }>(`${API}/triggers/${triggerId}:disable`, {
      method: 'POST',
    });
    expect([paused.status, paused.body.enabled]).toEqual([200, false]);
    const fire = () =>
      client.json<{ duplicate: boolean } & ApiErrorBody>(fireUrl, {
        method: 'POST',
        headers: { 'X-Sluice-Trigger-Secret': hook.body.secret, 'Idempotency-Key': 'while-paused' },
      });
    const refused = await fire();
    expect([refused.status, refused.body.error.code]).toEqual([409, 'TRIGGER_PAUSED']);
    expect(refused.body.error.message).toContain('sluice trigger resume pausable-hook');
    expect(
      (await client.json<{ events: unknown[] }>(`${API}/triggers/${triggerId}/events`)).body.events,
    ).toEqual([]);
    await client.json(`${API}/triggers/${triggerId}:enable`, { method: 'POST' });
    const accepted = await fire();
    expect([accepted.status, accepted.body.duplicate]).toEqual([200, false]);

    const directory = mkdtempSync(join(tmpdir(), 'sluice-watch-paused-'));
    const watch = await client.post<{ trigger: { triggerId: string; enabled: boolean } }>(`${API}/triggers`, {
      name: 'pausable-watch',
      kind: 'watch',
      pipelineVersionId: versionId,
      directory,
      parameterName: 'text',
    });
    expect(watch.body.trigger.enabled).toBe(true);
    const watchId = watch.body.trigger.triggerId;
    await client.json(`${API}/triggers/${watchId}:disable`, { method: 'POST' });
    writeFileSync(join(directory, 'landed-while-paused.csv'), 'a\n1\n');
    const events = async () =>
      (await client.json<{ events: { dedupKey: string }[] }>(`${API}/triggers/${watchId}/events`)).body
        .events;
    await sleep(3_000);
    expect(await events()).toEqual([]);
    const listed = await client.json<{ triggers: { name: string; enabled: boolean }[] }>(`${API}/triggers`);
    expect(listed.body.triggers.find((trigger) => trigger.name === 'pausable-watch')?.enabled).toBe(false);
    await client.json(`${API}/triggers/${watchId}:enable`, { method: 'POST' });
    const [event] = await waitFor('the file that waited', async () =>
      (await events()).length > 0 ? events() : undefined,
    );
    expect(event!.dedupKey).toMatch(/^landed-while-paused\.csv\|/);
    const unknown = await client.json<ApiErrorBody>(`${API}/triggers/nope:disable`, { method: 'POST' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'TRIGGER_NOT_FOUND']);
  });

  it('refuses a watch trigger without a directory and a parameter the pipeline lacks', async () => {
    const noDirectory = await client.post<ApiErrorBody>(`${API}/triggers`, {
      name: 'x',
      kind: 'watch',
      pipelineVersionId: versionId,
      parameterName: 'text',
    });
    expect([noDirectory.status, noDirectory.body.error.field]).toEqual([400, 'directory']);
    const badParameter = await client.post<ApiErrorBody>(`${API}/triggers`, {
      name: 'x',
      kind: 'watch',
      pipelineVersionId: versionId,
      directory: tmpdir(),
      parameterName: 'path',
    });
    expect([badParameter.status, badParameter.body.error.field]).toEqual([400, 'parameterName']);
  });
});

describe('with a bearer token', () => {
  it('recurring runs need the token; a webhook needs the token and its secret', async () => {
    const secured = await openClient({ token: 'server-token' });
    try {
      const anonymous = await fetch(`${secured.server.url}${API}/recurringruns`);
      expect(anonymous.status).toBe(401);
      expect((await secured.json(`${API}/recurringruns`)).status).toBe(200);
      const uploaded = await secured.post<{ version: { pipelineVersionId: string } }>(`${API}/pipelines`, {
        pipelineSpec: await specOf(textPipeline),
      });
      const created = await secured.post<{ trigger: { fireUrl: string }; secret: string }>(
        `${API}/triggers`,
        {
          name: 'hook',
          kind: 'webhook',
          pipelineVersionId: uploaded.body.version.pipelineVersionId,
        },
      );
      const onlySecret = await fetch(`${secured.server.url}${created.body.trigger.fireUrl}`, {
        method: 'POST',
        headers: { 'X-Sluice-Trigger-Secret': created.body.secret },
      });
      expect(onlySecret.status).toBe(401);
      const both = await secured.request(created.body.trigger.fireUrl, {
        method: 'POST',
        headers: { 'X-Sluice-Trigger-Secret': created.body.secret },
      });
      expect(both.status).toBe(200);
    } finally {
      await secured.server.close();
    }
  });
});
