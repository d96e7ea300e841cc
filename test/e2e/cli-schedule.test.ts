/**
 * `sluice schedule …` and `sluice trigger …` as a user types them, with a real `sluice server` process on
 * the same SLUICE_HOME picking the schedule up: runs appear every second, stop on pause, and the CLI's
 * list, edit, history and errors say what they should.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openScheduleStore } from '../../src/schedule/index.ts';
import { repoRoot, runSluice, writeInlineFiles } from './sluice-cli.ts';

const pipelineFile = `
import { component, Param, pipeline } from 'sluice';
const say = component({
  name: 'say', image: 'alpine', inputs: { text: Param.string() },
  command: ['sh', '-c', 'echo "$0"'],
  args: ({ inputs }) => [inputs.text],
});
export default pipeline({ name: 'say-pipeline', inputs: { text: Param.string({ default: 'hi' }) } }, ({ text }) => {
  say({ text });
});
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sluice schedule and sluice trigger', () => {
  it('creates a per-second schedule that a running server fires, pauses it, edits it, and lists it', {
    timeout: 180_000,
  }, async () => {
    const project = writeInlineFiles({ 'pipeline.ts': pipelineFile });
    const home = join(project, 'home');
    const env = { SLUICE_HOME: home };
    const sluice = (args: string[]) => runSluice(args, { cwd: project, env });

    const badCron = await sluice([
      'schedule',
      'create',
      'pipeline.ts',
      '--cron',
      '61 * * * *',
      '--name',
      'x',
    ]);
    expect(badCron.code).toBe(2);
    expect(badCron.stderr).toContain("error: --cron: cron '61 * * * *' is not a cron pattern");
    expect(badCron.stderr).toContain('Invalid value for minute: 61');
    const badParam = await sluice([
      'schedule',
      'create',
      'pipeline.ts',
      '--every',
      '1h',
      '--name',
      'x',
      '-p',
      'txt=1',
    ]);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toContain(
      "error: --param txt: the pipeline has no parameter 'txt' (did you mean 'text'?)",
    );

    const created = await sluice([
      'schedule',
      'create',
      'pipeline.ts',
      '--cron',
      '*/1 * * * * *',
      '--name',
      'every-second',
      '-p',
      'text=scheduled',
      '--max-concurrency',
      '3',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /created schedule every-second: cron '\*\/1 \* \* \* \* \*' \(UTC\)\nnext run in [12] seconds? \(/,
    );

    const server = spawn(process.execPath, [join(repoRoot, 'bin/sluice.js'), 'server', '--port', '0'], {
      cwd: project,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const schedules = await openScheduleStore(home);
    try {
      const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
      expect(String((await lines.next()).value)).toMatch(/^sluice server on http:\/\/127\.0\.0\.1:\d+/);
      const schedule = (await schedules.getSchedule('every-second'))!;
      const started = async () =>
        (await schedules.listSlots(schedule.id)).filter((slot) => slot.state === 'STARTED').length;
      const deadline = Date.now() + 60_000;
      while ((await started()) < 2 && Date.now() < deadline) await sleep(200);
      expect(await started()).toBeGreaterThanOrEqual(2);

      const paused = await sluice(['schedule', 'pause', 'every-second']);
      expect(paused.stdout).toBe('paused schedule every-second; runs already started go on\n');
      await sleep(2_000); // the server notices within a second; a tick under way may still finish
      const afterPause = (await schedules.listSlots(schedule.id)).length;
      await sleep(3_000);
      expect((await schedules.listSlots(schedule.id)).length).toBe(afterPause);

      const history = await sluice(['schedule', 'history', 'every-second', '--json']);
      const rows = JSON.parse(history.stdout) as { state: string; runId: string }[];
      expect(rows.length).toBe(afterPause);
      expect(rows.filter((row) => row.state === 'STARTED').length).toBeGreaterThanOrEqual(2);
      const show = await sluice(['show', rows.at(-1)!.runId, '--json']);
      expect(JSON.parse(show.stdout)).toMatchObject({ parameters: { text: 'scheduled' } });
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('close', resolve));
      await schedules.close();
    }

    const edited = await sluice([
      'schedule',
      'edit',
      'every-second',
      '--cron',
      '0 2 * * 1',
      '--tz',
      'America/New_York',
    ]);
    expect(edited.stdout).toMatch(
      /^edited schedule every-second: cron '0 2 \* \* 1' \(America\/New_York\)\n/,
    );
    const listed = await sluice(['schedule', 'list']);
    expect(listed.stdout).toMatch(
      /^every-second {2}paused {3}cron '0 2 \* \* 1' \(America\/New_York\) {2}catch-up skip, max 3\n {2}paused: resume with: sluice schedule resume every-second\n$/,
    );
    const resumed = await sluice(['schedule', 'resume', 'every-second']);
    expect(resumed.stdout).toMatch(
      /^resumed schedule every-second; next run in \d+ (day|hour)s? \(Mon \d{4}-\d\d-\d\d 02:00 E[SD]T\)\n$/,
    );

    const hook = await sluice(['trigger', 'create', 'pipeline.ts', '--webhook', '--name', 'on-upload']);
    expect(hook.code).toBe(0);
    expect(hook.stdout).toMatch(/X-Sluice-Trigger-Secret: [A-Za-z0-9_-]{43}\n/);
    const watch = await sluice([
      'trigger',
      'create',
      'pipeline.ts',
      '--watch',
      'inbox',
      '--param-name',
      'text',
      '--name',
      'inbox',
    ]);
    expect(watch.stdout).toContain(
      `each new or changed file in ${join(project, 'inbox')} starts a run with text=<its path>`,
    );
    expect((await sluice(['trigger', 'pause', 'on-upload'])).stdout).toBe(
      'paused trigger on-upload; calls to it get 409 until: sluice trigger resume on-upload\n',
    );
    const triggers = await sluice(['trigger', 'list']);
    expect(triggers.stdout).toMatch(
      /^inbox {2}watch {4}enabled {2}.*inbox → text\non-upload {2}webhook {2}paused {3}POST \/apis\/v2beta1\/triggers\/[0-9a-f-]+:fire\n$/,
    );
    expect((await sluice(['trigger', 'resume', 'inbox'])).stdout).toBe(
      `resumed trigger inbox; files that arrived in ${join(project, 'inbox')} while it was paused fire now\n`,
    );
    expect((await sluice(['trigger', 'delete', 'on-upload'])).stdout).toBe(
      'deleted trigger on-upload (its runs stay)\n',
    );
    expect((await sluice(['schedule', 'delete', 'every-second'])).stdout).toBe(
      'deleted schedule every-second (its runs stay)\n',
    );
    const gone = await sluice(['schedule', 'pause', 'every-second']);
    expect([gone.code, gone.stderr]).toEqual([
      2,
      "error: no schedule 'every-second' in this store; list them with: sluice schedule list\n",
    ]);
  });
});
