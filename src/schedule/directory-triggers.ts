/**
 * File triggers: a new or changed file in a watched directory fires its trigger once, with the file's
 * absolute path as a pipeline parameter.
 *
 * Detection is a directory scan on every scheduler tick (so nothing is missed: not events fs.watch drops,
 * not files that arrived while no server ran), and fs.watch only makes a scan come sooner. The de-dup key
 * is `name|mtime|size`: the same file unchanged never fires twice, a rewritten file fires again. Files are
 * taken only once they have been still for SETTLE_MS (a file being copied in fires once, complete), and
 * only files changed after the trigger was created count (what was already there is not "new").
 * Hidden files and names ending in .tmp, .part, .partial, .crdownload or ~ are ignored: that is how
 * writers mark files that are not finished.
 */
import { type FSWatcher, watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json, ScheduleStore, TriggerRecord } from '../store/index.ts';
import type { Clock } from './clock.ts';

/** How long a file must stay unchanged before it fires. */
export const SETTLE_MS = 1_000;
const CREATED_SLACK_MS = 1_000;
const IGNORED = /^\.|(\.tmp|\.part|\.partial|\.crdownload|~)$/i;

export interface DirectoryTriggersDependencies {
  schedules: ScheduleStore;
  clock: Clock;
  fire(trigger: TriggerRecord, dedupKey: string, parameters: { [name: string]: Json }): Promise<void>;
  /** Asks for a scan soon (a watched directory changed). */
  poke(): void;
  log(line: string): void;
}

export class DirectoryTriggers {
  readonly #deps: DirectoryTriggersDependencies;
  readonly #watchers = new Map<string, FSWatcher>();
  /** Directories already reported unreadable, so a missing one is said once, not every second. */
  readonly #reported = new Set<string>();

  constructor(deps: DirectoryTriggersDependencies) {
    this.#deps = deps;
  }

  /** Scans the directories of every enabled watch trigger; starts and stops fs.watch to match. */
  async scan(triggers: TriggerRecord[]): Promise<void> {
    const watched = triggers.filter((trigger) => trigger.kind === 'watch' && trigger.enabled);
    const ids = new Set(watched.map((trigger) => trigger.id));
    for (const [id, watcher] of this.#watchers)
      if (!ids.has(id)) {
        watcher.close();
        this.#watchers.delete(id);
      }
    for (const trigger of watched) await this.#scanOne(trigger);
  }

  close(): void {
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  async #scanOne(trigger: TriggerRecord): Promise<void> {
    const directory = trigger.watchDirectory!;
    let names: string[];
    try {
      names = await readdir(directory);
      this.#reported.delete(trigger.id);
    } catch (error) {
      if (!this.#reported.has(trigger.id))
        this.#deps.log(
          `sluice scheduler: trigger '${trigger.name}' cannot read ${directory} (${(error as Error).message}); it fires once the directory exists`,
        );
      this.#reported.add(trigger.id);
      return;
    }
    this.#ensureWatcher(trigger);
    const now = this.#deps.clock.now().getTime();
    // File times come from the kernel's coarse clock, a few milliseconds behind Date.now(): a file written
    // right after the trigger was created can look older than it. The slack errs towards firing.
    const createdAt = Date.parse(trigger.createdAt) - CREATED_SLACK_MS;
    for (const name of names.sort()) {
      if (IGNORED.test(name)) continue;
      const path = join(directory, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || info.mtimeMs < createdAt) continue;
      // Still being written, perhaps: the next tick (within a second) looks again.
      if (now - info.mtimeMs < SETTLE_MS) continue;
      const key = `${name}|${Math.round(info.mtimeMs)}|${info.size}`;
      if (await this.#deps.schedules.hasTriggerEvent(trigger.id, key)) continue;
      await this.#deps.fire(trigger, key, { [trigger.parameterName!]: path });
    }
  }

  #ensureWatcher(trigger: TriggerRecord): void {
    if (this.#watchers.has(trigger.id)) return;
    try {
      const watcher = watch(trigger.watchDirectory!, { persistent: false }, () => this.#deps.poke());
      watcher.on('error', () => {
        watcher.close();
        this.#watchers.delete(trigger.id);
      });
      this.#watchers.set(trigger.id, watcher);
    } catch {
      // The periodic scan still finds files; fs.watch only makes it sooner.
    }
  }
}
