import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DirectLauncher,
  type LaunchRequest,
  type ProcessLauncher,
  SpawnerLauncher,
  spawnerKinds,
} from '../../src/executors/local/process-launcher.ts';

const launchers: Record<string, () => ProcessLauncher> = {
  python: () => new SpawnerLauncher(spawnerKinds('python')),
  node: () => new SpawnerLauncher(spawnerKinds('node')),
  direct: () => new DirectLauncher(),
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sluice-launcher-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

function request(file: string, args: string[], extra: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    file,
    args,
    cwd: root,
    env: { PATH: process.env.PATH ?? '', GREETING: 'hello there' },
    logPath: path.join(root, 'out.log'),
    ...extra,
  };
}

function processGroupOf(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
}

describe.each(Object.keys(launchers))('%s launcher', { timeout: 30_000 }, (name) => {
  const launcher = launchers[name]!();
  beforeAll(async () => {
    // Until a helper is ready the launcher starts processes itself; these tests are about the helper.
    if (launcher instanceof SpawnerLauncher) {
      expect(await launcher.ready()).toBe(true);
      expect(launcher.kind).toBe(name);
    }
  });

  it('runs argv in cwd with exactly the given env, appending stdout and stderr to the log', async () => {
    await writeFile(path.join(root, 'out.log'), 'earlier attempt\n');
    const launched = launcher.launch(
      request('sh', ['-c', 'pwd; echo "$GREETING"; echo "$0" >&2; env | grep -c .', 'arg zero']),
    );
    const started = await launched.started;
    expect(started).toEqual({ pid: expect.any(Number) });
    expect(await launched.exited).toEqual({ code: 0, signal: null });
    const log = (await readFile(path.join(root, 'out.log'), 'utf8')).split('\n');
    expect(log.slice(0, 4)).toEqual(['earlier attempt', root, 'hello there', 'arg zero']);
    // PATH, GREETING and what sh itself sets (PWD, maybe SHLVL and _): nothing inherited from this process.
    expect(Number(log[4])).toBeLessThanOrEqual(5);
  });

  it('reports the exit code and the signal by name', async () => {
    expect(await launcher.launch(request('sh', ['-c', 'exit 7'])).exited).toEqual({ code: 7, signal: null });
    expect(await launcher.launch(request('sh', ['-c', 'kill -TERM $$'])).exited).toEqual({
      code: null,
      signal: 'SIGTERM',
    });
  });

  it('starts each process as the leader of its own process group', async () => {
    const launched = launcher.launch(request('sleep', ['5']));
    const started = await launched.started;
    if (!('pid' in started)) throw started.error;
    expect(processGroupOf(started.pid)).toBe(started.pid);
    process.kill(-started.pid, 'SIGKILL');
    expect(await launched.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('reports ENOENT for a command that does not exist and EACCES for one that cannot run', async () => {
    const missing = await launcher.launch(request('no-such-command-sluice', [])).started;
    expect('error' in missing && missing.error.code).toBe('ENOENT');
    const script = path.join(root, 'not-executable.sh');
    await writeFile(script, 'echo hi\n');
    await chmod(script, 0o644);
    const denied = await launcher.launch(request(script, [])).started;
    expect('error' in denied && denied.error.code).toBe('EACCES');
  });

  it('reports an error when the log cannot be opened', async () => {
    const launched = launcher.launch(request('true', [], { logPath: path.join(root, 'no', 'dir', 'x.log') }));
    const started = await launched.started;
    expect('error' in started && started.error.code).toBe('ENOENT');
    expect('error' in (await launched.exited)).toBe(true);
  });

  it('runs many processes at once and follows each to its own exit', async () => {
    const all = Array.from({ length: 20 }, (_, index) =>
      launcher.launch(request('sh', ['-c', `sleep 0.0${index % 5}; exit ${index}`])),
    );
    const exits = await Promise.all(all.map((launched) => launched.exited));
    expect(exits.map((exit) => ('code' in exit ? exit.code : undefined))).toEqual(
      Array.from({ length: 20 }, (_, index) => index),
    );
  });
});

describe.each(['python', 'node'] as const)('%s helper whose engine is gone', { timeout: 30_000 }, (name) => {
  it('exits quietly, without a traceback on the terminal it shares with the engine', async () => {
    const [kind] = spawnerKinds(name);
    const helper = spawn(kind!.command, kind!.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    // The engine ended before the helper said it was ready (`sluice run` on a missing file, say).
    helper.stdout.destroy();
    let stderr = '';
    helper.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => helper.once('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('SpawnerLauncher fallback', { timeout: 30_000 }, () => {
  it('uses the next helper when the first cannot start', async () => {
    const launcher = new SpawnerLauncher([
      { name: 'python', command: path.join(root, 'no-python3'), args: [] },
      ...spawnerKinds('node'),
    ]);
    expect(await launcher.ready()).toBe(true);
    expect(launcher.kind).toBe('node');
    const launched = launcher.launch(request('sh', ['-c', 'echo from fallback']));
    expect(await launched.exited).toEqual({ code: 0, signal: null });
    expect(await readFile(path.join(root, 'out.log'), 'utf8')).toBe('from fallback\n');
  });

  it('uses a helper that exits before it is ready as a helper that cannot start', async () => {
    const broken = path.join(root, 'old-python.sh');
    await writeFile(broken, '#!/bin/sh\nexit 1\n');
    await chmod(broken, 0o755);
    const launcher = new SpawnerLauncher([
      { name: 'python', command: broken, args: [] },
      ...spawnerKinds('node'),
    ]);
    expect(await launcher.ready()).toBe(true);
    expect(launcher.kind).toBe('node');
    const launched = launcher.launch(request('sh', ['-c', 'exit 4']));
    expect(await launched.exited).toEqual({ code: 4, signal: null });
  });

  it('starts processes itself while the helper is not ready yet, and through it once it is', async () => {
    const launcher = new SpawnerLauncher(spawnerKinds('node'));
    const early = launcher.launch(request('sh', ['-c', 'echo $PPID']));
    expect(await early.exited).toEqual({ code: 0, signal: null });
    expect(await launcher.ready()).toBe(true);
    const late = launcher.launch(request('sh', ['-c', 'echo $PPID']));
    expect(await late.exited).toEqual({ code: 0, signal: null });
    const parents = (await readFile(path.join(root, 'out.log'), 'utf8')).trim().split('\n').map(Number);
    expect(parents[0]).toBe(process.pid);
    expect(parents[1]).not.toBe(process.pid);
  });

  it('starts processes itself when no helper can run', async () => {
    const launcher = new SpawnerLauncher([{ name: 'python', command: path.join(root, 'none'), args: [] }]);
    expect(await launcher.ready()).toBe(false);
    const launched = launcher.launch(request('sh', ['-c', 'exit 5']));
    expect(await launched.exited).toEqual({ code: 5, signal: null });
    expect(launcher.kind).toBeUndefined();
  });

  it('prefers python3 and can be limited to node or turned off', () => {
    expect(spawnerKinds(undefined).map((kind) => kind.name)).toEqual(['python', 'node']);
    expect(spawnerKinds('node').map((kind) => kind.name)).toEqual(['node']);
    expect(spawnerKinds('off')).toEqual([]);
  });
});
