/**
 * `sluice server`'s entry point: opens the embedded default engine on SLUICE_HOME, adopts runs left
 * unfinished by a crash, and serves the API on 127.0.0.1 (by default) over @hono/node-server.
 */
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { openDefaultEngine } from '../engine/index.ts';
import { SluiceError } from '../errors.ts';
import { openScheduleStore, Scheduler } from '../schedule/index.ts';
import type { ScheduleStore } from '../store/index.ts';
import { API_PREFIX, createApp } from './app.ts';
import { BackgroundRuns } from './background-runs.ts';
import { ReadPool } from './read-pool.ts';
import { ReportBackfill } from './report-backfill.ts';
import { registerScheduleRoutes } from './schedules-routes.ts';

export interface ServerOptions {
  /** @default SLUICE_HOME or ~/.sluice */
  home?: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 8888 */
  port?: number;
  /** SLUICE_TOKEN: when set, requests need `Authorization: Bearer <token>`; an empty string is refused. */
  token?: string;
  /** Where background-run errors go. @default stderr */
  log?: (line: string) => void;
  /**
   * Worker threads for get-run, list-runs and run graphs (read-pool.ts), started once reads come at `startAtRate` per
   * second. @default size from SLUICE_READ_WORKERS, else the cores (at most 4); startAtRate 100
   */
  readWorkers?: { size?: number; startAtRate?: number };
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  home: string;
  /** Ids of the unfinished runs adopted at start. */
  adopted: string[];
  /**
   * Resolves, with how many were saved, once the reports of finished runs that had none current are saved
   * (report-backfill.ts): work done in the background after start.
   */
  reportsBackfilled: Promise<number>;
  /** Where get-run, list-runs and run graphs ran so far (kept: a reused answer), and how many read workers are ready. */
  readStats(): { inline: number; worker: number; kept: number; readyWorkers: number };
  /**
   * Stops accepting requests, ends open streams, waits for the runs this server drives to end, and
   * closes the store. (A process that exits instead leaves its runs to be adopted by the next start.)
   */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  if (options.token !== undefined && options.token.length === 0)
    throw new SluiceError(
      'SERVER_CONFIG_INVALID',
      'the API token is empty; set SLUICE_TOKEN to a secret, or unset it',
    );
  // Configuration first: a mistake there leaves nothing opened.
  const readWorkers = options.readWorkers?.size ?? defaultReadWorkers();
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8888;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const opened = await openDefaultEngine(options.home === undefined ? {} : { home: options.home });
  const background = new BackgroundRuns(opened.engine, log);
  let server: ReturnType<typeof serve>;
  // Recurring runs and triggers: started once the server listens, stopped first on close (no new runs);
  // then the read workers.
  let schedules: ScheduleStore | undefined;
  let scheduler: Scheduler | undefined;
  let reads: ReadPool | undefined;
  let backfill: ReportBackfill | undefined;
  const stopServices = async () => {
    await scheduler?.stop();
    await schedules?.close();
    await reads?.close();
    await backfill?.stop();
  };
  try {
    schedules = await openScheduleStore(opened.home);
    scheduler = new Scheduler({
      schedules,
      store: opened.store,
      engine: opened.engine,
      onRun: (runId) => background.drive(runId),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    reads = new ReadPool({
      store: opened.store,
      storePath: join(opened.home, 'sluice.db'),
      size: readWorkers,
      startAtRate: options.readWorkers?.startAtRate ?? READ_WORKERS_START_AT_RATE,
      log,
    });
    const app = createApp({
      engine: opened.engine,
      store: opened.store,
      home: opened.home,
      background,
      reads,
      ...(options.token === undefined ? {} : { token: options.token }),
    });
    registerScheduleRoutes(app, { store: opened.store, scheduler, prefix: API_PREFIX });
    const listening = new Promise<AddressInfo>((resolve, reject) => {
      server = serve({ fetch: app.fetch, hostname: host, port }, resolve);
      server.once('error', (error) => reject(listenError(error, host, port)));
    });
    const address = await listening;
    const adopted = await background.adoptUnfinished(opened.store);
    scheduler.start();
    backfill = new ReportBackfill(opened.store, log);
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      url: `http://${shownHost}:${address.port}`,
      home: opened.home,
      adopted,
      reportsBackfilled: backfill.done,
      readStats: () => ({ ...reads!.counts, readyWorkers: reads!.readyWorkers }),
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
        await stopServices();
        await background.settled();
        await opened.close();
      },
    };
  } catch (error) {
    await stopServices();
    await background.settled();
    await opened.close();
    throw error;
  }
}

/** What the user can do about a failed listen(2): the common causes are theirs to fix, not Sluice bugs. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  const advice: Record<string, string> = {
    EADDRINUSE: `${where} is in use (another sluice server?); stop it, or choose another port with --port N (0 picks a free one)`,
    EACCES: `no permission to listen on ${where} (ports below 1024 need privileges); choose another port with --port N`,
    EADDRNOTAVAIL: `${host} is not an address of this machine; use --host with one of its addresses (127.0.0.1, or 0.0.0.0 for all)`,
  };
  const message = error.code === undefined ? undefined : advice[error.code];
  return message === undefined
    ? error
    : new SluiceError('SERVER_CONFIG_INVALID', `cannot listen: ${message}`, { cause: error });
}

/** Reads per second at which a server starts its read workers: far above one person's UI. */
const READ_WORKERS_START_AT_RATE = 100;
const MAX_READ_WORKERS = 4;

/** SLUICE_READ_WORKERS (0 turns them off), else one per core up to MAX_READ_WORKERS. */
function defaultReadWorkers(): number {
  const configured = process.env.SLUICE_READ_WORKERS;
  if (configured !== undefined && configured.trim() !== '') {
    const size = Number(configured);
    if (!Number.isInteger(size) || size < 0 || size > 64)
      throw new SluiceError(
        'SERVER_CONFIG_INVALID',
        `SLUICE_READ_WORKERS must be a whole number from 0 to 64 (0 turns read workers off), not '${configured}'`,
      );
    return size;
  }
  return Math.min(MAX_READ_WORKERS, availableParallelism());
}
