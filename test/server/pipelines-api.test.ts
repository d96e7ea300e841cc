import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPipeline } from '../../src/ir/index.ts';
import { type Client, openClient, sleepPipeline, specOf, textPipeline, waitForState } from './helpers.ts';

interface Pipeline {
  pipelineId: string;
  name: string;
  createdAt: string;
  versionCount: number;
}
interface Version {
  pipelineVersionId: string;
  pipelineId: string;
  pipeline: string;
  name: string;
  digest: string;
  createdAt: string;
}
interface ErrorBody {
  error: { code: string; message: string; field?: string; issues?: { path: string }[] };
}

const PIPELINES = '/apis/v2beta1/pipelines';

let client: Client;
beforeAll(async () => {
  client = await openClient();
});
afterAll(async () => {
  await client.server.close();
});

async function upload(body: unknown) {
  return client.post<{ pipeline: Pipeline; version: Version }>(PIPELINES, body);
}

describe('pipelines over HTTP', () => {
  it('uploads versions, dedupes them by content, names them, and lists pipelines and versions', async () => {
    const spec = (await specOf(textPipeline)) as Record<string, unknown>;
    const first = await upload({ pipelineSpec: spec, versionName: 'initial' });
    expect(first.status).toBe(200);
    expect(first.body.pipeline).toMatchObject({ name: 'text-pipeline', versionCount: 1 });
    expect(first.body.version).toMatchObject({
      pipelineId: first.body.pipeline.pipelineId,
      pipeline: 'text-pipeline',
      name: 'initial',
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    // The same document again (here as YAML text) is the same version, whatever name it asks for.
    const again = await upload({
      pipelineYaml: dumpPipeline({ pipelineSpec: spec } as never),
      versionName: 'x',
    });
    expect(again.status).toBe(200);
    expect(again.body.version).toEqual(first.body.version);
    expect(again.body.pipeline.versionCount).toBe(1);

    const changed = structuredClone(spec) as { pipelineInfo: { description?: string } };
    changed.pipelineInfo.description = 'changed';
    const second = await upload({ pipelineSpec: changed });
    expect(second.body.version).toMatchObject({ name: 'v2', pipelineId: first.body.pipeline.pipelineId });
    expect(second.body.pipeline.versionCount).toBe(2);

    // A taken name for a different document is a conflict.
    const third = structuredClone(changed);
    third.pipelineInfo.description = 'third';
    const taken = await client.post<ErrorBody>(PIPELINES, { pipelineSpec: third, versionName: 'initial' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'PIPELINE_VERSION_NAME_TAKEN', field: 'versionName' });

    const other = await upload({ pipelineSpec: await specOf(sleepPipeline) });
    expect(other.body.pipeline).toMatchObject({ name: 'sleep-pipeline', versionCount: 1 });

    const pipelines = await client.json<{ pipelines: Pipeline[] }>(PIPELINES);
    expect(pipelines.status).toBe(200);
    expect(pipelines.body.pipelines.map((p) => [p.name, p.versionCount])).toEqual([
      ['sleep-pipeline', 1],
      ['text-pipeline', 2],
    ]);

    const versions = await client.json<{ versions: Version[] }>(
      `${PIPELINES}/${first.body.pipeline.pipelineId}/versions`,
    );
    expect(versions.status).toBe(200);
    expect(versions.body.versions).toEqual([second.body.version, first.body.version]);

    const detail = await client.json<Version & { pipelineSpec: unknown }>(
      `${PIPELINES}/${first.body.pipeline.pipelineId}/versions/${first.body.version.pipelineVersionId}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject(first.body.version);
    expect(detail.body.pipelineSpec).toEqual(spec); // the same content (stored with its keys sorted)
    expect(detail.body).not.toHaveProperty('platformSpec');
  });

  it('creates a run from a pipeline version id, with parameters, without adding a version', async () => {
    const spec = await specOf(textPipeline);
    const { body } = await upload({ pipelineSpec: spec, versionName: 'for-runs' });
    const created = await client.post<{ runId: string; pipeline: string }>('/apis/v2beta1/runs', {
      pipelineVersionId: body.version.pipelineVersionId,
      parameters: { text: 'from a version' },
    });
    expect(created.status).toBe(200);
    expect(created.body.pipeline).toBe('text-pipeline');
    const run = await waitForState(client, created.body.runId, ['SUCCEEDED', 'FAILED']);
    expect(run.state).toBe('SUCCEEDED');
    const got = await client.json<{ parameters: unknown }>(`/apis/v2beta1/runs/${created.body.runId}`);
    expect(got.body.parameters).toEqual({ text: 'from a version' });

    // Running the stored document records no new version: the engine's digest is the upload's.
    const versions = await client.json<{ versions: Version[] }>(
      `${PIPELINES}/${body.pipeline.pipelineId}/versions`,
    );
    expect(versions.body.versions.filter((v) => v.digest === body.version.digest)).toHaveLength(1);

    const wrongParameter = await client.post<ErrorBody>('/apis/v2beta1/runs', {
      pipelineVersionId: body.version.pipelineVersionId,
      parameters: { nope: 1 },
    });
    expect(wrongParameter.status).toBe(400);
    expect(wrongParameter.body.error.field).toMatch(/^parameters/);

    const both = await client.post<ErrorBody>('/apis/v2beta1/runs', {
      pipelineVersionId: body.version.pipelineVersionId,
      pipelineSpec: spec,
    });
    expect(both.status).toBe(400);
    expect(both.body.error.field).toBe('pipelineSpec');
  });

  it('refuses bad uploads with a 400 naming the field, and IR issues with their paths', async () => {
    const none = await client.post<ErrorBody>(PIPELINES, {});
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe('pipelineSpec');

    const wrongType = await client.post<ErrorBody>(PIPELINES, { pipelineYaml: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.field).toBe('pipelineYaml');

    const unknown = await client.post<ErrorBody>(PIPELINES, { pipelineYaml: 'x', colour: 'red' });
    expect(unknown.body.error).toMatchObject({ field: 'colour', message: "unknown field 'colour'" });

    const emptyName = await client.post<ErrorBody>(PIPELINES, {
      pipelineSpec: await specOf(textPipeline),
      versionName: '',
    });
    expect(emptyName.status).toBe(400);
    expect(emptyName.body.error.field).toBe('versionName');

    const spec = (await specOf(textPipeline)) as { root: { dag: { tasks: Record<string, unknown> } } };
    spec.root.dag.tasks['write-text'] = { componentRef: { name: 'comp-missing' } };
    const invalid = await client.post<ErrorBody>(PIPELINES, { pipelineSpec: spec });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'IR_INVALID', field: 'pipelineSpec' });
    expect(invalid.body.error.issues!.some((i) => i.path.startsWith('root.dag.tasks.write-text'))).toBe(true);

    const yaml = await client.post<ErrorBody>(PIPELINES, { pipelineYaml: 'a: [unclosed' });
    expect(yaml.status).toBe(400);
    expect(yaml.body.error.field).toBe('pipelineYaml');
  });

  it('answers unknown pipeline and version ids with 404 naming the field', async () => {
    const { body } = await upload({ pipelineSpec: await specOf(textPipeline) });
    const cases: [string, string][] = [
      [`${PIPELINES}/nope/versions`, 'pipelineId'],
      [`${PIPELINES}/nope/versions/${body.version.pipelineVersionId}`, 'pipelineId'],
      [`${PIPELINES}/${body.pipeline.pipelineId}/versions/nope`, 'versionId'],
    ];
    const other = await upload({ pipelineSpec: await specOf(sleepPipeline) });
    cases.push([
      `${PIPELINES}/${other.body.pipeline.pipelineId}/versions/${body.version.pipelineVersionId}`,
      'versionId',
    ]);
    for (const [path, field] of cases) {
      const response = await client.json<ErrorBody>(path);
      expect(response.status, path).toBe(404);
      expect(response.body.error.field, path).toBe(field);
    }
    const run = await client.post<ErrorBody>('/apis/v2beta1/runs', { pipelineVersionId: 'nope' });
    expect(run.status).toBe(404);
    expect(run.body.error).toMatchObject({ code: 'PIPELINE_VERSION_NOT_FOUND', field: 'pipelineVersionId' });
  });

  it('describes the pipeline endpoints in /openapi.json', async () => {
    const { body } = await client.json<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/apis/v2beta1/pipelines',
        '/apis/v2beta1/pipelines/{pipelineId}/versions',
        '/apis/v2beta1/pipelines/{pipelineId}/versions/{versionId}',
      ]),
    );
    expect(Object.keys(body.paths['/apis/v2beta1/pipelines']!).sort()).toEqual(['get', 'post']);
    const schemas = JSON.stringify(body);
    expect(schemas).toContain('pipelineVersionId');
    expect(schemas).toContain('versionName');
  });
});
