/**
 * The API's hot reads (read-ops.ts) on worker threads, each with its own connection to the SQLite file (WAL
 * lets readers run beside the one writer): the server's thread keeps HTTP and the engine, and heavy read
 * traffic no longer queues behind one core.
 *
 * Workers start only once reads come fast (a quiet server never pays for them). Until they are ready, and
 * whenever a worker fails, reads run inline with the same code, so an answer never depends on where it
 * ran. A read sees every commit made before it was asked: the engine commits synchronously on this thread,
 * before the message that asks a worker to read is posted.
 *
 * Answers are kept and reused while the store's change mark stays the same (no commit anywhere since):
 * clients polling the same list, or a run page many people have open, then cost a map lookup.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Context } from 'hono';
import type { RunStore } from '../store/index.ts';
import { errorOfFailure, executeRead, type ReadFailure, type ReadOp } from './read-ops.ts';

export interface ReadPoolOptions {
  /** Reads run inline on this store until workers are ready. */
  store: RunStore;
  /** The SQLite file the workers open; undefined (an in-memory store, say) means no workers. */
  storePath?: string;
  /** Worker threads; 0 means every read runs inline. */
  size: number;
  /** Reads within one second that start the workers; 0 starts them with the first read. */
  startAtRate: number;
  log?: (line: string) => void;
}

/** Workers that fail this many times in all leave every read inline for the rest of the server's life. */
const MAX_WORKER_FAILURES = 3;
const CLOSE_GRACE_MS = 2_000;
/** Answers kept for reuse while the store has not changed: how many, their total size, the largest one. */
const KEPT_ANSWERS = 256;
const KEPT_CHARS = 16 * 1024 * 1024;
const MAX_KEPT_CHARS = 1024 * 1024;
/** Reads one worker holds at once; the rest wait in the pool's queue. */
const MAX_IN_FLIGHT = 8;
const ENTRY = new URL('./read-worker-entry.mjs', import.meta.url);

interface Pending {
  resolve(json: string): void;
  reject(error: unknown): void;
}

interface Job extends Pending {
  op: ReadOp;
}

interface PoolWorker {
  worker: Worker;
  ready: boolean;
  pending: Map<number, Pending>;
}

/** A worker ended with this read unanswered: the read runs inline instead. */
class WorkerGone extends Error {}

export class ReadPool {
  readonly #options: ReadPoolOptions;
  readonly #workers = new Set<PoolWorker>();
  /** Reads waiting for a worker, oldest first. */
  readonly #queue: Job[] = [];
  #started = false;
  #closed = false;
  #failures = 0;
  #nextId = 1;
  #windowStart = 0;
  #windowCount = 0;
  /** Recent answers by op, oldest first (a Map keeps insertion order; a hit moves to the end). */
  readonly #answers = new Map<string, { mark: string; json: string }>();
  #keptChars = 0;
  /** Where reads ran (kept: answered from #answers): for tests and for the operator's curiosity. */
  readonly counts = { inline: 0, worker: 0, kept: 0 };

  constructor(options: ReadPoolOptions) {
    this.#options = options;
  }

  /** Workers ready to take reads. */
  get readyWorkers(): number {
    let ready = 0;
    for (const entry of this.#workers) if (entry.ready) ready++;
    return ready;
  }

  /** The op's answer as JSON text; errors are thrown as they would be inline (ApiError, SluiceError). */
  async read(op: ReadOp): Promise<string> {
    const mark = this.#options.store.changeMark?.();
    if (mark === undefined) return this.#compute(op);
    const key = JSON.stringify(op);
    const kept = this.#answers.get(key);
    if (kept !== undefined) {
      this.#forget(key, kept.json);
      if (kept.mark === mark) {
        this.#keep(key, kept);
        this.counts.kept++;
        return kept.json;
      }
    }
    const json = await this.#compute(op);
    // Computed after `mark` was taken, it shows the store at `mark` or later. Later means a commit moved
    // the mark, and marks only grow, so it is never asked for again: keeping it under `mark` is safe.
    if (json.length <= MAX_KEPT_CHARS) {
      const stale = this.#answers.get(key);
      if (stale !== undefined) this.#forget(key, stale.json);
      this.#keep(key, { mark, json });
      for (const [oldest, answer] of this.#answers) {
        if (this.#answers.size <= KEPT_ANSWERS && this.#keptChars <= KEPT_CHARS) break;
        this.#forget(oldest, answer.json);
      }
    }
    return json;
  }

  #keep(key: string, answer: { mark: string; json: string }): void {
    this.#answers.set(key, answer);
    this.#keptChars += answer.json.length;
  }

  #forget(key: string, json: string): void {
    this.#answers.delete(key);
    this.#keptChars -= json.length;
  }

