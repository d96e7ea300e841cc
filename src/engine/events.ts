/**
 * State changes as the engine publishes them in-process (the CLI's live progress), after they are
 * committed. Other processes read the same changes from the store's transition log.
 */
import type { TaskKind } from '../store/index.ts';

export interface TransitionEvent {
  runId: string;
  /** null for a change of the run itself. */
  taskId: string | null;
  /** The task's path in the run (`for-loop-2[0]/train`); null for the run. */
  path: string | null;
  kind: TaskKind | null;
  /** null when the task was just created. */
  from: string | null;
  to: string;
  reason: string | null;
  at: string;
  /** Attempts started so far (container tasks). */
  attempt: number;
  cached: boolean;
}
