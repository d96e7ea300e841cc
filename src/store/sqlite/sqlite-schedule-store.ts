/**
 * ScheduleStore on the SQLite file the run store uses. It opens its own connection to that file rather
 * than sharing SqliteRunStore's: nothing here needs a transaction spanning both (a slot names its run id
 * before the run exists; see schedule-store.ts), WAL lets both connections read, and each write here is
 * one synchronous `BEGIN IMMEDIATE` transaction, so the two connections never wait on each other within
 * this process. Across processes busy_timeout queues writers, as for the run store.
 *
 * The statements are plain SQLite SQL (this folder is the one place for it): `INSERT … ON CONFLICT DO
 * NOTHING` is the claim, its `changes` count says who won.
 */
import type Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { migrateStore } from '../migrations/store-migrations.ts';
import type { Json } from '../records.ts';
import {
  type LaunchState,
  type ScheduleChanges,
  ScheduleNameTakenError,
  ScheduleNotFoundError,
  type ScheduleRecord,
  type ScheduleStore,
  type SlotRecord,
  type TriggerEventRecord,
  TriggerNotFoundError,
  type TriggerRecord,
} from '../schedule-store.ts';
import { migrationKey, migrationOf, queueMigration } from './migration-queue.ts';
import {
  ImmediateSqliteDialect,
  migrated,
  openSqliteDatabase,
  SQLITE_SCHEMA_DIALECT,
} from './sqlite-database.ts';

type Row = Record<string, unknown>;

/** Opens (and migrates) the schedule tables of the store file at `path`. */
export async function openSqliteScheduleStore(path: string): Promise<SqliteScheduleStore> {
  return migrated(new SqliteScheduleStore(openSqliteDatabase(path)));
}

export class SqliteScheduleStore implements ScheduleStore {
  readonly #sqlite: Database.Database;
  readonly #file: string;
  readonly #statements = new Map<string, Database.Statement>();
  #closed = false;

  constructor(sqlite: Database.Database) {
    this.#sqlite = sqlite;
    this.#file = migrationKey(sqlite);
  }

  async migrate(): Promise<void> {
    const db = new Kysely<unknown>({ dialect: new ImmediateSqliteDialect({ database: this.#sqlite }) });
    // Not destroyed: destroying kysely's SQLite driver closes the shared handle.
    await queueMigration(this.#file, () => migrateStore(db, SQLITE_SCHEMA_DIALECT));
  }

  async close(): Promise<void> {
    await migrationOf(this.#file)?.catch(() => undefined);
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sqlite.open) this.#sqlite.close();
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#sqlite.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #all(sql: string, ...parameters: unknown[]): Row[] {
    return this.#prepare(sql).all(...parameters) as Row[];
  }

  #get(sql: string, ...parameters: unknown[]): Row | undefined {
    return this.#prepare(sql).get(...parameters) as Row | undefined;
  }

  #run(sql: string, ...parameters: unknown[]): number {
    return this.#prepare(sql).run(...parameters).changes;
  }

  #write<T>(body: () => T): T {
    return this.#sqlite.transaction(body).immediate() as T;
  }

  async #ready(): Promise<void> {
    await migrationOf(this.#file);
  }

  // ---- schedules -----------------------------------------------------------------------------------------

  async createSchedule(schedule: ScheduleRecord): Promise<void> {
    await this.#ready();
    try {
      this.#run(
        `insert into schedules (id, name, pipeline_id, pipeline_version_id, cron, time_zone, interval_seconds,
           start_at, parameters, max_concurrency, catch_up, enabled, project_root, created_at, updated_at,
           evaluated_through) values (${placeholders(16)})`,
        ...scheduleRow(schedule),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'schedules.name'))
        throw new ScheduleNameTakenError('schedule', schedule.name);
      throw error;
    }
  }

  async getSchedule(idOrName: string): Promise<ScheduleRecord | undefined> {
    await this.#ready();
    const row =
      this.#get('select * from schedules where id = ?', idOrName) ??
      this.#get('select * from schedules where name = ?', idOrName);
    return row && decodeSchedule(row);
  }

  async listSchedules(): Promise<ScheduleRecord[]> {
    await this.#ready();
    return this.#all('select * from schedules order by name, id').map(decodeSchedule);
  }

