/**
 * A stand-in for the `docker` CLI, for machines without a Docker engine (fake-docker.ts puts it first on
 * PATH as `docker`). It keeps docker's observable behaviour where the executor relies on it, and runs the
 * "container" as a process group on this machine:
 *
 * - `version --format …`: the server version, or (FAKE_DOCKER_DAEMON=down) docker's message for a daemon
 *   that does not answer, or (=hang) no answer at all.
 * - `run`: parses the options the executor writes, refuses what docker would refuse (unknown flag, a bind
 *   source that does not exist, a name in use) and what the fake cannot honour (a mount whose target is
 *   not its source, a work dir outside every mount: the program would not see the host's files), then runs
 *   `[entrypoint] args…` in the work dir with only PATH and the `--env` variables, in its own process
 *   group, forwarding SIGTERM/SIGINT to it as docker's sig-proxy does. Exits with the program's code
 *   (128+n after signal n), 127/126 with docker's `docker:` line when the command cannot start, and kills
 *   the rest of the group when the program ends (a container ends with its main process).
 *   Image `fake/pull-denied` fails as a pull of a missing image does (exit 125).
 * - `stop [-t N] NAME`, `rm [-f] NAME`: find the group through FAKE_DOCKER_STATE/NAME.pid (written by
 *   `run`, removed when the container ends) and stop it; docker's message for a container that is not there.
 *
 * Every call is appended to FAKE_DOCKER_STATE/calls.jsonl, for tests to inspect.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const state = process.env.FAKE_DOCKER_STATE;
if (!state) {
  process.stderr.write('fake docker: FAKE_DOCKER_STATE is not set\n');
  process.exit(2);
}
const [command, ...rest] = process.argv.slice(2);
appendFileSync(path.join(state, 'calls.jsonl'), `${JSON.stringify([command, ...rest])}\n`);

const pidFile = (name) => path.join(state, `${name}.pid`);

function fail(message, code) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function version() {
  const daemon = process.env.FAKE_DOCKER_DAEMON;
  if (daemon === 'hang') await delay(600_000);
  if (daemon === 'down') {
    process.stdout.write('\n');
    fail(
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      1,
    );
  }
  process.stdout.write('28.2.2-fake\n');
}

const VALUE_OPTIONS = {
  '--name': 'name',
  '--label': 'labels',
  '-l': 'labels',
  '--mount': 'mounts',
  '--workdir': 'workdir',
  '-w': 'workdir',
  '--user': 'user',
  '-u': 'user',
  '--env': 'env',
  '-e': 'env',
  '--cpus': 'cpus',
  '--memory': 'memory',
  '-m': 'memory',
  '--gpus': 'gpus',
  '--entrypoint': 'entrypoint',
};
const FLAGS = new Set(['--rm', '--init']);
const MULTIPLE = new Set(['labels', 'mounts', 'env']);

function parseRun(argv) {
  const options = { labels: [], mounts: [], env: [] };
  let index = 0;
  for (; index < argv.length && argv[index].startsWith('-'); index++) {
    const arg = argv[index];
    if (FLAGS.has(arg)) continue;
    const equals = arg.indexOf('=');
    const flag = equals < 0 ? arg : arg.slice(0, equals);
    const key = VALUE_OPTIONS[flag];
    if (!key) fail(`unknown flag: ${flag}\n\nRun 'docker run --help' for more information`, 125);
    const value = equals < 0 ? argv[++index] : arg.slice(equals + 1);
    if (value === undefined) fail(`flag needs an argument: ${flag}`, 125);
    if (MULTIPLE.has(key)) options[key].push(value);
    else options[key] = value;
  }
  return { options, image: argv[index], args: argv.slice(index + 1) };
}

/** One CSV record, as docker reads `--mount`. */
function csvFields(text) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') field += text[++i];
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

function bindMount(text) {
  const mount = {};
  for (const field of csvFields(text)) {
    const equals = field.indexOf('=');
    mount[equals < 0 ? field : field.slice(0, equals)] = equals < 0 ? true : field.slice(equals + 1);
  }
  if (mount.type !== 'bind') fail(`fake docker: only bind mounts are supported: ${text}`, 125);
  if (!existsSync(mount.source)) {
    fail(
      `docker: Error response from daemon: invalid mount config for type "bind": bind source path does not exist: ${mount.source}`,
      125,
    );
  }
  if (mount.target !== mount.source) fail(`fake docker: a mount must keep its path: ${text}`, 125);
  return mount.source;
}

