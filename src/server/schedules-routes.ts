/**
 * Recurring runs and triggers over HTTP: `/recurringruns` (create, list, get, edit in place, delete,
 * `:enable`/`:disable`, the run history) and `/triggers` (create, list, get, delete, events, `:fire`).
 * Everything goes through the server's Scheduler, so a change made here is picked up at once; changes
 * made by the CLI on the same store are picked up at its next poll.
 *
 * `POST /triggers/{id}:fire` needs the trigger's own secret (header X-Sluice-Trigger-Secret) on top of
 * the server's bearer token rules: a webhook caller gets exactly one capability, firing that trigger.
 */
import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { isSluiceError } from '../errors.ts';
import {
  checkPipeline,
  createSchedule,
  createWatchTrigger,
  createWebhookTrigger,
  describeFireTime,
  describeTiming,
  editSchedule,
  nextFireTimes,
  type ScheduleInput,
  type Scheduler,
  verifyTriggerSecret,
} from '../schedule/index.ts';
import type { Json, RunStore, ScheduleRecord, TriggerRecord } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import {
  CreateRecurringRunSchema,
  CreateTriggerResponseSchema,
  CreateTriggerSchema,
  EditRecurringRunSchema,
  FireTriggerSchema,
  ListRecurringRunsSchema,
  ListTriggersSchema,
  RecurringRunHistorySchema,
  RecurringRunParamSchema,
  RecurringRunSchema,
  TriggerEventSchema,
  TriggerEventsSchema,
  TriggerParamSchema,
  TriggerSchema,
} from './schedule-schemas.ts';
import { ErrorSchema } from './schemas.ts';

export interface ScheduleRoutesDependencies {
  store: RunStore;
  scheduler: Scheduler;
  /** The API prefix the routes live under (`/apis/v2beta1`). */
  prefix: string;
  now?: () => Date;
}

const NEXT_FIRE_TIMES = 5;
const SECRET_HEADER = 'x-sluice-trigger-secret';
const errors = {
  400: { description: 'invalid request', content: { 'application/json': { schema: ErrorSchema } } },
  401: {
    description: 'missing or wrong credentials',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'not found', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'the name is taken', content: { 'application/json': { schema: ErrorSchema } } },
};