  async updateSchedule(id: string, changes: ScheduleChanges, at: string): Promise<ScheduleRecord> {
    await this.#ready();
    return this.#write(() => {
      const row = this.#get('select * from schedules where id = ?', id);
      if (row === undefined) throw new ScheduleNotFoundError(id);
      const next: ScheduleRecord = { ...decodeSchedule(row), ...changes, updatedAt: at };
      try {
        this.#run(
          `update schedules set name = ?, pipeline_id = ?, pipeline_version_id = ?, cron = ?, time_zone = ?,
             interval_seconds = ?, start_at = ?, parameters = ?, max_concurrency = ?, catch_up = ?, enabled = ?,
             project_root = ?, created_at = ?, updated_at = ?, evaluated_through = ? where id = ?`,
          ...scheduleRow(next).slice(1),
          id,
        );
      } catch (error) {
        if (isUniqueViolation(error, 'schedules.name'))
          throw new ScheduleNameTakenError('schedule', next.name);
        throw error;
      }
      return next;
    });
  }

  async setScheduleEnabled(id: string, enabled: boolean, at: string): Promise<ScheduleRecord> {
    await this.#ready();
    return this.#write(() => {
      const row = this.#get('select * from schedules where id = ?', id);
      if (row === undefined) throw new ScheduleNotFoundError(id);
      const schedule = decodeSchedule(row);
      if (schedule.enabled === enabled) return schedule;
      const through = enabled ? later(schedule.evaluatedThrough, at) : schedule.evaluatedThrough;
      this.#run(
        'update schedules set enabled = ?, updated_at = ?, evaluated_through = ? where id = ?',
        enabled ? 1 : 0,
        at,
        through,
        id,
      );
      return { ...schedule, enabled, updatedAt: at, evaluatedThrough: through };
    });
  }

  async deleteSchedule(id: string): Promise<boolean> {
    await this.#ready();
    return this.#run('delete from schedules where id = ?', id) === 1;
  }

  // ---- slots ---------------------------------------------------------------------------------------------

  async claimSlots(claim: {
    scheduleId: string;
    expectedThrough: string;
    through: string;
    slots: { slotTime: string; runId: string }[];
    supersedeWaiting: boolean;
    claimedBy: string;
    at: string;
  }): Promise<SlotRecord[] | undefined> {
    await this.#ready();
    return this.#write(() => {
      // The compare-and-set: only the scheduler that read this `evaluated_through` decides this window.
      const moved = this.#run(
        'update schedules set evaluated_through = ? where id = ? and evaluated_through = ? and enabled = 1',
        claim.through,
        claim.scheduleId,
        claim.expectedThrough,
      );
      if (moved !== 1) return undefined;
      if (claim.supersedeWaiting && claim.slots.length > 0)
        this.#run(
          `update schedule_slots set state = 'SKIPPED', error = 'superseded by a newer slot'
             where schedule_id = ? and state = 'WAITING'`,
          claim.scheduleId,
        );
      const inserted: SlotRecord[] = [];
      for (const slot of claim.slots) {
        const record: SlotRecord = {
          scheduleId: claim.scheduleId,
          slotTime: slot.slotTime,
          runId: slot.runId,
          state: 'WAITING',
          claimedBy: claim.claimedBy,
          claimedAt: claim.at,
          error: null,
        };
        const changes = this.#run(
          `insert into schedule_slots (schedule_id, slot_time, run_id, state, claimed_by, claimed_at, error)
             values (?, ?, ?, ?, ?, ?, null) on conflict do nothing`,
          record.scheduleId,
          record.slotTime,
          record.runId,
          record.state,
          record.claimedBy,
          record.claimedAt,
        );
        if (changes === 1) inserted.push(record);
      }
      return inserted;
    });
  }

  async admitSlots(
    scheduleId: string,
    finalRunStates: readonly string[],
    claimedBy: string,
    at: string,
  ): Promise<SlotRecord[]> {
    await this.#ready();
    const finals = JSON.stringify(finalRunStates);
    // Most ticks have nothing waiting: a read answers that without taking the write lock.
    if (
      !this.#get(
        `select 1 from schedule_slots where schedule_id = ? and state = 'WAITING' limit 1`,
        scheduleId,
      )
    )
      return [];
    return this.#write(() => {
      const schedule = this.#get('select max_concurrency, enabled from schedules where id = ?', scheduleId);
      if (schedule === undefined || schedule.enabled !== 1) return [];
      const active = Number(
        this.#get(
          `select count(*) as n from schedule_slots s left join runs r on r.id = s.run_id
             where s.schedule_id = ? and (s.state = 'STARTING'
               or (s.state = 'STARTED' and r.id is not null and r.state not in (select value from json_each(?))))`,
          scheduleId,
          finals,
        )?.n ?? 0,
      );
      const free = Number(schedule.max_concurrency) - active;
      if (free <= 0) return [];
      const waiting = this.#all(
        `select * from schedule_slots where schedule_id = ? and state = 'WAITING' order by slot_time limit ?`,
        scheduleId,
        free,
      ).map(decodeSlot);
      for (const slot of waiting)
        this.#run(
          `update schedule_slots set state = 'STARTING', claimed_by = ?, claimed_at = ?
             where schedule_id = ? and slot_time = ?`,
          claimedBy,
          at,
          slot.scheduleId,
          slot.slotTime,
        );
      return waiting.map((slot) => ({ ...slot, state: 'STARTING' as const, claimedBy, claimedAt: at }));
    });
  }

  async listStartingSlots(staleBefore: string, claimedBy: string): Promise<SlotRecord[]> {
    await this.#ready();
    return this.#all(
      `select * from schedule_slots where state = 'STARTING' and (claimed_at < ? or claimed_by = ?)
         order by slot_time`,
      staleBefore,
      claimedBy,
    ).map(decodeSlot);
  }

  async setSlotState(
    scheduleId: string,
    slotTime: string,
    state: LaunchState,
    error?: string,
  ): Promise<void> {
    await this.#ready();
    this.#run(
      'update schedule_slots set state = ?, error = ? where schedule_id = ? and slot_time = ?',
      state,
      error ?? null,
      scheduleId,
      slotTime,
    );
  }

  async listSlots(scheduleId: string, limit = 100): Promise<SlotRecord[]> {
    await this.#ready();
    return this.#all(
      'select * from schedule_slots where schedule_id = ? order by slot_time desc limit ?',
      scheduleId,
      limit,
    ).map(decodeSlot);
  }

  // ---- triggers ------------------------------------------------------------------------------------------

  async createTrigger(trigger: TriggerRecord): Promise<void> {
    await this.#ready();
    try {
      this.#run(
        `insert into triggers (id, name, kind, pipeline_id, pipeline_version_id, parameters, watch_directory,
           parameter_name, secret_hash, enabled, project_root, created_at) values (${placeholders(12)})`,
        trigger.id,
        trigger.name,
        trigger.kind,
        trigger.pipelineId,
        trigger.pipelineVersionId,
        JSON.stringify(trigger.parameters),
        trigger.watchDirectory,
        trigger.parameterName,
        trigger.secretHash,
        trigger.enabled ? 1 : 0,
        trigger.projectRoot,
        trigger.createdAt,
      );
    } catch (error) {
      if (isUniqueViolation(error, 'triggers.name'))
        throw new ScheduleNameTakenError('trigger', trigger.name);
      throw error;
    }
  }

  async getTrigger(idOrName: string): Promise<TriggerRecord | undefined> {
    await this.#ready();
    const row =
      this.#get('select * from triggers where id = ?', idOrName) ??
      this.#get('select * from triggers where name = ?', idOrName);
    return row && decodeTrigger(row);
  }

  async listTriggers(): Promise<TriggerRecord[]> {
    await this.#ready();
    return this.#all('select * from triggers order by name, id').map(decodeTrigger);
  }

  async setTriggerEnabled(id: string, enabled: boolean): Promise<TriggerRecord> {
    await this.#ready();
    return this.#write(() => {
      if (this.#run('update triggers set enabled = ? where id = ?', enabled ? 1 : 0, id) === 0)
        throw new TriggerNotFoundError(id);
      return decodeTrigger(this.#get('select * from triggers where id = ?', id)!);
    });
  }

  async deleteTrigger(id: string): Promise<boolean> {
    await this.#ready();
    return this.#run('delete from triggers where id = ?', id) === 1;
  }

  async recordTriggerEvent(
    event: TriggerEventRecord,
  ): Promise<{ event: TriggerEventRecord; created: boolean }> {
    await this.#ready();
    return this.#write(() => {
      const changes = this.#run(
        `insert into trigger_events (trigger_id, dedup_key, run_id, state, parameters, received_at, claimed_by,
           error) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
        event.triggerId,
        event.dedupKey,
        event.runId,
        event.state,
        JSON.stringify(event.parameters),
        event.receivedAt,
        event.claimedBy,
        event.error,
      );
      if (changes === 1) return { event, created: true };
      const existing = this.#get(
        'select * from trigger_events where trigger_id = ? and dedup_key = ?',
        event.triggerId,
        event.dedupKey,
      );
      return { event: decodeTriggerEvent(existing!), created: false };
    });
  }

  async hasTriggerEvent(triggerId: string, dedupKey: string): Promise<boolean> {
    await this.#ready();
    return (
      this.#get(
        'select 1 from trigger_events where trigger_id = ? and dedup_key = ?',
        triggerId,
        dedupKey,
      ) !== undefined
    );
  }

  async listStartingTriggerEvents(staleBefore: string, claimedBy: string): Promise<TriggerEventRecord[]> {
    await this.#ready();
    return this.#all(
      `select * from trigger_events where state = 'STARTING' and (received_at < ? or claimed_by = ?)
         order by received_at`,
      staleBefore,
      claimedBy,
    ).map(decodeTriggerEvent);
  }

  async setTriggerEventState(
    triggerId: string,
    dedupKey: string,
    state: LaunchState,
    error?: string,
  ): Promise<void> {
    await this.#ready();
    this.#run(
      'update trigger_events set state = ?, error = ? where trigger_id = ? and dedup_key = ?',
      state,
      error ?? null,
      triggerId,
      dedupKey,
    );
  }

  async listTriggerEvents(triggerId: string, limit = 100): Promise<TriggerEventRecord[]> {
    await this.#ready();
    return this.#all(
      'select * from trigger_events where trigger_id = ? order by received_at desc, dedup_key limit ?',
      triggerId,
      limit,
    ).map(decodeTriggerEvent);
  }
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function isUniqueViolation(error: unknown, column: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && (message ?? '').includes(column);
}

function scheduleRow(schedule: ScheduleRecord): unknown[] {
  const { timing } = schedule;
  return [
    schedule.id,
    schedule.name,
    schedule.pipelineId,
    schedule.pipelineVersionId,
    timing.kind === 'cron' ? timing.cron : null,
    timing.kind === 'cron' ? timing.timeZone : null,
    timing.kind === 'interval' ? timing.everySeconds : null,
    timing.kind === 'interval' ? timing.startAt : null,
    JSON.stringify(schedule.parameters),
    schedule.maxConcurrency,
    schedule.catchUp,
    schedule.enabled ? 1 : 0,
    schedule.projectRoot,
    schedule.createdAt,
    schedule.updatedAt,
    schedule.evaluatedThrough,
  ];
}

function decodeSchedule(row: Row): ScheduleRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    pipelineId: String(row.pipeline_id),
    pipelineVersionId: (row.pipeline_version_id as string | null) ?? null,
    timing:
      row.cron !== null
        ? { kind: 'cron', cron: String(row.cron), timeZone: String(row.time_zone) }
        : { kind: 'interval', everySeconds: Number(row.interval_seconds), startAt: String(row.start_at) },
    parameters: JSON.parse(String(row.parameters)) as { [name: string]: Json },
    maxConcurrency: Number(row.max_concurrency),
    catchUp: row.catch_up as ScheduleRecord['catchUp'],
    enabled: row.enabled === 1,
    projectRoot: (row.project_root as string | null) ?? null,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    evaluatedThrough: String(row.evaluated_through),
  };
}

function decodeSlot(row: Row): SlotRecord {
  return {
    scheduleId: String(row.schedule_id),
    slotTime: String(row.slot_time),
    runId: String(row.run_id),
    state: row.state as LaunchState,
    claimedBy: String(row.claimed_by),
    claimedAt: String(row.claimed_at),
    error: (row.error as string | null) ?? null,
  };
}

function decodeTrigger(row: Row): TriggerRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    kind: row.kind as TriggerRecord['kind'],
    pipelineId: String(row.pipeline_id),
    pipelineVersionId: (row.pipeline_version_id as string | null) ?? null,
    parameters: JSON.parse(String(row.parameters)) as { [name: string]: Json },
    watchDirectory: (row.watch_directory as string | null) ?? null,
    parameterName: (row.parameter_name as string | null) ?? null,
    secretHash: (row.secret_hash as string | null) ?? null,
    enabled: row.enabled === 1,
    projectRoot: (row.project_root as string | null) ?? null,
    createdAt: String(row.created_at),
  };
}

function decodeTriggerEvent(row: Row): TriggerEventRecord {
  return {
    triggerId: String(row.trigger_id),
    dedupKey: String(row.dedup_key),
    runId: String(row.run_id),
    state: row.state as LaunchState,
    parameters: JSON.parse(String(row.parameters)) as { [name: string]: Json },
    receivedAt: String(row.received_at),
    claimedBy: String(row.claimed_by),
    error: (row.error as string | null) ?? null,
  };
}
