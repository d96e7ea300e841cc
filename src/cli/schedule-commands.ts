/**
 * `sluice schedule …` and `sluice trigger …`: recurring runs and triggers, written straight into the store
 * in SLUICE_HOME. A running `sluice server` on that store picks changes up within a second; the CLI starts
 * no runs itself.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { sluiceHome } from '../engine/index.ts';
import { IrInvalidError, type PipelineDocument, validatePipeline } from '../ir/index.ts';
import {
  createSchedule,
  createWatchTrigger,
  createWebhookTrigger,
  describeFireTime,
  describeTiming,
  editSchedule,
  nextFireTimes,
  openScheduleStore,
  parseDuration,
  resolveVersion,
  type ScheduleInput,
  ScheduleInputError,
} from '../schedule/index.ts';
import {
  type CatchUpPolicy,
  type Json,
  openSqliteRunStore,
  type RunStore,
  ScheduleNotFoundError,
  type ScheduleRecord,
  type ScheduleStore,
  TriggerNotFoundError,
} from '../store/index.ts';
import { loadPipelineDocument } from './load-pipeline-document.ts';
import { parseRunParameters } from './run-parameters.ts';

export interface ScheduleOptions {
  cron?: string;
  every?: string;
  name?: string;
  tz?: string;
  startAt?: string;
  param?: string[];
  maxConcurrency?: number;
  catchUp?: CatchUpPolicy;
  latest?: boolean;
  export?: string;
  file?: string;
  rename?: string;
  paused?: boolean;
  json?: boolean;
}

/** Which command-line option each schedule field comes from, so an error names what the user typed. */
const OPTION_OF: Record<string, string> = {
  cron: '--cron',
  every: '--every',
  timeZone: '--tz',
  startAt: '--start-at',
  maxConcurrency: '--max-concurrency',
  catchUp: '--catch-up',
  name: '--name',
  parameterName: '--param-name',
  directory: '--watch',
  pipelineId: 'FILE',
  pipelineVersionId: 'FILE',
};

async function withStores<T>(
  body: (stores: { schedules: ScheduleStore; store: RunStore }) => Promise<T>,
): Promise<T> {
  const home = sluiceHome();
  const store = await openSqliteRunStore(join(home, 'sluice.db'));
  const schedules = await openScheduleStore(home).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  try {
    return await body({ schedules, store });
  } catch (error) {
    if (error instanceof ScheduleInputError) {
      const option = error.field.startsWith('parameters.')
        ? `--param ${error.field.slice('parameters.'.length)}`
        : (OPTION_OF[error.field] ?? error.field);
      throw new ScheduleInputError(error.field, `${option}: ${error.message}`);
    }
    throw error;
  } finally {
    await schedules.close();
    await store.close();
  }
}

/** Loads FILE, checks it, and records it as a pipeline version (the same version a run of it would make). */
async function saveVersion(
  store: RunStore,
  file: string,
  exportName: string | undefined,
): Promise<{ document: PipelineDocument; pipelineId: string; versionId: string }> {
  const document = await loadPipelineDocument(file, exportName);
  const issues = validatePipeline(document);
  if (issues.length > 0) throw new IrInvalidError(issues);
  const spec = document as unknown as Json;
  const version = await store.savePipelineVersion(
    document.pipelineSpec.pipelineInfo?.name ?? 'pipeline',
    createHash('sha256').update(JSON.stringify(spec)).digest('hex'),
    spec,
    new Date().toISOString(),
  );
  return { document, pipelineId: version.pipelineId, versionId: version.id };
}

function parameters(document: PipelineDocument, texts: string[] | undefined): { [name: string]: Json } {
  return parseRunParameters(document, texts ?? []) as { [name: string]: Json };
}

function timingInput(options: ScheduleOptions): Partial<ScheduleInput> {
  return {
    ...(options.cron === undefined ? {} : { cron: options.cron }),
    ...(options.every === undefined ? {} : { everySeconds: parseDuration(options.every, 'every') }),
    ...(options.tz === undefined ? {} : { timeZone: options.tz }),
    ...(options.startAt === undefined ? {} : { startAt: options.startAt }),
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    ...(options.catchUp === undefined ? {} : { catchUp: options.catchUp }),
  };
}

export async function scheduleCreateCommand(file: string, options: ScheduleOptions): Promise<number> {
  if (options.cron === undefined && options.every === undefined)
    throw new ScheduleInputError(
      'cron',
      "give --cron EXPR (e.g. --cron '0 2 * * 1') or --every DURATION (e.g. --every 6h)",
    );
  return withStores(async (stores) => {
    const { document, pipelineId, versionId } = await saveVersion(stores.store, file, options.export);
    const schedule = await createSchedule(
      stores,
      {
        name: options.name!,
        pipelineId,
        pipelineVersionId: options.latest ? null : versionId,
        parameters: parameters(document, options.param),
        projectRoot: process.cwd(),
        enabled: !options.paused,
        ...timingInput(options),
      },
      new Date(),
    );
    process.stdout.write(`created schedule ${schedule.name}: ${describeTiming(schedule.timing)}\n`);
    process.stdout.write(`${nextLine(schedule, new Date())}\n`);
    process.stdout.write('runs start while `sluice server` runs on this SLUICE_HOME\n');
    return 0;
  });
}

