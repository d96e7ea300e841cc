/**
 * Creating and editing schedules and triggers: the checks both the CLI and the API apply before anything
 * is stored (cron syntax, time zone, interval, concurrency, policy, parameter names against the pipeline),
 * so a definition that could never start a run is refused up front, naming the field at fault.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { didYouMean, type PipelineDocument } from '../ir/index.ts';
import type {
  CatchUpPolicy,
  Json,
  RunStore,
  ScheduleRecord,
  ScheduleStore,
  ScheduleTiming,
  TriggerRecord,
} from '../store/index.ts';
import { resolveVersion } from './launcher.ts';
import { ScheduleInputError } from './schedule-errors.ts';
import { checkTimeZone, checkTiming } from './timing.ts';

export const CATCH_UP_POLICIES: readonly CatchUpPolicy[] = ['skip', 'latest', 'all'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** What a schedule is made of; on edit every field is optional and absent ones keep their value. */
export interface ScheduleInput {
  name: string;
  pipelineId: string;
  /** null (or absent): the pipeline's newest version at each run. */
  pipelineVersionId?: string | null;
  cron?: string;
  /** For cron. @default 'UTC' */
  timeZone?: string;
  /** Interval schedules: every this many seconds from `startAt`. */
  everySeconds?: number;
  /** @default now */
  startAt?: string;
  parameters?: { [name: string]: Json };
  /** @default 1 */
  maxConcurrency?: number;
  /** @default 'skip' */
  catchUp?: CatchUpPolicy;
  /** @default true */
  enabled?: boolean;
  projectRoot?: string | null;
}

export async function createSchedule(
  stores: { schedules: ScheduleStore; store: RunStore },
  input: ScheduleInput,
  now: Date,
): Promise<ScheduleRecord> {
  checkName(input.name);
  const at = now.toISOString();
  const timing = timingOf(input, undefined, now);
  const schedule: ScheduleRecord = {
    id: randomUUID(),
    name: input.name,
    pipelineId: input.pipelineId,
    pipelineVersionId: input.pipelineVersionId ?? null,
    timing,
    parameters: input.parameters ?? {},
    maxConcurrency: checkConcurrency(input.maxConcurrency ?? 1),
    catchUp: checkPolicy(input.catchUp ?? 'skip'),
    enabled: input.enabled ?? true,
    projectRoot: input.projectRoot ?? null,
    createdAt: at,
    updatedAt: at,
    // Slots before the schedule existed are not missed ones.
    evaluatedThrough: at,
  };
  await checkPipeline(stores.store, schedule.pipelineId, schedule.pipelineVersionId, schedule.parameters);
  await stores.schedules.createSchedule(schedule);
  return schedule;
}

/** Applies an edit in place. Runs already started are not touched; the next slots use the new definition. */
export async function editSchedule(
  stores: { schedules: ScheduleStore; store: RunStore },
  current: ScheduleRecord,
  input: Partial<ScheduleInput>,
  now: Date,
): Promise<ScheduleRecord> {
  if (input.name !== undefined) checkName(input.name);
  const timingChanged =
    input.cron !== undefined ||
    input.everySeconds !== undefined ||
    input.timeZone !== undefined ||
    input.startAt !== undefined;
  const changes = {
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.pipelineId === undefined ? {} : { pipelineId: input.pipelineId }),
    ...(input.pipelineVersionId === undefined ? {} : { pipelineVersionId: input.pipelineVersionId }),
    ...(timingChanged ? { timing: timingOf(input, current.timing, now) } : {}),
    ...(input.parameters === undefined ? {} : { parameters: input.parameters }),
    ...(input.maxConcurrency === undefined ? {} : { maxConcurrency: checkConcurrency(input.maxConcurrency) }),
    ...(input.catchUp === undefined ? {} : { catchUp: checkPolicy(input.catchUp) }),
  };
  const next = { ...current, ...changes };
  await checkPipeline(stores.store, next.pipelineId, next.pipelineVersionId, next.parameters);
  let updated = await stores.schedules.updateSchedule(current.id, changes, now.toISOString());
  if (input.enabled !== undefined && input.enabled !== updated.enabled)
    updated = await stores.schedules.setScheduleEnabled(current.id, input.enabled, now.toISOString());
  return updated;
}

function timingOf(
  input: Partial<ScheduleInput>,
  current: ScheduleTiming | undefined,
  now: Date,
): ScheduleTiming {
  if (input.cron !== undefined && input.everySeconds !== undefined)
    throw new ScheduleInputError('cron', 'give a cron pattern or an interval, not both');
  let timing: ScheduleTiming;
  if (input.cron !== undefined || (input.everySeconds === undefined && current?.kind === 'cron')) {
    const previous = current?.kind === 'cron' ? current : undefined;
    timing = {
      kind: 'cron',
      cron: (input.cron ?? previous?.cron)!,
      timeZone: input.timeZone ?? previous?.timeZone ?? 'UTC',
    };
  } else if (input.everySeconds !== undefined || current?.kind === 'interval') {
    if (input.timeZone !== undefined) checkTimeZone(input.timeZone);
    const previous = current?.kind === 'interval' ? current : undefined;
    // By default the interval counts from now, to the whole second (fire times read better).
    const startAt =
      input.startAt ?? previous?.startAt ?? new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
    timing = {
      kind: 'interval',
      everySeconds: (input.everySeconds ?? previous?.everySeconds)!,
      startAt: Number.isNaN(Date.parse(startAt)) ? startAt : new Date(startAt).toISOString(),
    };
  } else throw new ScheduleInputError('cron', 'give a cron pattern (cron) or an interval (every)');
  checkTiming(timing);
  return timing;
}

