/**
 * Request and response schemas of recurring runs and triggers (KFP v2beta1's `recurringruns`, in Sluice's
 * camelCase). Strict objects: an unknown field is a 400 naming it, not something silently ignored.
 */
import { z } from '@hono/zod-openapi';

const JsonValueSchema = z.unknown().openapi({ description: 'any JSON value' });
const CATCH_UP = ['skip', 'latest', 'all'] as const;

const ScheduleFields = {
  name: z.string().min(1).max(100),
  pipelineVersionId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'run this version (pinned); give this or pipelineId' }),
  pipelineId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "run the pipeline's newest version at each fire time ('latest')" }),
  cron: z.string().min(1).max(200).optional().openapi({
    description: "5 fields (minute hour day month weekday) or 6 (seconds first), e.g. '0 2 * * 1'",
    example: '0 2 * * 1',
  }),
  timeZone: z.string().min(1).max(100).optional().openapi({ description: 'IANA zone of cron (default UTC)' }),
  intervalSeconds: z
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: 'instead of cron: every N seconds' }),
  startAt: z.string().max(100).optional().openapi({ description: 'interval start (ISO-8601; default now)' }),
  parameters: z.record(z.string(), JsonValueSchema).optional(),
  maxConcurrency: z.number().int().min(1).max(1000).optional().openapi({ description: 'default 1' }),
  catchUp: z.enum(CATCH_UP).optional().openapi({
    description:
      'after downtime: skip (no missed runs, the default), latest (one) or all (every missed slot)',
  }),
  enabled: z.boolean().optional(),
};

export const CreateRecurringRunSchema = z.strictObject(ScheduleFields).openapi('CreateRecurringRunRequest');

export const EditRecurringRunSchema = z
  .strictObject({
    ...ScheduleFields,
    name: ScheduleFields.name.optional(),
    pipelineVersionId: ScheduleFields.pipelineVersionId.nullable(),
  })
  .openapi('EditRecurringRunRequest');

export const FireTimeSchema = z
  .object({
    at: z.string(),
    description: z.string().openapi({ example: 'in 3 hours (Mon 2026-12-07 02:00 UTC)' }),
  })
  .openapi('FireTime');

export const RecurringRunSchema = z
  .object({
    recurringRunId: z.string(),
    name: z.string(),
    pipelineId: z.string(),
    pipelineVersionId: z.string().nullable().openapi({ description: "null: the pipeline's newest version" }),
    cron: z.string().optional(),
    timeZone: z.string().optional(),
    intervalSeconds: z.number().int().optional(),
    startAt: z.string().optional(),
    schedule: z.string().openapi({ description: 'the timing in words' }),
    parameters: z.record(z.string(), JsonValueSchema),
    maxConcurrency: z.number().int(),
    catchUp: z.enum(CATCH_UP),
    status: z.enum(['ENABLED', 'DISABLED']),
    createdAt: z.string(),
    updatedAt: z.string(),
    nextFireTimes: z.array(FireTimeSchema).openapi({ description: 'the next 5 (none while disabled)' }),
  })
  .openapi('RecurringRun');

export const ListRecurringRunsSchema = z
  .object({ recurringRuns: z.array(RecurringRunSchema) })
  .openapi('ListRecurringRunsResponse');

export const RecurringRunHistorySchema = z
  .object({
    slots: z.array(
      z.object({
        slotTime: z.string(),
        state: z.string().openapi({ description: 'WAITING, STARTING, STARTED, SKIPPED or FAILED' }),
        runId: z.string(),
        runState: z.string().nullable(),
        error: z.string().nullable(),
      }),
    ),
  })
  .openapi('RecurringRunHistory');

export const CreateTriggerSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    kind: z.enum(['watch', 'webhook']),
    pipelineVersionId: z.string().min(1).max(200).optional(),
    pipelineId: z.string().min(1).max(200).optional(),
    parameters: z.record(z.string(), JsonValueSchema).optional(),
    directory: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .openapi({ description: 'watch: an absolute directory path' }),
    parameterName: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "watch: the pipeline parameter that receives the file's path" }),
  })
  .openapi('CreateTriggerRequest');

export const TriggerSchema = z
  .object({
    triggerId: z.string(),
    name: z.string(),
    kind: z.enum(['watch', 'webhook']),
    pipelineId: z.string(),
    pipelineVersionId: z.string().nullable(),
    parameters: z.record(z.string(), JsonValueSchema),
    directory: z.string().nullable(),
    parameterName: z.string().nullable(),
    enabled: z.boolean().openapi({ description: 'false while paused' }),
    createdAt: z.string(),
    fireUrl: z
      .string()
      .optional()
      .openapi({ description: 'webhook: POST here with X-Sluice-Trigger-Secret' }),
  })
  .openapi('Trigger');

export const CreateTriggerResponseSchema = z
  .object({
    trigger: TriggerSchema,
    secret: z.string().optional().openapi({ description: 'webhook: shown only in this response' }),
  })
  .openapi('CreateTriggerResponse');

export const ListTriggersSchema = z
  .object({ triggers: z.array(TriggerSchema) })
  .openapi('ListTriggersResponse');

export const TriggerEventSchema = z
  .object({
    dedupKey: z.string(),
    runId: z.string(),
    state: z.string(),
    receivedAt: z.string(),
    error: z.string().nullable(),
    duplicate: z
      .boolean()
      .optional()
      .openapi({ description: 'fire: the key was seen before; nothing started' }),
  })
  .openapi('TriggerEvent');

export const TriggerEventsSchema = z.object({ events: z.array(TriggerEventSchema) }).openapi('TriggerEvents');

export const FireTriggerSchema = z
  .strictObject({
    idempotencyKey: z.string().min(1).max(200).optional().openapi({
      description: 'de-duplication key (or the Idempotency-Key header): a repeated key starts nothing',
    }),
    parameters: z.record(z.string(), JsonValueSchema).optional(),
  })
  .openapi('FireTriggerRequest');

function idParam(name: string) {
  return z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name, in: 'path' } });
}

export const RecurringRunParamSchema = z.object({ recurringRunId: idParam('recurringRunId') });
export const TriggerParamSchema = z.object({ triggerId: idParam('triggerId') });