export async function scheduleEditCommand(name: string, options: ScheduleOptions): Promise<number> {
  return withStores(async (stores) => {
    const current = await requireSchedule(stores.schedules, name);
    let pipeline: Partial<ScheduleInput> = {};
    let document: PipelineDocument | undefined;
    if (options.file !== undefined) {
      const saved = await saveVersion(stores.store, options.file, options.export);
      document = saved.document;
      pipeline = { pipelineId: saved.pipelineId, pipelineVersionId: options.latest ? null : saved.versionId };
    } else if (options.latest) pipeline = { pipelineVersionId: null };
    if (options.param !== undefined && document === undefined) {
      const version = await resolveVersion(stores.store, current.pipelineId, current.pipelineVersionId);
      if (typeof version === 'string') throw new ScheduleInputError('pipelineVersionId', version);
      document = version.spec as unknown as PipelineDocument;
    }
    const updated = await editSchedule(
      stores,
      current,
      {
        ...pipeline,
        ...timingInput(options),
        ...(options.rename === undefined ? {} : { name: options.rename }),
        ...(options.param === undefined ? {} : { parameters: parameters(document!, options.param) }),
      },
      new Date(),
    );
    process.stdout.write(`edited schedule ${updated.name}: ${describeTiming(updated.timing)}\n`);
    process.stdout.write(`${nextLine(updated, new Date())}\n`);
    return 0;
  });
}

export async function scheduleListCommand(options: { json?: boolean }): Promise<number> {
  return withStores(async ({ schedules }) => {
    const now = new Date();
    const list = await schedules.listSchedules();
    if (options.json) {
      const rows = list.map((schedule) => ({
        ...schedule,
        nextFireTimes: schedule.enabled
          ? nextFireTimes(schedule.timing, now, 5).map((t) => t.toISOString())
          : [],
      }));
      process.stdout.write(`${JSON.stringify(rows)}\n`);
    } else if (list.length === 0)
      process.stdout.write(
        "no schedules yet; create one with: sluice schedule create pipeline.ts --cron '0 2 * * 1' --name NAME\n",
      );
    else
      for (const schedule of list)
        process.stdout.write(
          `${schedule.name}  ${schedule.enabled ? 'enabled' : 'paused '}  ${describeTiming(schedule.timing)}  catch-up ${schedule.catchUp}, max ${schedule.maxConcurrency}\n  ${nextLine(schedule, now)}\n`,
        );
    return 0;
  });
}

export async function scheduleSetEnabledCommand(name: string, enabled: boolean): Promise<number> {
  return withStores(async ({ schedules }) => {
    const schedule = await requireSchedule(schedules, name);
    const updated = await schedules.setScheduleEnabled(schedule.id, enabled, new Date().toISOString());
    process.stdout.write(
      enabled
        ? `resumed schedule ${updated.name}; ${nextLine(updated, new Date())}\n`
        : `paused schedule ${updated.name}; runs already started go on\n`,
    );
    return 0;
  });
}

export async function scheduleDeleteCommand(name: string): Promise<number> {
  return withStores(async ({ schedules }) => {
    const schedule = await requireSchedule(schedules, name);
    await schedules.deleteSchedule(schedule.id);
    process.stdout.write(`deleted schedule ${schedule.name} (its runs stay)\n`);
    return 0;
  });
}

