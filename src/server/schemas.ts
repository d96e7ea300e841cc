/**
 * The API's request and response schemas (zod, with OpenAPI metadata). The same objects validate requests
 * and generate `/openapi.json`. JSON is camelCase throughout (`runId`, `displayName`, `createdAt`,
 * `nextPageToken`), KFP v2beta1's names in Sluice's casing.
 */
import { z } from '@hono/zod-openapi';

export const RUN_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELING', 'CANCELED'] as const;

// z.unknown(), not z.json(): a request body is JSON already, and the recursive z.json() overflows the generator.
const JsonValueSchema = z.unknown().openapi({ description: 'any JSON value' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INVALID_ARGUMENT' }),
      message: z.string(),
      field: z.string().optional().openapi({ description: 'the request field at fault' }),
      issues: z
        .array(
          z.object({
            code: z.string(),
            path: z.string(),
            message: z.string(),
            line: z.number().int().optional(),
            column: z.number().int().optional(),
          }),
        )
        .optional()
        .openapi({ description: 'IR validation issues, each with its path in the pipeline document' }),
    }),
  })
  .openapi('Error');

export const CreateRunSchema = z
  .strictObject({
    pipelineSpec: z.record(z.string(), JsonValueSchema).optional().openapi({
      description: 'the PipelineSpec (KFP IR) as JSON; give this, pipelineYaml or pipelineVersionId',
    }),
    platformSpec: z
      .record(z.string(), JsonValueSchema)
      .optional()
      .openapi({ description: 'optional PlatformSpec next to pipelineSpec' }),
    pipelineYaml: z
      .string()
      .optional()
      .openapi({ description: 'a pipeline file as text (IR YAML or JSON, as `sluice compile` writes it)' }),
    pipelineVersionId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'run an uploaded pipeline version instead of giving the pipeline' }),
    parameters: z.record(z.string(), JsonValueSchema).optional(),
    displayName: z.string().max(500).optional(),
    cache: z.boolean().optional().openapi({ description: 'use the cache (default true)' }),
    experimentId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'the experiment the run belongs to (default: Default)' }),
  })
  .openapi('CreateRunRequest');

export const TaskSchema = z
  .object({
    name: z.string().openapi({ description: 'path in the DAG, e.g. `for-loop-2[0]/print-op`' }),
    state: z.string(),
    attempts: z.number().int(),
    cached: z.boolean(),
  })
  .openapi('Task');

const RunFields = {
  runId: z.string(),
  pipeline: z.string(),
  displayName: z.string().nullable(),
  state: z.enum(RUN_STATES),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  parameters: z.record(z.string(), JsonValueSchema),
  error: z.string().optional().openapi({ description: 'why the run failed, when it did' }),
};

/** Where a run belongs and what a runs table shows beside it (schema 2). */
const RunCatalogFields = {
  durationMs: z
    .number()
    .nullable()
    .openapi({ description: 'finishedAt − createdAt in milliseconds; null while the run is not final' }),
  experimentId: z.string().openapi({ description: "the run's experiment (`default`: Default)" }),
  storageState: z.enum(['AVAILABLE', 'ARCHIVED']),
  pipelineVersionId: z.string().nullable(),
  pipelineVersion: z.string().nullable().openapi({ description: "the pipeline version's name" }),
  scalarMetrics: z.record(z.string(), z.number()).openapi({
    description: "the numbers in the run's metrics artifacts, keyed `<task path>/<metric name>`",
    example: { 'train/accuracy': 0.95 },
  }),
};

export const RunListItemSchema = z.object({ ...RunFields, ...RunCatalogFields }).openapi('RunListItem');
const ReportedArtifactSchema = z
  .object({
    task: z.string(),
    name: z.string(),
    uri: z.string(),
    schemaTitle: z.string(),
    metadata: z.record(z.string(), JsonValueSchema),
    final: z.boolean().optional().openapi({ description: 'models: no task of the run used it' }),
  })
  .openapi('ReportedArtifact');

const ReportedFailureSchema = z
  .object({
    task: z.string(),
    attempt: z.number().int(),
    message: z.string(),
    exitCode: z.number().int().nullable(),
    logPath: z.string().nullable(),
    logTail: z.array(z.string()).openapi({ description: 'the last lines the task printed' }),
  })
  .openapi('ReportedFailure');

/** `sluice show --json`'s object: the run, its tasks, outputs, metrics, models and failures. */
export const RunSchema = z
  .object({
    ...RunFields,
    ...RunCatalogFields,
    tasks: z.array(TaskSchema),
    outputs: z.object({
      parameters: z.record(z.string(), JsonValueSchema),
      artifacts: z.record(z.string(), z.array(z.string())),
    }),
    metrics: z.array(ReportedArtifactSchema),
    models: z.array(ReportedArtifactSchema),
    failures: z.array(ReportedFailureSchema),
  })
  .openapi('Run');

export const ListRunsQuerySchema = z.strictObject({
  state: z.enum(RUN_STATES).optional(),
  pipeline: z.string().min(1).max(500).optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'default 100' }),
  pageToken: z.string().max(2000).optional().openapi({ description: 'nextPageToken of the previous page' }),
  experimentId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'only runs of this experiment' }),
  storageState: z
    .enum(['AVAILABLE', 'ARCHIVED', 'ALL'])
    .optional()
    .openapi({ description: 'default AVAILABLE: archived runs are listed only when asked for' }),
  sortBy: z.string().max(100).optional().openapi({
    description:
      '`created_at`, `name`, `state` or `finished_at`, optionally followed by ` asc` or ` desc` (default `created_at desc`)',
    example: 'created_at desc',
  }),
});

