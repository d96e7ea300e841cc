/**
 * What the run page draws and its side panel shows: a run's DAG with live states, a pipeline version's DAG
 * (no states), and one task in full (inputs, outputs with artifact ids, attempts, cache decision).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type CacheMissReason, formatCacheMiss } from '../engine/index.ts';
import type { Json, RunRecord, RunStore } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import { answerJsonText, type ReadPool } from './read-pool.ts';
import { buildRunGraph } from './run-graph.ts';
import { ErrorSchema, LogsParamSchema, PipelineVersionParamSchema, RunIdParamSchema } from './schemas.ts';

const JsonValue = z.unknown().openapi({ description: 'any JSON value' });

const GraphNodeSchema = z
  .object({
    id: z.string().openapi({ description: 'spec path, loop iterations folded away (`for-loop-2/train`)' }),
    name: z.string(),
    kind: z.enum(['CONTAINER', 'IMPORTER', 'DAG', 'LOOP']),
    component: z.string(),
    parent: z.string().nullable(),
    state: z.string(),
    taskPath: z.string().nullable().openapi({ description: 'the task path when one task stands behind it' }),
    cached: z.boolean(),
    attempts: z.number().int(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    counts: z.record(z.string(), z.number().int()).openapi({ description: 'leaf tasks by state' }),
    exitHandler: z.boolean(),
    iterations: z
      .array(z.object({ index: z.number().int(), path: z.string(), state: z.string() }))
      .optional(),
  })
  .openapi('GraphNode');

export const RunGraphSchema = z
  .object({
    nodes: z.array(GraphNodeSchema),
    edges: z.array(z.object({ from: z.string(), to: z.string() })),
  })
  .openapi('RunGraph');

const ArtifactRefSchema = z.object({
  artifactId: z.string(),
  name: z.string(),
  uri: z.string(),
  schemaTitle: z.string(),
  metadata: z.record(z.string(), JsonValue),
});

const TaskValuesSchema = z.object({
  parameters: z.record(z.string(), JsonValue),
  artifacts: z.record(z.string(), z.array(ArtifactRefSchema)),
});

export const TaskDetailSchema = z
  .object({
    runId: z.string(),
    path: z.string(),
    name: z.string(),
    kind: z.string(),
    component: z.string(),
    state: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    inputs: TaskValuesSchema,
    outputs: TaskValuesSchema,
    attempts: z.array(
      z.object({
        number: z.number().int(),
        state: z.string(),
        startedAt: z.string(),
        finishedAt: z.string().nullable(),
        exitCode: z.number().int().nullable(),
        error: z.string().nullable(),
      }),
    ),
    error: z.string().nullable(),
    cache: z.object({
      fingerprint: z.string().nullable(),
      cachedFrom: z
        .object({ runId: z.string(), path: z.string() })
        .nullable()
        .openapi({ description: 'the task whose outputs this cache hit reused' }),
      missReason: JsonValue.openapi({ description: 'what changed since the previous run of this task' }),
      explanation: z.string().nullable().openapi({ description: 'the cache decision in words' }),
    }),
  })
  .openapi('TaskDetail');

const errors = {
  400: { description: 'invalid request', content: { 'application/json': { schema: ErrorSchema } } },
  401: {
    description: 'missing or wrong bearer token',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'not found', content: { 'application/json': { schema: ErrorSchema } } },
};

export function registerGraphRoutes(
  app: OpenAPIHono,
  prefix: string,
  store: RunStore,
  reads: ReadPool,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/runs/{runId}/graph`,
      summary: "A run's DAG with each node's state; loops and sub-DAGs as groups with counts",
      request: { params: RunIdParamSchema },
      responses: {
        200: { description: 'the graph', content: { 'application/json': { schema: RunGraphSchema } } },
        ...errors,
      },
    }),
    // On a read worker when the server is busy: a 2,000-task graph takes tens of milliseconds to build.
    async (c) => answerJsonText(c, await reads.read({ kind: 'runGraph', runId: c.req.valid('param').runId })),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/runs/{runId}/tasks/{taskPath}`,
      summary: 'One task: inputs, outputs, attempts and the cache decision',
      request: { params: LogsParamSchema },
      responses: {
        200: { description: 'the task', content: { 'application/json': { schema: TaskDetailSchema } } },
        ...errors,
      },
    }),
    async (c) => {
      const { runId, taskPath } = c.req.valid('param');
      await runOr404(store, runId);
      const tasks = await store.getTasks(runId);
      const task = tasks.find((candidate) => candidate.path === taskPath);
      if (!task)
        throw new ApiError(404, 'TASK_NOT_FOUND', `run ${runId} has no task '${taskPath}'`, 'taskPath');
      const attempts = (await store.getAttempts(runId))
        .filter((attempt) => attempt.taskId === task.id)
        .sort((a, b) => a.number - b.number);
      const source = task.cachedFromTaskId === null ? undefined : await store.getTask(task.cachedFromTaskId);
      return c.json(
        {
          runId,
          path: task.path,
          name: task.name,
          kind: task.kind,
          component: task.componentName,
          state: task.state,
          createdAt: task.createdAt,
          startedAt: task.startedAt,
          finishedAt: task.finishedAt,
          inputs: valuesView(task.inputs),
          outputs: valuesView(task.outputs),
          attempts: attempts.map((attempt) => ({
            number: attempt.number,
            state: attempt.state,
            startedAt: attempt.startedAt,
            finishedAt: attempt.finishedAt,
            exitCode: attempt.exitCode,
            error: attempt.error?.message ?? null,
          })),
          error: task.error?.message ?? null,
          cache: {
            fingerprint: task.fingerprint,
            cachedFrom: source ? { runId: source.runId, path: source.path } : null,
            missReason: task.cacheMissReason ?? null,
            explanation: source
              ? `reused the result of ${source.path} in run ${source.runId}`
              : task.cacheMissReason
                ? formatCacheMiss(task.cacheMissReason as unknown as CacheMissReason)
                : null,
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/pipelines/{pipelineId}/versions/{versionId}/graph`,
      summary: "A pipeline version's DAG (no run states), for previews",
      request: { params: PipelineVersionParamSchema },
      responses: {
        200: { description: 'the graph', content: { 'application/json': { schema: RunGraphSchema } } },
        ...errors,
      },
    }),
    async (c) => {
      const { pipelineId, versionId } = c.req.valid('param');
      const version = await store.getPipelineVersion(versionId);
      if (!version || version.pipelineId !== pipelineId)
        throw new ApiError(
          404,
          'VERSION_NOT_FOUND',
          `pipeline ${pipelineId} has no version '${versionId}'`,
          'versionId',
        );
      return c.json(buildRunGraph(version.spec as Json), 200);
    },
  );
}

async function runOr404(store: RunStore, runId: string): Promise<RunRecord> {
  const run = await store.getRun(runId);
  if (!run) throw new ApiError(404, 'RUN_NOT_FOUND', `no run '${runId}' in this store`, 'runId');
  return run;
}

interface StoredRef {
  id?: string;
  name?: string;
  uri?: string;
  schemaTitle?: string;
  metadata?: { [key: string]: Json };
}

/** A task's stored inputs or outputs with artifact ids named for the API. */
function valuesView(values: Json | null): z.infer<typeof TaskValuesSchema> {
  const stored = (values ?? {}) as {
    parameters?: { [name: string]: Json };
    artifacts?: Record<string, StoredRef[]>;
  };
  return {
    parameters: stored.parameters ?? {},
    artifacts: Object.fromEntries(
      Object.entries(stored.artifacts ?? {}).map(([name, refs]) => [
        name,
        refs.map((ref) => ({
          artifactId: ref.id ?? '',
          name: ref.name ?? name,
          uri: ref.uri ?? '',
          schemaTitle: ref.schemaTitle ?? '',
          metadata: ref.metadata ?? {},
        })),
      ]),
    ),
  };
}