function checkName(name: string): void {
  if (!NAME.test(name))
    throw new ScheduleInputError(
      'name',
      `name '${name}' must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
}

function checkConcurrency(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 1000)
    throw new ScheduleInputError(
      'maxConcurrency',
      `maxConcurrency must be a whole number from 1 to 1000, got ${value}`,
    );
  return value;
}

function checkPolicy(value: string): CatchUpPolicy {
  if (!(CATCH_UP_POLICIES as readonly string[]).includes(value))
    throw new ScheduleInputError('catchUp', `catchUp must be skip, latest or all, got '${value}'`);
  return value as CatchUpPolicy;
}

/**
 * The pipeline (version) exists and `parameters` names only its inputs, with every required one given:
 * otherwise every slot would fail, one after another, for the same reason.
 */
export async function checkPipeline(
  store: RunStore,
  pipelineId: string,
  pipelineVersionId: string | null,
  parameters: { [name: string]: Json },
  fileParameter?: string,
): Promise<PipelineDocument> {
  const version = await resolveVersion(store, pipelineId, pipelineVersionId);
  if (typeof version === 'string')
    throw new ScheduleInputError(pipelineVersionId === null ? 'pipelineId' : 'pipelineVersionId', version);
  const document = version.spec as unknown as PipelineDocument;
  const definitions = document.pipelineSpec.root?.inputDefinitions?.parameters ?? {};
  const known = Object.keys(definitions);
  for (const name of [...Object.keys(parameters), ...(fileParameter === undefined ? [] : [fileParameter])])
    if (!(name in definitions))
      throw new ScheduleInputError(
        name === fileParameter ? 'parameterName' : `parameters.${name}`,
        `the pipeline has no parameter '${name}'${didYouMean(name, known)}; its parameters: ${known.join(', ') || 'none'}`,
      );
  for (const [name, definition] of Object.entries(definitions)) {
    const given = name in parameters || name === fileParameter;
    const hasDefault = definition.defaultValue !== undefined && definition.defaultValue !== null;
    if (!given && !hasDefault && !definition.isOptional)
      throw new ScheduleInputError(
        `parameters.${name}`,
        `the pipeline needs parameter '${name}' (${definition.parameterType}); give it with --param ${name}=…`,
      );
  }
  return document;
}

export interface TriggerInput {
  name: string;
  pipelineId: string;
  pipelineVersionId?: string | null;
  parameters?: { [name: string]: Json };
  projectRoot?: string | null;
}

/** A watch trigger: each new or changed file in `directory` starts a run with its path in `parameterName`. */
export async function createWatchTrigger(
  stores: { schedules: ScheduleStore; store: RunStore },
  input: TriggerInput & { directory: string; parameterName: string },
  now: Date,
): Promise<TriggerRecord> {
  checkName(input.name);
  if (!input.directory.startsWith('/'))
    throw new ScheduleInputError(
      'directory',
      `the watched directory must be an absolute path, got '${input.directory}'`,
    );
  const trigger = triggerRecord(input, now, {
    kind: 'watch',
    watchDirectory: input.directory,
    parameterName: input.parameterName,
    secretHash: null,
  });
  await checkPipeline(
    stores.store,
    trigger.pipelineId,
    trigger.pipelineVersionId,
    trigger.parameters,
    input.parameterName,
  );
  await stores.schedules.createTrigger(trigger);
  return trigger;
}

/**
 * A webhook trigger. Returns its secret, which is shown this once: only its sha256 is stored, so a leaked
 * database does not leak the secret.
 */
export async function createWebhookTrigger(
  stores: { schedules: ScheduleStore; store: RunStore },
  input: TriggerInput,
  now: Date,
): Promise<{ trigger: TriggerRecord; secret: string }> {
  checkName(input.name);
  const secret = randomBytes(32).toString('base64url');
  const trigger = triggerRecord(input, now, {
    kind: 'webhook',
    watchDirectory: null,
    parameterName: null,
    secretHash: sha256(secret).toString('hex'),
  });
  await checkPipeline(stores.store, trigger.pipelineId, trigger.pipelineVersionId, trigger.parameters);
  await stores.schedules.createTrigger(trigger);
  return { trigger, secret };
}

function triggerRecord(
  input: TriggerInput,
  now: Date,
  kind: Pick<TriggerRecord, 'kind' | 'watchDirectory' | 'parameterName' | 'secretHash'>,
): TriggerRecord {
  return {
    id: randomUUID(),
    name: input.name,
    ...kind,
    pipelineId: input.pipelineId,
    pipelineVersionId: input.pipelineVersionId ?? null,
    parameters: input.parameters ?? {},
    enabled: true,
    projectRoot: input.projectRoot ?? null,
    createdAt: now.toISOString(),
  };
}

/**
 * Whether `presented` is the trigger's secret. Fails closed (no stored secret, nothing presented: false);
 * compares sha256 digests in constant time, so neither content nor length leaks through timing.
 */
export function verifyTriggerSecret(trigger: TriggerRecord, presented: string | undefined): boolean {
  if (trigger.kind !== 'webhook' || !trigger.secretHash || !presented) return false;
  const expected = Buffer.from(trigger.secretHash, 'hex');
  const given = sha256(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
