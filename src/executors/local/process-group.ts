/**
 * Process groups of attempts. Each attempt is spawned detached (its own session and process group, pgid ==
 * pid), so one signal to `-pid` reaches the program and everything it started, as stopping a container
 * stops every process in it. On Linux, liveness reads /proc so that zombies count as gone: an orphaned
 * grandchild is a zombie until something reaps it, and in a container whose PID 1 does not reap (this
 * machine's does not) it stays one forever.
 */

import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

const HAS_PROC = process.platform === 'linux';

/** Sends a signal to a whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Whether a process exists and is not a zombie. EPERM means it exists (owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!HAS_PROC) return true;
  try {
    return !isDeadState(parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).state);
  } catch {
    return false; // exited between the two checks
  }
}

/** Whether any process of the group still runs (zombies do not count). */
export async function groupHasLiveMembers(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  if (!HAS_PROC) return true;
  return (await liveMembers(pgid)).length > 0;
}

/**
 * The variable in every attempt's environment (and so in what it starts), holding the attempt id: what
 * tells a group an earlier engine left behind from a stranger that got the same number (pids are reused,
 * after a reboot above all).
 */
export const ATTEMPT_MARK = 'SLUICE_ATTEMPT_ID';

/**
 * Whether a live member of group `pgid` carries `ATTEMPT_MARK=<attemptId>`. Without /proc (macOS) the
 * number is all there is to go on, and a group that exists is taken to be the attempt's.
 */
export async function groupIsAttempts(pgid: number, attemptId: string): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  if (!HAS_PROC) return true;
  const mark = `${ATTEMPT_MARK}=${attemptId}`;
  for (const pid of await liveMembers(pgid)) {
    try {
      if ((await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').includes(mark)) return true;
    } catch {} // exited meanwhile, or another user's: not ours either way
  }
  return false;
}

/** Pids of the group's processes that are not zombies, from /proc. */
async function liveMembers(pgid: number): Promise<number[]> {
  const entries = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const members = await Promise.all(
    entries.map(async (entry) => {
      try {
        const stat = parseStat(await readFile(`/proc/${entry}/stat`, 'utf8'));
        return stat.pgrp === pgid && !isDeadState(stat.state) ? Number(entry) : undefined;
      } catch {
        return undefined; // exited while we looked
      }
    }),
  );
  return members.filter((pid) => pid !== undefined);
}

/**
 * Stops a process group: SIGTERM, then SIGKILL once the grace period is over (or earlier, once the leader
 * has exited and the rest has had the grace period to follow). Resolves when nothing of the group runs,
 * or after a last short wait following SIGKILL.
 *
 * @param leaderExited resolves when the group leader has exited (the spawned child), when known.
 */
export async function stopGroup(
  pgid: number,
  graceMs: number,
  leaderExited?: Promise<unknown>,
): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  if (leaderExited) await Promise.race([leaderExited, delay(graceMs)]);
  while (Date.now() < deadline && (await groupHasLiveMembers(pgid))) await delay(25);
  signalGroup(pgid, 'SIGKILL');
  if (leaderExited) await leaderExited;
  // SIGKILL takes effect asynchronously; a process in uninterruptible sleep may take a moment.
  for (let i = 0; i < 40 && (await groupHasLiveMembers(pgid)); i++) await delay(25);
}

interface ProcStat {
  state: string;
  pgrp: number;
}

/** `/proc/<pid>/stat`: `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses. */
function parseStat(text: string): ProcStat {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
}

function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}
