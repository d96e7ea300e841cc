/**
 * One Sluice run measured in its own process (so peak RSS is this run's): reads a pipeline document from a
 * JSON file, runs it with the default engine, prints `{wallMs, engineMs, peakRssBytes, tasks, state}`.
 * engineMs is this process's CPU time (user + system): what the engine itself spent, excluding the time it
 * only waited for task processes.
 */
import { readFileSync } from 'node:fs';
import { openDefaultEngine } from '../src/engine/index.ts';
import type { PipelineDocument } from '../src/ir/index.ts';

const [documentPath, home, parallelismText, cachedText, repeatText] = process.argv.slice(2);
const document = JSON.parse(readFileSync(documentPath!, 'utf8')) as PipelineDocument;
const cached = cachedText === 'true';
const { engine, close } = await openDefaultEngine({ home: home! });
// As `sluice run` does while it loads the pipeline file.
engine.prepareToRun();
await new Promise((resolve) => setTimeout(resolve, 200));
let figures: Record<string, unknown> = {};
for (let run = 0; run < Number(repeatText ?? '1'); run++) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const summary = await engine.run(document, { parallelism: Number(parallelismText), cache: cached });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  figures = {
    wallMs,
    engineMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    tasks: summary.tasks.length,
    state: summary.state,
  };
}
await close();
process.stdout.write(`${JSON.stringify(figures)}\n`);
