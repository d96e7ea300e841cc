/**
 * Scenario tests' harness: a real engine (SQLite file, local artifact directory, local process executor)
 * in a temporary SLUICE_HOME, running IR built by the DSL or loaded from the corpus.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePipeline } from '../../src/compiler/index.ts';
import type { AnyPipeline } from '../../src/dsl/index.ts';
import {
  openDefaultEngine,
  type RunSummary,
  type SubmitOptions,
  type TransitionEvent,
} from '../../src/engine/index.ts';
import type { PipelineDocument } from '../../src/ir/index.ts';
import type { RunStore } from '../../src/store/index.ts';

export interface Scenario {
  home: string;
  store: RunStore;
  run(
    pipeline: AnyPipeline | PipelineDocument,
    options?: SubmitOptions & { cancelAfterMs?: number },
  ): Promise<RunSummary>;
  events: TransitionEvent[];
  close(): Promise<void>;
}

export async function openScenario(
  home = mkdtempSync(join(tmpdir(), 'sluice-scenario-')),
): Promise<Scenario> {
  const opened = await openDefaultEngine({ home });
  const events: TransitionEvent[] = [];
  return {
    home,
    store: opened.store,
    events,
    async run(pipeline, options = {}) {
      const document = 'pipelineSpec' in pipeline ? pipeline : await compilePipeline(pipeline);
      const runId = await opened.engine.submit(document, { parallelism: 4, ...options });
      const controller = new AbortController();
      const timer =
        options.cancelAfterMs !== undefined
          ? setTimeout(() => controller.abort(), options.cancelAfterMs)
          : undefined;
      try {
        return await opened.engine.drive(runId, {
          signal: controller.signal,
          onTransition: (event) => events.push(event),
        });
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => opened.close(),
  };
}

/** The final state of each task by path, for compact assertions. */
export function states(summary: RunSummary): Record<string, string> {
  return Object.fromEntries(summary.tasks.map((task) => [task.name, task.state]));
}
