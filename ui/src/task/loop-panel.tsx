/**
 * A group node: a loop (its iterations as a grid of coloured cells, one click from any iteration's task),
 * a node inside a loop body (the same grid, coloured by that node's task in each iteration), or a sub-DAG.
 */
import type { CSSProperties } from 'react';
import { summary } from '../graph/graph-nodes.tsx';
import type { GraphNode, Run, RunGraph } from '../lib/api-types.ts';
import { navigate } from '../lib/router.ts';
import { stateColor } from '../lib/states.ts';

interface Cell {
  index: number;
  state: string;
  /** The task a click opens, when one stands behind the cell. */
  taskPath: string | undefined;
}

export function LoopPanel({ run, graph, node }: { run: Run; graph: RunGraph; node: GraphNode }) {
  const cells = cellsFor(run, graph, node);
  return (
    <div data-testid="group-panel">
      <h2>{node.id}</h2>
      <span className="state" style={{ '--state-color': stateColor(node.state) } as CSSProperties}>
        {node.state}
      </span>{' '}
      <span className="muted">
        {node.kind === 'LOOP' ? 'loop' : node.kind === 'DAG' ? 'sub-DAG' : 'task in a loop body'} ·{' '}
        {node.component}
      </span>
      <h3>Tasks</h3>
      <p>{summary(node.counts) || 'none started yet'}</p>
      {cells && (
        <>
          <h3>Iterations ({cells.length})</h3>
          <div className="iteration-grid" data-testid="iteration-grid">
            {cells.map((cell) => (
              <button
                key={cell.index}
                type="button"
                title={`[${cell.index}] ${cell.state}`}
                aria-label={`iteration ${cell.index}: ${cell.state}`}
                style={{ background: stateColor(cell.state) }}
                disabled={!cell.taskPath}
                onClick={() => cell.taskPath && navigate(['runs', run.runId], { task: cell.taskPath })}
              />
            ))}
          </div>
          <p className="muted">Click an iteration to open its task.</p>
        </>
      )}
    </div>
  );
}

function cellsFor(run: Run, graph: RunGraph, node: GraphNode): Cell[] | undefined {
  const byId = new Map(graph.nodes.map((candidate) => [candidate.id, candidate]));
  let loop: GraphNode | undefined = node;
  while (loop && !(loop.kind === 'LOOP' && loop.iterations))
    loop = loop.parent ? byId.get(loop.parent) : undefined;
  if (!loop?.iterations) return undefined;
  const stateOf = new Map(run.tasks.map((task) => [task.name, task.state]));
  // The one leaf a click should open: the node itself, or the loop body's only task.
  const leaves = graph.nodes.filter(
    (candidate) =>
      (candidate.kind === 'CONTAINER' || candidate.kind === 'IMPORTER') &&
      candidate.id.startsWith(`${node.id}/`),
  );
  const target =
    node.kind === 'CONTAINER' || node.kind === 'IMPORTER'
      ? node
      : leaves.length === 1
        ? leaves[0]
        : undefined;
  const relative = target ? target.id.slice(loop.id.length + 1) : undefined;
  return loop.iterations.map((iteration) => {
    const taskPath = relative === undefined ? undefined : `${iteration.path}/${relative}`;
    return {
      index: iteration.index,
      state: node === loop ? iteration.state : (stateOf.get(taskPath ?? '') ?? 'PENDING'),
      taskPath,
    };
  });
}