function run(argv) {
  const { options, image, args } = parseRun(argv);
  if (!image) fail('docker: "docker run" requires at least 1 argument.', 125);
  if (image === 'fake/pull-denied') {
    process.stderr.write(`Unable to find image '${image}:latest' locally\n`);
    fail(
      `docker: Error response from daemon: pull access denied for ${image}, repository does not exist or may require 'docker login'\n\nRun 'docker run --help' for more information`,
      125,
    );
  }
  const mounts = options.mounts.map(bindMount);
  const name = options.name ?? `fake-${process.pid}`;
  if (existsSync(pidFile(name))) {
    fail(
      `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use.`,
      125,
    );
  }
  const workdir = options.workdir ?? '/';
  if (!mounts.some((mount) => workdir === mount || workdir.startsWith(`${mount}/`))) {
    fail(`fake docker: --workdir ${workdir} is not inside a mount`, 125);
  }
  const program = options.entrypoint === undefined ? args : [options.entrypoint, ...args];
  if (program.length === 0) fail("fake docker: an image's default command is not supported", 125);
  const env = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOSTNAME: name };
  for (const entry of options.env) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  const child = spawn(program[0], program.slice(1), {
    cwd: workdir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  child.once('spawn', () => writeFileSync(pidFile(name), String(child.pid)));
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.pid !== undefined) killGroup(child.pid, signal);
    });
  }
  child.once('error', (error) => {
    const cause =
      error.code === 'ENOENT'
        ? `exec: "${program[0]}": executable file not found in $PATH`
        : `exec: "${program[0]}": permission denied`;
    fail(
      `docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${cause}: unknown\n\nRun 'docker run --help' for more information`,
      error.code === 'ENOENT' ? 127 : 126,
    );
  });
  child.once('exit', (code, signal) => {
    if (child.pid === undefined) return; // 'error' reports a program that did not start
    killGroup(child.pid, 'SIGKILL');
    rmSync(pidFile(name), { force: true });
    process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function runningPid(name) {
  try {
    return Number(readFileSync(pidFile(name), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether a process of the group still runs; zombies do not count (this machine's PID 1 may not reap). */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(pgrp) === pgid && !'ZXx'.includes(state);
      } catch {
        return false;
      }
    });
}

/** Waits until the container has ended; one whose `run` client was killed has nobody to remove its pid file. */
async function waitGone(name, pid, ms) {
  const deadline = Date.now() + ms;
  while (existsSync(pidFile(name)) && groupAlive(pid) && Date.now() < deadline) await delay(20);
  if (groupAlive(pid)) return false;
  rmSync(pidFile(name), { force: true });
  return true;
}

function noSuchContainer(name) {
  process.stderr.write(`Error response from daemon: No such container: ${name}\n`);
  process.exitCode = 1;
}

async function stop(argv) {
  let seconds = 10;
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-t' || argv[i] === '--timeout' || argv[i] === '--time') seconds = Number(argv[++i]);
    else if (/^--time(out)?=/.test(argv[i])) seconds = Number(argv[i].split('=')[1]);
    else names.push(argv[i]);
  }
  for (const name of names) {
    const pid = runningPid(name);
    if (pid === undefined) {
      noSuchContainer(name);
      continue;
    }
    killGroup(pid, 'SIGTERM');
    if (!(await waitGone(name, pid, seconds * 1000))) {
      killGroup(pid, 'SIGKILL');
      await waitGone(name, pid, 2000);
    }
    process.stdout.write(`${name}\n`);
  }
}

async function remove(argv) {
  const force = argv.includes('-f') || argv.includes('--force');
  for (const name of argv.filter((arg) => !arg.startsWith('-'))) {
    const pid = runningPid(name);
    if (pid === undefined) {
      noSuchContainer(name);
      continue;
    }
    if (!force) {
      process.stderr.write(
        `Error response from daemon: cannot remove container "/${name}": container is running\n`,
      );
      process.exitCode = 1;
      continue;
    }
    killGroup(pid, 'SIGKILL');
    await waitGone(name, pid, 2000);
    process.stdout.write(`${name}\n`);
  }
}

// Last: the functions above use constants declared between them.
switch (command) {
  case 'version':
    await version();
    break;
  case 'run':
    run(rest);
    break;
  case 'stop':
    await stop(rest);
    break;
  case 'rm':
    await remove(rest);
    break;
  default:
    fail(`docker: unknown command: docker ${command}`, 1);
}