  async #compute(op: ReadOp): Promise<string> {
    if (this.readyWorkers > 0) {
      try {
        const json = await new Promise<string>((resolve, reject) => {
          this.#queue.push({ op, resolve, reject });
          this.#dispatch();
        });
        this.counts.worker++;
        return json;
      } catch (error) {
        if (!(error instanceof WorkerGone)) throw error;
      }
    } else this.#noteRead();
    this.counts.inline++;
    return executeRead(this.#options.store, op);
  }

  /** Ends the workers (each closes its store connection first; a stuck one is terminated). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new WorkerGone('the server is closing'));
    await Promise.all(
      [...this.#workers].map(async ({ worker }) => {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage('close');
        const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
    this.#workers.clear();
  }

  /**
   * Hands queued reads, oldest first, to the ready worker with the fewest in flight, at most MAX_IN_FLIGHT
   * each: reads are answered in about the order they came, and a worker paused (by its garbage collector,
   * say) holds only a couple of them.
   */
  #dispatch(): void {
    while (this.#queue.length > 0) {
      let best: PoolWorker | undefined;
      for (const entry of this.#workers)
        if (
          entry.ready &&
          entry.pending.size < MAX_IN_FLIGHT &&
          (best === undefined || entry.pending.size < best.pending.size)
        )
          best = entry;
      if (best === undefined) return;
      const job = this.#queue.shift()!;
      const id = this.#nextId++;
      best.pending.set(id, job);
      best.worker.postMessage({ id, op: job.op });
    }
  }

  /** Counts reads in one-second windows and starts the workers once a window reaches the rate. */
  #noteRead(): void {
    const { size, storePath, startAtRate } = this.#options;
    if (this.#started || this.#closed || size <= 0 || storePath === undefined) return;
    const now = performance.now();
    if (now - this.#windowStart > 1_000) {
      this.#windowStart = now;
      this.#windowCount = 0;
    }
    if (++this.#windowCount < startAtRate) return;
    this.#started = true;
    for (let index = 0; index < size; index++) this.#spawn(storePath);
  }

  #spawn(storePath: string): void {
    const worker = new Worker(ENTRY, { workerData: { storePath } });
    // An idle pool never keeps the process alive; the HTTP server does that while it listens.
    worker.unref();
    const entry: PoolWorker = { worker, ready: false, pending: new Map() };
    this.#workers.add(entry);
    worker.on('message', (message: 'ready' | { id: number; json?: string; failure?: ReadFailure }) => {
      if (message === 'ready') {
        entry.ready = true;
        return;
      }
      const pending = entry.pending.get(message.id);
      if (!pending) return;
      entry.pending.delete(message.id);
      if (message.failure) pending.reject(errorOfFailure(message.failure));
      else pending.resolve(message.json!);
      this.#dispatch();
    });
    let failed = false;
    const gone = (reason: string) => {
      this.#workers.delete(entry);
      for (const pending of entry.pending.values()) pending.reject(new WorkerGone(reason));
      entry.pending.clear();
      // Reads waiting for a worker run inline when none is left to take them.
      if (this.readyWorkers === 0)
        for (const job of this.#queue.splice(0)) job.reject(new WorkerGone(reason));
      else this.#dispatch();
      if (this.#closed || failed) return;
      failed = true;
      this.#failures++;
      if (this.#failures >= MAX_WORKER_FAILURES) {
        this.#options.log?.(
          `sluice server: read worker failed (${reason}); after ${this.#failures} failures reads run on the main thread`,
        );
        return;
      }
      this.#options.log?.(`sluice server: read worker failed (${reason}); starting another`);
      this.#spawn(storePath);
    };
    worker.on('error', (error) => gone(error.message));
    worker.on('exit', (code) => gone(`exit code ${code}`));
  }
}

/** A pooled read's JSON text as the response, exactly as `c.json` would answer the object it encodes. */
export function answerJsonText(c: Context, json: string): never {
  return c.body(json, 200, { 'Content-Type': 'application/json' }) as never;
}