export async function scheduleHistoryCommand(name: string, options: { json?: boolean }): Promise<number> {
  return withStores(async ({ schedules, store }) => {
    const schedule = await requireSchedule(schedules, name);
    const slots = await schedules.listSlots(schedule.id, 100);
    const rows = await Promise.all(
      slots.map(async (slot) => ({
        slotTime: slot.slotTime,
        state: slot.state,
        runId: slot.runId,
        runState: (await store.getRun(slot.runId))?.state ?? null,
        error: slot.error,
      })),
    );
    if (options.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else if (rows.length === 0) process.stdout.write(`schedule ${schedule.name} has not fired yet\n`);
    else
      for (const row of rows)
        process.stdout.write(
          `${row.slotTime}  ${(row.runState ?? row.state).padEnd(9)}  ${row.runId}${row.error ? `  ${row.error}` : ''}\n`,
        );
    return 0;
  });
}

function nextLine(schedule: ScheduleRecord, now: Date): string {
  if (!schedule.enabled) return `paused: resume with: sluice schedule resume ${schedule.name}`;
  const [next] = nextFireTimes(schedule.timing, now, 1);
  const zone = schedule.timing.kind === 'cron' ? schedule.timing.timeZone : 'UTC';
  return next ? `next run ${describeFireTime(next, now, zone)}` : 'no future fire times';
}

async function requireSchedule(schedules: ScheduleStore, name: string): Promise<ScheduleRecord> {
  const schedule = await schedules.getSchedule(name);
  if (!schedule) throw new ScheduleNotFoundError(name);
  return schedule;
}

// ---- triggers --------------------------------------------------------------------------------------------

export interface TriggerOptions {
  name: string;
  watch?: string;
  webhook?: boolean;
  paramName?: string;
  param?: string[];
  latest?: boolean;
  export?: string;
  json?: boolean;
}

export async function triggerCreateCommand(file: string, options: TriggerOptions): Promise<number> {
  if ((options.watch === undefined) === (options.webhook !== true))
    throw new ScheduleInputError('directory', 'give --watch DIR (a directory) or --webhook, one of them');
  return withStores(async (stores) => {
    const { document, pipelineId, versionId } = await saveVersion(stores.store, file, options.export);
    const input = {
      name: options.name,
      pipelineId,
      pipelineVersionId: options.latest ? null : versionId,
      parameters: parameters(document, options.param),
      projectRoot: process.cwd(),
    };
    if (options.watch !== undefined) {
      if (options.paramName === undefined)
        throw new ScheduleInputError(
          'parameterName',
          'a --watch trigger needs --param-name P: the pipeline parameter that gets the file path',
        );
      const trigger = await createWatchTrigger(
        stores,
        { ...input, directory: resolve(options.watch), parameterName: options.paramName },
        new Date(),
      );
      process.stdout.write(
        `created trigger ${trigger.name}: each new or changed file in ${trigger.watchDirectory} starts a run with ${trigger.parameterName}=<its path>\n`,
      );
      return 0;
    }
    const { trigger, secret } = await createWebhookTrigger(stores, input, new Date());
    process.stdout.write(
      `created trigger ${trigger.name}\n` +
        `  POST /apis/v2beta1/triggers/${trigger.id}:fire\n` +
        `  header X-Sluice-Trigger-Secret: ${secret}\n` +
        '  (the secret is shown this once; an Idempotency-Key header de-duplicates deliveries)\n',
    );
    return 0;
  });
}

export async function triggerListCommand(options: { json?: boolean }): Promise<number> {
  return withStores(async ({ schedules }) => {
    const triggers = await schedules.listTriggers();
    if (options.json)
      process.stdout.write(`${JSON.stringify(triggers.map(({ secretHash: _, ...trigger }) => trigger))}\n`);
    else if (triggers.length === 0)
      process.stdout.write(
        'no triggers yet; create one with: sluice trigger create FILE --watch DIR --param-name P --name NAME\n',
      );
    else
      for (const trigger of triggers)
        process.stdout.write(
          `${trigger.name}  ${trigger.kind.padEnd(7)}  ${trigger.enabled ? 'enabled' : 'paused '}  ${
            trigger.kind === 'watch'
              ? `${trigger.watchDirectory} → ${trigger.parameterName}`
              : `POST /apis/v2beta1/triggers/${trigger.id}:fire`
          }\n`,
        );
    return 0;
  });
}

export async function triggerSetEnabledCommand(name: string, enabled: boolean): Promise<number> {
  return withStores(async ({ schedules }) => {
    const trigger = await schedules.getTrigger(name);
    if (!trigger) throw new TriggerNotFoundError(name);
    const updated = await schedules.setTriggerEnabled(trigger.id, enabled);
    const resumed =
      updated.kind === 'watch'
        ? `resumed trigger ${updated.name}; files that arrived in ${updated.watchDirectory} while it was paused fire now`
        : `resumed trigger ${updated.name}; it fires again`;
    const paused =
      updated.kind === 'watch'
        ? `paused trigger ${updated.name}; new files wait until: sluice trigger resume ${updated.name}`
        : `paused trigger ${updated.name}; calls to it get 409 until: sluice trigger resume ${updated.name}`;
    process.stdout.write(`${enabled ? resumed : paused}
`);
    return 0;
  });
}

export async function triggerDeleteCommand(name: string): Promise<number> {
  return withStores(async ({ schedules }) => {
    const trigger = await schedules.getTrigger(name);
    if (!trigger) throw new TriggerNotFoundError(name);
    await schedules.deleteTrigger(trigger.id);
    process.stdout.write(`deleted trigger ${trigger.name} (its runs stay)\n`);
    return 0;
  });
}

export async function triggerHistoryCommand(name: string, options: { json?: boolean }): Promise<number> {
  return withStores(async ({ schedules }) => {
    const trigger = await schedules.getTrigger(name);
    if (!trigger) throw new TriggerNotFoundError(name);
    const events = await schedules.listTriggerEvents(trigger.id, 100);
    if (options.json) process.stdout.write(`${JSON.stringify(events)}\n`);
    else if (events.length === 0) process.stdout.write(`trigger ${trigger.name} has not fired yet\n`);
    else
      for (const event of events)
        process.stdout.write(
          `${event.receivedAt}  ${event.state.padEnd(8)}  ${event.runId}  ${event.dedupKey}\n`,
        );
    return 0;
  });
}
