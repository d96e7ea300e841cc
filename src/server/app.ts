/**
 * The REST API (hono + @hono/zod-openapi), modelled on KFP's v2beta1 under `/apis/v2beta1`, JSON in
 * camelCase. Every request schema also feeds `/openapi.json`. Handlers never let an error escape as a
 * crash: everything ends as `{ error: { code, message, field? } }` with a 4xx (or a logged 500).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRoute, OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { streamSSE } from 'hono/streaming';
import type { Engine } from '../engine/index.ts';
import { isFinalRun, type RunState } from '../engine/index.ts';
import {
  decodePipeline,
  type Issue,
  type JsonValue,
  type PipelineDocument,
  validatePipeline,
} from '../ir/index.ts';
import {
  type ArtifactRecord,
  type Json,
  type PipelineRecord,
  PipelineVersionNameTakenError,
  type PipelineVersionRecord,
  type PipelineVersionSummary,
  type RunRecord,
  type RunStore,
  traceLineage,
} from '../store/index.ts';
import { SLUICE_VERSION } from '../version.ts';
import { ApiError, errorResponse, toApiError } from './api-error.ts';
import { attachmentHeader, contentTypeOf, resolveArtifactFile } from './artifact-files.ts';
import { registerArtifactListRoutes } from './artifact-list-routes.ts';
import { bearerAuth } from './auth.ts';
import { BackgroundRuns } from './background-runs.ts';
import { registerExperimentRoutes, requireExperimentForRun } from './experiments-routes.ts';
import { registerGraphRoutes } from './graph-routes.ts';
import { answerJsonText, ReadPool } from './read-pool.ts';
import { runView } from './run-list.ts';
import { registerRunStorageRoutes } from './run-storage-routes.ts';
import {
  ArtifactParamSchema,
  ArtifactSchema,
  CreatePipelineResponseSchema,
  CreatePipelineSchema,
  CreateRunSchema,
  ErrorSchema,
  EventsQuerySchema,
  LineageQuerySchema,
  LineageSchema,
  ListPipelinesResponseSchema,
  ListPipelineVersionsResponseSchema,
  ListRunsQuerySchema,
  ListRunsResponseSchema,
  LogsParamSchema,
  LogsQuerySchema,
  PipelineIdParamSchema,
  type PipelineSchema,
  PipelineVersionDetailSchema,
  PipelineVersionParamSchema,
  type PipelineVersionSchema,
  RetryResponseSchema,
  RunIdParamSchema,
  RunSchema,
} from './schemas.ts';
import { completeLog, findTask, followLog } from './task-logs.ts';
import { registerUiAssets } from './ui-assets.ts';

export const API_PREFIX = '/apis/v2beta1';
/** Request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
const EVENTS_POLL_MS = 200;

export interface AppDependencies {
  engine: Engine;
  store: RunStore;
  /** SLUICE_HOME: artifacts are served only from `<home>/artifacts`. */
  home: string;
  /** When set, every endpoint but `/healthz` needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Where background runs go; created here when not given. */
  background?: BackgroundRuns;
  /** Where get-run, list-runs and run graphs run; inline on `store` when not given. */
  reads?: ReadPool;
}

const errors = {
  400: { description: 'invalid request', content: { 'application/json': { schema: ErrorSchema } } },
  401: {
    description: 'missing or wrong bearer token',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'not found', content: { 'application/json': { schema: ErrorSchema } } },
};