export const ListRunsResponseSchema = z
  .object({
    runs: z.array(RunListItemSchema),
    nextPageToken: z.string().optional().openapi({ description: 'absent on the last page' }),
  })
  .openapi('ListRunsResponse');

/** An id in the path (`{runId}`, `{artifactId}`…): non-empty and bounded, named in the OpenAPI document. */
function idParam(name: string) {
  return z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name, in: 'path' } });
}

export const RunIdParamSchema = z.object({
  runId: idParam('runId'),
});

export const RetryResponseSchema = z
  .object({
    run: RunSchema,
    rerun: z.array(z.string()).openapi({ description: 'task paths that run again' }),
  })
  .openapi('RetryRunResponse');

export const LogsParamSchema = RunIdParamSchema.extend({
  taskPath: z
    .string()
    .min(1)
    .max(2000)
    .openapi({ param: { name: 'taskPath', in: 'path' }, description: 'the task path, URL-encoded' }),
});

export const LogsQuerySchema = z.strictObject({
  attempt: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, 'a whole number >= 1')
    .optional(),
  follow: z.enum(['true', 'false']).optional(),
});

export const EventsQuerySchema = z.strictObject({
  lastEventId: z
    .string()
    .regex(/^[0-9]{1,15}$/, 'a transition id')
    .optional()
    .openapi({ description: 'resume after this event id (also read from the Last-Event-ID header)' }),
});

export const ArtifactParamSchema = z.object({
  artifactId: idParam('artifactId'),
});

export const ArtifactSchema = z
  .object({
    artifactId: z.string(),
    runId: z.string(),
    taskId: z.string(),
    name: z.string(),
    uri: z.string(),
    schemaTitle: z.string(),
    schemaVersion: z.string(),
    metadata: z.record(z.string(), JsonValueSchema),
    digest: z.string().nullable(),
    sizeBytes: z.number().nullable(),
    createdAt: z.string(),
  })
  .openapi('Artifact');

export const LineageQuerySchema = z.strictObject({
  uri: z.string().min(1).max(4000).optional(),
  runId: z.string().min(1).max(200).optional(),
  task: z.string().min(1).max(2000).optional(),
});

export const LineageSchema = z
  .object({
    artifacts: z.array(z.record(z.string(), JsonValueSchema)),
    upstream: z.array(z.record(z.string(), JsonValueSchema)),
    downstream: z.array(z.record(z.string(), JsonValueSchema)),
    truncated: z.boolean(),
  })
  .openapi('Lineage');

// ---- pipelines -----------------------------------------------------------------------------------------

export const CreatePipelineSchema = z
  .strictObject({
    pipelineSpec: z
      .record(z.string(), JsonValueSchema)
      .optional()
      .openapi({ description: 'the PipelineSpec (KFP IR) as JSON; give this or pipelineYaml' }),
    platformSpec: z
      .record(z.string(), JsonValueSchema)
      .optional()
      .openapi({ description: 'optional PlatformSpec next to pipelineSpec' }),
    pipelineYaml: z
      .string()
      .optional()
      .openapi({ description: 'a pipeline file as text (IR YAML or JSON, as `sluice compile` writes it)' }),
    versionName: z.string().min(1).max(200).optional().openapi({
      description: "the new version's name (default `v<n>`); ignored when the spec is already a version",
    }),
  })
  .openapi('CreatePipelineRequest');

export const PipelineSchema = z
  .object({
    pipelineId: z.string(),
    name: z.string().openapi({ description: "the pipeline's pipelineInfo.name" }),
    createdAt: z.string(),
    versionCount: z.number().int(),
  })
  .openapi('Pipeline');

const PipelineVersionFields = {
  pipelineVersionId: z.string(),
  pipelineId: z.string(),
  pipeline: z.string().openapi({ description: "the pipeline's name" }),
  name: z.string(),
  digest: z
    .string()
    .openapi({ description: 'sha256 of the pipeline document: the same upload, the same version' }),
  createdAt: z.string(),
};

export const PipelineVersionSchema = z.object(PipelineVersionFields).openapi('PipelineVersion');

export const PipelineVersionDetailSchema = z
  .object({
    ...PipelineVersionFields,
    pipelineSpec: z.record(z.string(), JsonValueSchema),
    platformSpec: z.record(z.string(), JsonValueSchema).optional(),
  })
  .openapi('PipelineVersionDetail');

export const CreatePipelineResponseSchema = z
  .object({ pipeline: PipelineSchema, version: PipelineVersionSchema })
  .openapi('CreatePipelineResponse');

export const ListPipelinesResponseSchema = z
  .object({ pipelines: z.array(PipelineSchema) })
  .openapi('ListPipelinesResponse');

export const ListPipelineVersionsResponseSchema = z
  .object({ versions: z.array(PipelineVersionSchema) })
  .openapi('ListPipelineVersionsResponse');

export const PipelineIdParamSchema = z.object({
  pipelineId: idParam('pipelineId'),
});

export const PipelineVersionParamSchema = PipelineIdParamSchema.extend({
  versionId: idParam('versionId'),
});