export function registerScheduleRoutes(app: OpenAPIHono, deps: ScheduleRoutesDependencies): void {
  const { store, scheduler, prefix } = deps;
  const schedules = scheduler.schedules;
  const now = deps.now ?? (() => new Date());
  const stores = { schedules, store };

  async function requireSchedule(idOrName: string): Promise<ScheduleRecord> {
    const schedule = await schedules.getSchedule(idOrName);
    if (!schedule)
      throw new ApiError(404, 'RECURRING_RUN_NOT_FOUND', `no recurring run '${idOrName}'`, 'recurringRunId');
    return schedule;
  }

  async function requireTrigger(idOrName: string): Promise<TriggerRecord> {
    const trigger = await schedules.getTrigger(idOrName);
    if (!trigger) throw new ApiError(404, 'TRIGGER_NOT_FOUND', `no trigger '${idOrName}'`, 'triggerId');
    return trigger;
  }

  /** pipelineVersionId pins a version; pipelineId alone follows the newest. */
  async function pipelineOf(body: {
    pipelineId?: string | undefined;
    pipelineVersionId?: string | null | undefined;
  }): Promise<{ pipelineId: string; pipelineVersionId: string | null }> {
    if (body.pipelineVersionId) {
      const version = await store.getPipelineVersion(body.pipelineVersionId);
      if (!version)
        throw new ApiError(
          404,
          'PIPELINE_VERSION_NOT_FOUND',
          `no pipeline version '${body.pipelineVersionId}' in this store`,
          'pipelineVersionId',
        );
      if (body.pipelineId !== undefined && body.pipelineId !== version.pipelineId)
        throw new ApiError(
          400,
          'INVALID_ARGUMENT',
          'pipelineVersionId belongs to another pipeline',
          'pipelineId',
        );
      return { pipelineId: version.pipelineId, pipelineVersionId: version.id };
    }
    if (body.pipelineId) {
      if (!(await store.getPipeline(body.pipelineId)))
        throw new ApiError(
          404,
          'PIPELINE_NOT_FOUND',
          `no pipeline '${body.pipelineId}' in this store`,
          'pipelineId',
        );
      return { pipelineId: body.pipelineId, pipelineVersionId: null };
    }
    throw new ApiError(
      400,
      'INVALID_ARGUMENT',
      'give pipelineVersionId (that version) or pipelineId (its newest version at each run)',
      'pipelineVersionId',
    );
  }

  function scheduleView(schedule: ScheduleRecord): z.infer<typeof RecurringRunSchema> {
    const at = now();
    const zone = schedule.timing.kind === 'cron' ? schedule.timing.timeZone : 'UTC';
    const times = schedule.enabled ? nextFireTimes(schedule.timing, at, NEXT_FIRE_TIMES) : [];
    return {
      recurringRunId: schedule.id,
      name: schedule.name,
      pipelineId: schedule.pipelineId,
      pipelineVersionId: schedule.pipelineVersionId,
      ...(schedule.timing.kind === 'cron'
        ? { cron: schedule.timing.cron, timeZone: schedule.timing.timeZone }
        : { intervalSeconds: schedule.timing.everySeconds, startAt: schedule.timing.startAt }),
      schedule: describeTiming(schedule.timing),
      parameters: schedule.parameters,
      maxConcurrency: schedule.maxConcurrency,
      catchUp: schedule.catchUp,
      status: schedule.enabled ? 'ENABLED' : 'DISABLED',
      createdAt: schedule.createdAt,
      updatedAt: schedule.updatedAt,
      nextFireTimes: times.map((time) => ({
        at: time.toISOString(),
        description: describeFireTime(time, at, zone),
      })),
    };
  }

  function triggerView(trigger: TriggerRecord): z.infer<typeof TriggerSchema> {
    return {
      triggerId: trigger.id,
      name: trigger.name,
      kind: trigger.kind,
      pipelineId: trigger.pipelineId,
      pipelineVersionId: trigger.pipelineVersionId,
      parameters: trigger.parameters,
      directory: trigger.watchDirectory,
      parameterName: trigger.parameterName,
      enabled: trigger.enabled,
      createdAt: trigger.createdAt,
      ...(trigger.kind === 'webhook' ? { fireUrl: `${prefix}/triggers/${trigger.id}:fire` } : {}),
    };
  }

  // ---- recurring runs ------------------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: 'post',
      path: `${prefix}/recurringruns`,
      summary: 'Create a recurring run (cron or interval) of a pipeline version, or of its newest version',
      request: {
        body: { required: true, content: { 'application/json': { schema: CreateRecurringRunSchema } } },
      },
      responses: {
        200: {
          description: 'the recurring run',
          content: { 'application/json': { schema: RecurringRunSchema } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const schedule = await mapped(async () =>
        createSchedule(
          stores,
          { ...scheduleInput(body), ...(await pipelineOf(body)), name: body.name },
          now(),
        ),
      );
      scheduler.poke();
      return c.json(scheduleView(schedule), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/recurringruns`,
      summary: 'List recurring runs with their next fire times',
      responses: {
        200: {
          description: 'the recurring runs',
          content: { 'application/json': { schema: ListRecurringRunsSchema } },
        },
        ...errors,
      },
    }),
    async (c) => c.json({ recurringRuns: (await schedules.listSchedules()).map(scheduleView) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/recurringruns/{recurringRunId}`,
      summary: 'Get a recurring run (by id or name)',
      request: { params: RecurringRunParamSchema },
      responses: {
        200: {
          description: 'the recurring run',
          content: { 'application/json': { schema: RecurringRunSchema } },
        },
        ...errors,
      },
    }),
    async (c) => c.json(scheduleView(await requireSchedule(c.req.valid('param').recurringRunId)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: `${prefix}/recurringruns/{recurringRunId}`,
      summary: 'Edit a recurring run in place (runs already started are not touched)',
      request: {
        params: RecurringRunParamSchema,
        body: { required: true, content: { 'application/json': { schema: EditRecurringRunSchema } } },
      },
      responses: {
        200: {
          description: 'the recurring run',
          content: { 'application/json': { schema: RecurringRunSchema } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const current = await requireSchedule(c.req.valid('param').recurringRunId);
      const body = c.req.valid('json');
      const pipelineChange =
        body.pipelineVersionId !== undefined || body.pipelineId !== undefined
          ? await pipelineOf({
              pipelineId:
                body.pipelineId ?? (body.pipelineVersionId === null ? current.pipelineId : undefined),
              pipelineVersionId: body.pipelineVersionId,
            })
          : {};
      const updated = await mapped(() =>
        editSchedule(
          stores,
          current,
          {
            ...scheduleInput(body),
            ...pipelineChange,
            ...(body.name === undefined ? {} : { name: body.name }),
          },
          now(),
        ),
      );
      scheduler.poke();
      return c.json(scheduleView(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${prefix}/recurringruns/{recurringRunId}`,
      summary: 'Delete a recurring run (its runs stay)',
      request: { params: RecurringRunParamSchema },
      responses: { 200: { description: 'deleted' }, ...errors },
    }),
    async (c) => {
      const schedule = await requireSchedule(c.req.valid('param').recurringRunId);
      await schedules.deleteSchedule(schedule.id);
      return c.json({}, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/recurringruns/{recurringRunId}/runs`,
      summary: "A recurring run's history: its slots, newest first, with their runs' states",
      request: { params: RecurringRunParamSchema },
      responses: {
        200: {
          description: 'the history',
          content: { 'application/json': { schema: RecurringRunHistorySchema } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const schedule = await requireSchedule(c.req.valid('param').recurringRunId);
      const slots = await schedules.listSlots(schedule.id, 200);
      return c.json(
        {
          slots: await Promise.all(
            slots.map(async (slot) => ({
              slotTime: slot.slotTime,
              state: slot.state,
              runId: slot.runId,
              runState: (await store.getRun(slot.runId))?.state ?? null,
              error: slot.error,
            })),
          ),
        },
        200,
      );
    },
  );

  for (const action of ['enable', 'disable'] as const)
    app.openAPIRegistry.registerPath({
      method: 'post',
      path: `${prefix}/recurringruns/{recurringRunId}:${action}`,
      summary:
        action === 'enable'
          ? 'Resume a recurring run (slots that passed while it was paused do not run)'
          : 'Pause a recurring run (runs already started go on)',
      request: { params: RecurringRunParamSchema },
      responses: {
        200: {
          description: 'the recurring run',
          content: { 'application/json': { schema: RecurringRunSchema } },
        },
        ...errors,
      },
    });
  app.post(`${prefix}/recurringruns/:target`, async (c) => {
    const match = /^([^:]{1,200}):(enable|disable)$/.exec(c.req.param('target'));
    if (!match)
      throw new ApiError(
        404,
        'NOT_FOUND',
        `no endpoint POST ${c.req.path}; use {recurringRunId}:enable or :disable`,
      );
    const schedule = await requireSchedule(match[1]!);
    const updated = await schedules.setScheduleEnabled(
      schedule.id,
      match[2] === 'enable',
      now().toISOString(),
    );
    scheduler.poke();
    return c.json(scheduleView(updated), 200);
  });

  // ---- triggers ------------------------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: 'post',
      path: `${prefix}/triggers`,
      summary: 'Create a trigger: a watched directory, or a webhook (its secret is in this response only)',
      request: { body: { required: true, content: { 'application/json': { schema: CreateTriggerSchema } } } },
      responses: {
        200: {
          description: 'the trigger',
          content: { 'application/json': { schema: CreateTriggerResponseSchema } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const input = {
        name: body.name,
        ...(await pipelineOf(body)),
        parameters: (body.parameters ?? {}) as { [name: string]: Json },
      };
      if (body.kind === 'watch') {
        if (body.directory === undefined || body.parameterName === undefined)
          throw new ApiError(
            400,
            'INVALID_ARGUMENT',
            'a watch trigger needs directory and parameterName',
            body.directory === undefined ? 'directory' : 'parameterName',
          );
        const directory = body.directory;
        const parameterName = body.parameterName;
        const trigger = await mapped(() =>
          createWatchTrigger(stores, { ...input, directory, parameterName }, now()),
        );
        scheduler.poke();
        return c.json({ trigger: triggerView(trigger) }, 200);
      }
      for (const field of ['directory', 'parameterName'] as const)
        if (body[field] !== undefined)
          throw new ApiError(400, 'INVALID_ARGUMENT', `${field} is for watch triggers`, field);
      const { trigger, secret } = await mapped(() => createWebhookTrigger(stores, input, now()));
      return c.json({ trigger: triggerView(trigger), secret }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/triggers`,
      summary: 'List triggers',
      responses: {
        200: { description: 'the triggers', content: { 'application/json': { schema: ListTriggersSchema } } },
        ...errors,
      },
    }),
    async (c) => c.json({ triggers: (await schedules.listTriggers()).map(triggerView) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/triggers/{triggerId}`,
      summary: 'Get a trigger (by id or name)',
      request: { params: TriggerParamSchema },
      responses: {
        200: { description: 'the trigger', content: { 'application/json': { schema: TriggerSchema } } },
        ...errors,
      },
    }),
    async (c) => c.json(triggerView(await requireTrigger(c.req.valid('param').triggerId)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/triggers/{triggerId}/events`,
      summary: "A trigger's events, newest first, with the runs they started",
      request: { params: TriggerParamSchema },
      responses: {
        200: { description: 'the events', content: { 'application/json': { schema: TriggerEventsSchema } } },
        ...errors,
      },
    }),
    async (c) => {
      const trigger = await requireTrigger(c.req.valid('param').triggerId);
      const events = await schedules.listTriggerEvents(trigger.id, 200);
      return c.json(
        {
          events: events.map((event) => ({
            dedupKey: event.dedupKey,
            runId: event.runId,
            state: event.state,
            receivedAt: event.receivedAt,
            error: event.error,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${prefix}/triggers/{triggerId}`,
      summary: 'Delete a trigger (its runs stay)',
      request: { params: TriggerParamSchema },
      responses: { 200: { description: 'deleted' }, ...errors },
    }),
    async (c) => {
      const trigger = await requireTrigger(c.req.valid('param').triggerId);
      await schedules.deleteTrigger(trigger.id);
      scheduler.poke();
      return c.json({}, 200);
    },
  );

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: `${prefix}/triggers/{triggerId}:fire`,
    summary:
      'Fire a webhook trigger: needs X-Sluice-Trigger-Secret; an Idempotency-Key (header or body) seen before starts nothing',
    request: {
      params: TriggerParamSchema,
      body: { required: false, content: { 'application/json': { schema: FireTriggerSchema } } },
    },
    responses: {
      200: {
        description: 'the event and its run',
        content: { 'application/json': { schema: TriggerEventSchema } },
      },
      ...errors,
    },
  });
  for (const action of ['enable', 'disable'] as const)
    app.openAPIRegistry.registerPath({
      method: 'post',
      path: `${prefix}/triggers/{triggerId}:${action}`,
      summary:
        action === 'enable'
          ? 'Resume a trigger (a watch trigger then fires for files that arrived while it was paused)'
          : 'Pause a trigger (a paused webhook answers 409; runs already started go on)',
      request: { params: TriggerParamSchema },
      responses: {
        200: { description: 'the trigger', content: { 'application/json': { schema: TriggerSchema } } },
        ...errors,
      },
    });
  app.post(`${prefix}/triggers/:target`, async (c) => {
    const match = /^([^:]{1,200}):(fire|enable|disable)$/.exec(c.req.param('target'));
    if (!match)
      throw new ApiError(
        404,
        'NOT_FOUND',
        `no endpoint POST ${c.req.path}; use {triggerId}:fire, :enable or :disable`,
      );
    const trigger = await requireTrigger(match[1]!);
    if (match[2] !== 'fire') {
      const updated = await schedules.setTriggerEnabled(trigger.id, match[2] === 'enable');
      scheduler.poke();
      return c.json(triggerView(updated), 200);
    }
    if (!verifyTriggerSecret(trigger, c.req.header(SECRET_HEADER)))
      throw new ApiError(
        401,
        'UNAUTHENTICATED',
        trigger.kind === 'webhook'
          ? "this trigger needs its secret in the 'X-Sluice-Trigger-Secret' header"
          : 'this is a watch trigger; only webhook triggers can be fired over HTTP',
        'X-Sluice-Trigger-Secret',
      );
    if (!trigger.enabled)
      throw new ApiError(
        409,
        'TRIGGER_PAUSED',
        `trigger '${trigger.name}' is paused: nothing was started; resume it (POST ${prefix}/triggers/${trigger.id}:enable or sluice trigger resume ${trigger.name}) and send again`,
        'triggerId',
      );
    const body = await fireBody(c);
    const key = c.req.header('idempotency-key') ?? body.idempotencyKey ?? randomUUID();
    if (key.length > 200)
      throw new ApiError(
        400,
        'INVALID_ARGUMENT',
        'Idempotency-Key is limited to 200 characters',
        'Idempotency-Key',
      );
    const parameters = (body.parameters ?? {}) as { [name: string]: Json };
    // Parameters the pipeline does not take are the caller's mistake: a 400 now, not a FAILED event later.
    await mapped(() =>
      checkPipeline(store, trigger.pipelineId, trigger.pipelineVersionId, {
        ...trigger.parameters,
        ...parameters,
      }),
    );
    const { event, created } = await scheduler.fireTrigger(trigger, key, parameters);
    return c.json(
      {
        dedupKey: event.dedupKey,
        runId: event.runId,
        state: event.state,
        receivedAt: event.receivedAt,
        error: event.error,
        duplicate: !created,
      },
      200,
    );
  });
}

/** The optional JSON body of `:fire`, checked like every other body. */
async function fireBody(c: Context): Promise<z.infer<typeof FireTriggerSchema>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'INVALID_ARGUMENT', 'the body is not JSON', 'body');
  }
  const parsed = FireTriggerSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
    const field = path.join('.') || 'body';
    throw new ApiError(400, 'INVALID_ARGUMENT', `${field}: ${issue.message}`, field);
  }
  return parsed.data;
}

/** The request's timing and options as ScheduleInput fields (only those given). */
function scheduleInput(body: z.infer<typeof EditRecurringRunSchema>): Partial<ScheduleInput> {
  return {
    ...(body.cron === undefined ? {} : { cron: body.cron }),
    ...(body.timeZone === undefined ? {} : { timeZone: body.timeZone }),
    ...(body.intervalSeconds === undefined ? {} : { everySeconds: body.intervalSeconds }),
    ...(body.startAt === undefined ? {} : { startAt: body.startAt }),
    ...(body.parameters === undefined ? {} : { parameters: body.parameters as { [name: string]: Json } }),
    ...(body.maxConcurrency === undefined ? {} : { maxConcurrency: body.maxConcurrency }),
    ...(body.catchUp === undefined ? {} : { catchUp: body.catchUp }),
    ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
  };
}

/** Schedule-layer errors as API errors: bad input 400 naming the field, a taken name 409. */
async function mapped<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (isSluiceError(error)) {
      if (error.code === 'SCHEDULE_INPUT_INVALID')
        throw new ApiError(
          400,
          'INVALID_ARGUMENT',
          error.message,
          (error as unknown as { field: string }).field,
        );
      if (error.code === 'SCHEDULE_NAME_TAKEN' || error.code === 'TRIGGER_NAME_TAKEN')
        throw new ApiError(409, error.code, error.message, 'name');
    }
    throw error;
  }
}