export function createApp(deps: AppDependencies): OpenAPIHono {
  const { engine, store } = deps;
  const background = deps.background ?? new BackgroundRuns(engine);
  const reads = deps.reads ?? new ReadPool({ store, size: 0, startAtRate: 0 });
  const artifactRoot = join(deps.home, 'artifacts');
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, validationError(result.error, result.target));
      return undefined;
    },
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const status = error.status === 413 ? 413 : error.status >= 500 ? 500 : 400;
      const code = status === 413 ? 'BODY_TOO_LARGE' : 'BAD_REQUEST';
      return errorResponse(c, new ApiError(status, code, error.message || 'bad request', 'body'));
    }
    return errorResponse(c, toApiError(error));
  });
  app.notFound((c) =>
    errorResponse(c, new ApiError(404, 'NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`)),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok', version: SLUICE_VERSION }));
  registerUiAssets(app);
  if (deps.token !== undefined) app.use('*', bearerAuth(deps.token));
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      errorResponse(
        c,
        new ApiError(413, 'BODY_TOO_LARGE', `request bodies are limited to ${MAX_BODY_BYTES} bytes`, 'body'),
      ),
  });
  // GET and HEAD carry no body to limit; skipping them spares every read building the full fetch Request
  // (the limiter looks at its body stream), a tenth of the server's time per read under load.
  app.use(`${API_PREFIX}/*`, (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  app.use(`${API_PREFIX}/*`, async (c, next) => {
    if (c.req.method === 'POST' && c.req.header('content-length') !== '0' && hasBody(c)) {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json')
        throw new ApiError(400, 'BAD_REQUEST', 'send the request body as application/json', 'Content-Type');
    }
    await next();
  });

  // Before the runs routes: `POST /runs/{runId}:archive` must not reach the `:cancel`/`:retry` route below.
  registerRunStorageRoutes(app, API_PREFIX, { store, home: deps.home, background });
  registerExperimentRoutes(app, API_PREFIX, store);
  registerArtifactListRoutes(app, API_PREFIX, store);

  // ---- runs ----------------------------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: 'post',
      path: `${API_PREFIX}/runs`,
      summary:
        'Create a run from a pipeline document or an uploaded pipeline version and drive it in the background',
      request: { body: { required: true, content: { 'application/json': { schema: CreateRunSchema } } } },
      responses: {
        200: { description: 'the new run', content: { 'application/json': { schema: RunSchema } } },
        ...errors,
        413: { description: 'body too large', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      let document: PipelineDocument;
      let parameterValues: Record<string, JsonValue> | undefined;
      if (body.pipelineVersionId !== undefined) {
        const extra = (['pipelineSpec', 'pipelineYaml', 'platformSpec'] as const).find(
          (key) => body[key] !== undefined,
        );
        if (extra !== undefined)
          throw new ApiError(
            400,
            'INVALID_ARGUMENT',
            `give pipelineVersionId or the pipeline (${extra}), not both`,
            extra,
          );
        const version = await requireVersion(store, body.pipelineVersionId, 'pipelineVersionId');
        document = version.spec as unknown as PipelineDocument;
      } else {
        ({ document, parameterValues } = decodeRequestPipeline(body, ', pipelineYaml or pipelineVersionId'));
      }
      const experimentId = await requireExperimentForRun(store, body.experimentId);
      let runId: string;
      try {
        runId = await engine.submit(document, {
          ...(experimentId === undefined ? {} : { experimentId }),
          parameters: { ...parameterValues, ...(body.parameters as Record<string, JsonValue>) },
          ...(body.displayName === undefined ? {} : { displayName: body.displayName }),
          ...(body.cache === undefined ? {} : { cache: body.cache }),
        });
      } catch (error) {
        const api = toApiError(error);
        if (api.code === 'RUN_INPUT_INVALID')
          throw new ApiError(400, 'INVALID_ARGUMENT', api.message, parameterField(api.message));
        throw api;
      }
      background.drive(runId);
      return c.json(await runView(store, runId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/runs`,
      summary: 'List runs, newest first',
      request: { query: ListRunsQuerySchema },
      responses: {
        200: {
          description: 'a page of runs',
          content: { 'application/json': { schema: ListRunsResponseSchema } },
        },
        ...errors,
      },
    }),
    async (c) => answerJsonText(c, await reads.read({ kind: 'listRuns', query: c.req.valid('query') })),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/runs/{runId}`,
      summary: 'Get a run with its tasks',
      request: { params: RunIdParamSchema },
      responses: {
        200: { description: 'the run', content: { 'application/json': { schema: RunSchema } } },
        ...errors,
      },
    }),
    async (c) => answerJsonText(c, await reads.read({ kind: 'getRun', runId: c.req.valid('param').runId })),
  );

  // `POST /runs/{runId}:cancel` and `:retry`: one segment, so one route that splits it.
  for (const action of ['cancel', 'retry'] as const)
    app.openAPIRegistry.registerPath({
      method: 'post',
      path: `${API_PREFIX}/runs/{runId}:${action}`,
      summary: action === 'cancel' ? 'Cancel a run' : 'Retry a failed or canceled run',
      request: { params: RunIdParamSchema },
      responses: {
        200: {
          description: action === 'cancel' ? 'the run' : 'the run and the tasks that run again',
          content: { 'application/json': { schema: action === 'cancel' ? RunSchema : RetryResponseSchema } },
        },
        ...errors,
        409: {
          description: 'the run cannot be retried now',
          content: { 'application/json': { schema: ErrorSchema } },
        },
      },
    });
  app.post(`${API_PREFIX}/runs/:target`, async (c) => {
    const target = c.req.param('target');
    const match = /^([^:]{1,200}):(cancel|retry)$/.exec(target);
    if (!match)
      throw new ApiError(
        404,
        'NOT_FOUND',
        `no endpoint POST ${c.req.path}; use {runId}:cancel or {runId}:retry`,
      );
    const runId = match[1]!;
    await requireRun(store, runId);
    if (match[2] === 'cancel') {
      if (background.isDriving(runId)) {
        // This server's driver sees CANCELING at its next heartbeat and stops the run.
        await store.compareAndSetRunState(runId, ['PENDING', 'RUNNING'], 'CANCELING', {
          runId,
          taskId: null,
          reason: 'cancel requested',
          at: new Date().toISOString(),
        });
      } else {
        const state = await engine.cancel(runId);
        if (state === 'CANCELING') background.drive(runId);
      }
      return c.json(await runView(store, runId), 200);
    }
    if (background.isDriving(runId))
      throw new ApiError(
        409,
        'RUN_BUSY',
        `run ${runId} is still running; retry it once it has ended`,
        'runId',
      );
    const rerun = await engine.retry(runId);
    background.drive(runId);
    return c.json({ run: await runView(store, runId), rerun }, 200);
  });

  // ---- pipelines and versions ----------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: 'post',
      path: `${API_PREFIX}/pipelines`,
      summary:
        'Upload a pipeline version under its pipelineInfo.name (the same document again returns the existing version)',
      request: {
        body: { required: true, content: { 'application/json': { schema: CreatePipelineSchema } } },
      },
      responses: {
        200: {
          description: 'the pipeline and the version',
          content: { 'application/json': { schema: CreatePipelineResponseSchema } },
        },
        ...errors,
        409: {
          description: 'the pipeline already has a version of that name',
          content: { 'application/json': { schema: ErrorSchema } },
        },
        413: { description: 'body too large', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // Keys sorted (as KFP's own YAML is): the same pipeline as JSON or as YAML is the same version.
      const document = sortedKeys(decodeRequestPipeline(body).document) as PipelineDocument;
      const spec = document as unknown as Json;
      const pipelineName = document.pipelineSpec.pipelineInfo?.name ?? 'pipeline';
      let version: PipelineVersionRecord;
      try {
        version = await store.savePipelineVersion(
          pipelineName,
          // The engine's digest of a submitted document: running the stored version finds this same version.
          createHash('sha256').update(JSON.stringify(spec)).digest('hex'),
          spec,
          new Date().toISOString(),
          body.versionName,
        );
      } catch (error) {
        if (error instanceof PipelineVersionNameTakenError)
          throw new ApiError(409, error.code, error.message, 'versionName');
        throw error;
      }
      const pipeline = await store.getPipeline(version.pipelineId);
      if (!pipeline) throw new Error(`pipeline ${version.pipelineId} vanished after saving a version`);
      return c.json({ pipeline: pipelineView(pipeline), version: versionView(version) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/pipelines`,
      summary: 'List pipelines, newest first, with their version counts',
      responses: {
        200: {
          description: 'the pipelines',
          content: { 'application/json': { schema: ListPipelinesResponseSchema } },
        },
        ...errors,
      },
    }),
    async (c) => c.json({ pipelines: (await store.listPipelines()).map(pipelineView) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/pipelines/{pipelineId}/versions`,
      summary: "List a pipeline's versions, newest first (without their specs)",
      request: { params: PipelineIdParamSchema },
      responses: {
        200: {
          description: 'the versions',
          content: { 'application/json': { schema: ListPipelineVersionsResponseSchema } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { pipelineId } = c.req.valid('param');
      await requirePipeline(store, pipelineId);
      return c.json({ versions: (await store.listPipelineVersions(pipelineId)).map(versionView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/pipelines/{pipelineId}/versions/{versionId}`,
      summary: 'Get a pipeline version with its spec',
      request: { params: PipelineVersionParamSchema },
      responses: {
        200: {
          description: 'the version and its pipeline document',
          content: { 'application/json': { schema: PipelineVersionDetailSchema } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { pipelineId, versionId } = c.req.valid('param');
      await requirePipeline(store, pipelineId);
      const version = await requireVersion(store, versionId, 'versionId');
      if (version.pipelineId !== pipelineId)
        throw new ApiError(
          404,
          'PIPELINE_VERSION_NOT_FOUND',
          `pipeline '${pipelineId}' has no version '${versionId}'`,
          'versionId',
        );
      const document = version.spec as unknown as PipelineDocument;
      return c.json(
        {
          ...versionView(version),
          pipelineSpec: document.pipelineSpec as unknown as Record<string, unknown>,
          ...(document.platformSpec === undefined
            ? {}
            : { platformSpec: document.platformSpec as unknown as Record<string, unknown> }),
        },
        200,
      );
    },
  );

  // ---- logs and events -----------------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/runs/{runId}/tasks/{taskPath}/logs`,
      summary: "A task's log text: all attempts, or one; `follow=true` streams until the run is final",
      request: { params: LogsParamSchema, query: LogsQuerySchema },
      responses: {
        200: { description: 'log text', content: { 'text/plain': { schema: { type: 'string' } } } },
        ...errors,
      },
    }),
    async (c) => {
      const { runId, taskPath } = c.req.valid('param');
      const query = c.req.valid('query');
      await requireRun(store, runId);
      const task = await findTask(store, runId, taskPath);
      const attempt = query.attempt === undefined ? undefined : Number(query.attempt);
      const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };
      if (query.follow === 'true')
        return new Response(followLog(store, task, attempt, c.req.raw.signal), { headers }) as never;
      return c.body(await completeLog(store, task, attempt), 200, headers) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/runs/{runId}/events`,
      summary:
        "Server-sent events of the run's state changes, until it is final (resumable with Last-Event-ID)",
      request: { params: RunIdParamSchema, query: EventsQuerySchema },
      responses: {
        200: {
          description: 'text/event-stream of `transition` events, then one `end` event',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { runId } = c.req.valid('param');
      await requireRun(store, runId);
      const resumeFrom = c.req.header('last-event-id') ?? c.req.valid('query').lastEventId ?? '0';
      if (!/^[0-9]{1,15}$/.test(resumeFrom))
        throw new ApiError(400, 'INVALID_ARGUMENT', 'Last-Event-ID must be an event id', 'Last-Event-ID');
      let afterId = Number(resumeFrom);
      return streamSSE(c, async (stream) => {
        let paths = new Map<string, string>();
        while (!stream.aborted) {
          const run = await store.getRun(runId);
          const final = !run || isFinalRun(run.state as RunState);
          const transitions = await store.getTransitions(runId, afterId);
          if (transitions.some((t) => t.taskId !== null && !paths.has(t.taskId)))
            paths = new Map((await store.getTasks(runId)).map((task) => [task.id, task.path]));
          for (const t of transitions) {
            afterId = t.id;
            await stream.writeSSE({
              id: String(t.id),
              event: 'transition',
              data: JSON.stringify({
                id: t.id,
                runId: t.runId,
                taskId: t.taskId,
                taskPath: t.taskId === null ? null : (paths.get(t.taskId) ?? null),
                from: t.from,
                to: t.to,
                reason: t.reason,
                at: t.at,
              }),
            });
          }
          if (final) {
            await stream.writeSSE({
              event: 'end',
              data: JSON.stringify({ runId, state: run?.state ?? null }),
            });
            return;
          }
          await sleep(EVENTS_POLL_MS);
        }
      });
    },
  );

  // ---- artifacts and lineage -----------------------------------------------------------------------------

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: `${API_PREFIX}/artifacts/{artifactId}:download`,
    summary: "An artifact's file (only files inside the artifact store; directories are refused)",
    request: { params: ArtifactParamSchema },
    responses: {
      200: {
        description: 'the file, as an attachment',
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
      ...errors,
      403: {
        description: 'the file is outside the artifact store',
        content: { 'application/json': { schema: ErrorSchema } },
      },
    },
  });
  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/artifacts/{artifactId}`,
      summary: "An artifact's metadata",
      request: { params: ArtifactParamSchema },
      responses: {
        200: { description: 'the artifact', content: { 'application/json': { schema: ArtifactSchema } } },
        ...errors,
      },
    }),
    async (c) => {
      const target = c.req.valid('param').artifactId;
      const download = target.endsWith(':download');
      const artifactId = download ? target.slice(0, -':download'.length) : target;
      const artifact = artifactId === '' ? undefined : await store.getArtifact(artifactId);
      if (!artifact)
        throw new ApiError(
          404,
          'ARTIFACT_NOT_FOUND',
          `no artifact '${artifactId}' in this store`,
          'artifactId',
        );
      if (!download) return c.json(artifactView(artifact), 200);
      const file = await resolveArtifactFile(artifactRoot, artifact.uri);
      const { type } = contentTypeOf(file.fileName);
      const body = Readable.toWeb(createReadStream(file.path)) as unknown as ReadableStream<Uint8Array>;
      return new Response(body, {
        headers: {
          'Content-Type': type,
          'Content-Length': String(file.size),
          'Content-Disposition': attachmentHeader(file.fileName),
          'X-Content-Type-Options': 'nosniff',
          // Sandboxed on every download, not only HTML: nothing served here may run script in this origin.
          'Content-Security-Policy': "sandbox; default-src 'none'",
          'Cache-Control': 'no-store',
        },
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${API_PREFIX}/lineage`,
      summary: 'What produced an artifact (by uri) or a task (runId and task path), and what used it',
      request: { query: LineageQuerySchema },
      responses: {
        200: { description: 'the lineage graph', content: { 'application/json': { schema: LineageSchema } } },
        ...errors,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      if (query.uri !== undefined && (query.runId !== undefined || query.task !== undefined))
        throw new ApiError(400, 'INVALID_ARGUMENT', 'ask by uri, or by runId and task, not both', 'uri');
      if (query.uri === undefined && (query.runId === undefined || query.task === undefined))
        throw new ApiError(
          400,
          'INVALID_ARGUMENT',
          'give uri, or runId and task',
          query.runId === undefined ? 'runId' : 'task',
        );
      let graph: Awaited<ReturnType<typeof traceLineage>>;
      if (query.uri !== undefined) graph = await traceLineage(store, { uri: query.uri });
      else {
        await requireRun(store, query.runId!);
        graph = await traceLineage(store, { runId: query.runId!, taskPath: query.task! });
      }
      return c.json(graph as unknown as z.infer<typeof LineageSchema>, 200);
    },
  );

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sluice API',
      version: SLUICE_VERSION,
      description: "Kubeflow Pipelines' v2beta1 resources, run locally. JSON fields are camelCase.",
    },
  });
  registerGraphRoutes(app, API_PREFIX, store, reads);
  return app;
}

function hasBody(c: Context): boolean {
  return c.req.header('content-length') !== undefined || c.req.header('transfer-encoding') !== undefined;
}

async function requireRun(store: RunStore, runId: string): Promise<RunRecord> {
  const run = await store.getRun(runId);
  if (!run) throw new ApiError(404, 'RUN_NOT_FOUND', `no run '${runId}' in this store`, 'runId');
  return run;
}

/** The pipeline a create request gives as pipelineSpec (+ platformSpec) or pipelineYaml, decoded and valid. */
function decodeRequestPipeline(
  body: {
    pipelineSpec?: Record<string, unknown> | undefined;
    platformSpec?: Record<string, unknown> | undefined;
    pipelineYaml?: string | undefined;
  },
  alternatives = ' or pipelineYaml',
): { document: PipelineDocument; parameterValues?: Record<string, JsonValue> } {
  const given = [body.pipelineSpec, body.pipelineYaml].filter((value) => value !== undefined).length;
  if (given !== 1)
    throw new ApiError(
      400,
      'INVALID_ARGUMENT',
      given === 0
        ? `give the pipeline as pipelineSpec${alternatives}`
        : 'give pipelineSpec or pipelineYaml, not both',
      'pipelineSpec',
    );
  if (body.platformSpec !== undefined && body.pipelineSpec === undefined)
    throw new ApiError(400, 'INVALID_ARGUMENT', 'platformSpec goes with pipelineSpec', 'platformSpec');
  const field = body.pipelineYaml !== undefined ? 'pipelineYaml' : 'pipelineSpec';
  const text =
    body.pipelineYaml ??
    `${JSON.stringify(body.pipelineSpec)}${body.platformSpec ? `\n---\n${JSON.stringify(body.platformSpec)}` : ''}`;
  const decoded = decodePipeline(text);
  const issues: Issue[] = decoded.ok ? validatePipeline(decoded.document) : decoded.issues;
  if (!decoded.ok || issues.length > 0)
    throw new ApiError(
      400,
      'IR_INVALID',
      `the pipeline is not valid (${issues.length} issue${issues.length === 1 ? '' : 's'})`,
      field,
      issues.map((issue) => ({
        code: issue.code,
        path: issue.path,
        message: issue.message,
        ...(issue.line === undefined ? {} : { line: issue.line }),
        ...(issue.column === undefined ? {} : { column: issue.column }),
      })),
    );
  return {
    document: decoded.document,
    ...(decoded.parameterValues === undefined ? {} : { parameterValues: decoded.parameterValues }),
  };
}

async function requirePipeline(store: RunStore, pipelineId: string): Promise<PipelineRecord> {
  const pipeline = await store.getPipeline(pipelineId);
  if (!pipeline)
    throw new ApiError(404, 'PIPELINE_NOT_FOUND', `no pipeline '${pipelineId}' in this store`, 'pipelineId');
  return pipeline;
}

async function requireVersion(
  store: RunStore,
  versionId: string,
  field: string,
): Promise<PipelineVersionRecord> {
  const version = await store.getPipelineVersion(versionId);
  if (!version)
    throw new ApiError(
      404,
      'PIPELINE_VERSION_NOT_FOUND',
      `no pipeline version '${versionId}' in this store`,
      field,
    );
  return version;
}

/** A copy of a JSON value with every object's keys in sorted order. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortedKeys(record[key])]),
  );
}

function pipelineView(pipeline: PipelineRecord): z.infer<typeof PipelineSchema> {
  return {
    pipelineId: pipeline.id,
    name: pipeline.name,
    createdAt: pipeline.createdAt,
    versionCount: pipeline.versionCount,
  };
}

function versionView(version: PipelineVersionSummary): z.infer<typeof PipelineVersionSchema> {
  return {
    pipelineVersionId: version.id,
    pipelineId: version.pipelineId,
    pipeline: version.pipelineName,
    name: version.name,
    digest: version.digest,
    createdAt: version.createdAt,
  };
}

function artifactView(artifact: ArtifactRecord): z.infer<typeof ArtifactSchema> {
  const { id, ...rest } = artifact;
  return { artifactId: id, ...rest };
}

/** `parameters.<name>` when an engine parameter message names one. */
function parameterField(message: string): string {
  const match = /parameter '([^']+)'/.exec(message) ?? /^([A-Za-z_][\w-]*) expects/.exec(message);
  return match ? `parameters.${match[1]}` : 'parameters';
}

function validationError(error: z.ZodError, target: string): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError(400, 'INVALID_ARGUMENT', 'invalid request');
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
  const field = path.join('.') || target;
  const message =
    issue.code === 'unrecognized_keys' ? `unknown field '${field}'` : `${field}: ${issue.message}`;
  return new ApiError(400, 'INVALID_ARGUMENT', message, field);
}
