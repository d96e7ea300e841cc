/**
 * Crash safety, proved the hard way: `sluice run` on a 100+ task pipeline is killed with SIGKILL at a
 * random moment (its task processes are left behind, as in a real crash), then `sluice resume` finishes
 * the run. Over several trials: the run SUCCEEDS, no task that had SUCCEEDED runs again, and every
 * artifact in the store exists once, complete, with the digest recorded for it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSqliteRunStore } from '../../src/store/index.ts';
import { repoRoot, runSluice, scratchDirectory, writeInlineFiles } from './sluice-cli.ts';

const LOOP_ITEMS = 100;
const TRIALS = 4;

const pipelineSource = `
import { Collected, component, Dataset, Param, ParallelFor, pipeline } from 'sluice';
const ledger = process.env.LEDGER!;
export const seed = component({
  name: 'seed', image: 'alpine', inputs: { ledger: Param.string() }, outputs: { data: Dataset },
  command: ['sh', '-c', 'echo "seed $$" >> "$0"; sleep 0.05; echo seed-content > "$1"'],
  args: ({ inputs, outputs }) => [inputs.ledger, outputs.data.path],
});
export const transform = component({
  name: 'transform', image: 'alpine', inputs: { ledger: Param.string(), n: Param.int(), data: Dataset },
  outputs: { out: Dataset },
  command: ['sh', '-c', 'echo "transform-$1 $$" >> "$0"; sleep 0.$(( $1 % 5 + 1 )); { cat "$2"; echo "item $1"; } > "$3.tmp" && mv "$3.tmp" "$3"'],
  args: ({ inputs, outputs }) => [inputs.ledger, inputs.n, inputs.data.path, outputs.out.path],
});
export const gather = component({
  name: 'gather', image: 'alpine', inputs: { ledger: Param.string(), parts: Dataset.list() }, outputs: { all: Dataset },
  command: ['python3', '-c', 'import json, os, sys\\nopen(sys.argv[1], "a").write(f"gather {os.getpid()}\\\\n")\\nparts = json.loads(sys.argv[3])\\nopen(sys.argv[2], "w").write("".join(open(p["path"]).read() for p in parts))'],
  args: ({ inputs, outputs }) => [inputs.ledger, outputs.all.path, inputs.parts.json],
});
export default pipeline({ name: 'crash-test' }, () => {
  const seeded = seed({ ledger });
  const parts = ParallelFor(Array.from({ length: ${LOOP_ITEMS} }, (_, i) => i), (n) =>
    transform({ ledger, n, data: seeded.outputs.data }).setCachingOptions(false));
  gather({ ledger, parts: Collected(parts.outputs.out) });
});
`;

/** Waits until the run is in the store, so the kill lands while the engine drives it. */
async function waitForRun(database: string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (existsSync(database)) {
      const store = await openSqliteRunStore(database);
      const runs = await store.listRuns();
      await store.close();
      if (runs.length > 0) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the run never appeared in the store');
}

function digestOf(path: string): string {
  const hash = createHash('sha256');
  if (statSync(path).isFile()) return `sha256:${hash.update(readFileSync(path)).digest('hex')}`;
  return `dir:${readdirSync(path).length}`;
}

describe('kill -9 at random moments, then resume', () => {
  for (let trial = 1; trial <= TRIALS; trial++) {
    it(`trial ${trial}: the run completes; nothing that succeeded runs again; artifacts are whole`, async () => {
      const home = scratchDirectory();
      const project = writeInlineFiles({ 'pipeline.ts': pipelineSource });
      const ledger = join(project, 'ledger.txt');
      const env = { SLUICE_HOME: home, LEDGER: ledger };

      // Run, kill the engine (only the engine: its task processes live on) at a random moment; then resume
      // and kill again; then resume to the end. After each kill, note what had SUCCEEDED.
      const checkpoints: { succeeded: Map<string, number>; ledgerLength: number }[] = [];
      let runId: string | undefined;
      for (let kill = 0; kill < 2; kill++) {
        const args = runId ? ['resume', runId] : ['run', 'pipeline.ts', '--parallelism', '4'];
        const child = spawn(process.execPath, [join(repoRoot, 'bin/sluice.js'), ...args], {
          cwd: project,
          env: { ...process.env, ...env },
          stdio: 'ignore',
        });
        await waitForRun(join(home, 'sluice.db'));
        await new Promise((resolve) => setTimeout(resolve, 500 + Math.floor(Math.random() * 3_000)));
        child.kill('SIGKILL');
        await new Promise((resolve) => child.on('close', resolve));

        const store = await openSqliteRunStore(join(home, 'sluice.db'));
        const [run] = await store.listRuns();
        runId = run!.id;
        const succeeded = new Map<string, number>();
        for (const task of await store.getTasks(run!.id)) {
          if (task.state === 'SUCCEEDED') succeeded.set(task.id, task.attemptCount);
        }
        await store.close();
        // Let orphaned processes of the dead engine write their ledger lines, then note the ledger.
        await new Promise((resolve) => setTimeout(resolve, 1_200));
        checkpoints.push({
          succeeded,
          ledgerLength: existsSync(ledger) ? readFileSync(ledger, 'utf8').length : 0,
        });
      }
      const run = { id: runId! };

      const resumed = await runSluice(['resume', run!.id, '--json'], { cwd: project, env });
      expect(resumed.stderr).not.toContain('internal error');
      const summary = JSON.parse(resumed.stdout.trim().split('\n').at(-1)!);
      expect(summary.state).toBe('SUCCEEDED');
      expect(summary.tasks.filter((task: { name: string }) => task.name.endsWith('/transform'))).toHaveLength(
        LOOP_ITEMS,
      );
      expect(resumed.code).toBe(0);

      const after = await openSqliteRunStore(join(home, 'sluice.db'));
      try {
        const tasks = await after.getTasks(run!.id);
        // No task that had SUCCEEDED at a kill ran again: same attempts, and no later ledger line names it.
        const ledgerText = readFileSync(ledger, 'utf8');
        for (const { succeeded, ledgerLength } of checkpoints) {
          const laterLines = ledgerText.slice(ledgerLength).split('\n').filter(Boolean);
          for (const task of tasks) {
            if (!succeeded.has(task.id)) continue;
            expect(task.state).toBe('SUCCEEDED');
            expect(task.attemptCount).toBe(succeeded.get(task.id));
            const label = task.path.endsWith('/transform')
              ? `transform-${task.path.match(/\[(\d+)\]/)![1]} `
              : `${task.name} `;
            expect(laterLines.filter((line) => line.startsWith(label))).toEqual([]);
          }
        }
        expect(
          checkpoints.at(-1)!.succeeded.size,
          'some tasks had finished before the last kill',
        ).toBeGreaterThan(0);
        // Every artifact exists once per producing task, complete, with the recorded digest.
        const artifacts = await after.getArtifacts(run!.id);
        const producers = artifacts.map((artifact) => `${artifact.taskId}/${artifact.name}`);
        expect(new Set(producers).size).toBe(producers.length);
        expect(artifacts).toHaveLength(LOOP_ITEMS + 2);
        for (const artifact of artifacts) {
          const path = fileURLToPath(artifact.uri);
          expect(existsSync(path), artifact.uri).toBe(true);
          expect(digestOf(path)).toBe(artifact.digest);
        }
        const gathered = artifacts.find((artifact) => artifact.name === 'all')!;
        const lines = readFileSync(fileURLToPath(gathered.uri), 'utf8').trim().split('\n');
        expect(lines.filter((line) => line === 'seed-content')).toHaveLength(LOOP_ITEMS);
        expect(new Set(lines.filter((line) => line.startsWith('item ')))).toEqual(
          new Set(Array.from({ length: LOOP_ITEMS }, (_, i) => `item ${i}`)),
        );
      } finally {
        await after.close();
      }
    }, 120_000);
  }
});
