/** How a node looks: a task box coloured by state, or a group (loop / sub-DAG) with its state counts. */
import { BaseEdge, type EdgeProps, Handle, type NodeProps, Position } from '@xyflow/react';
import type { CSSProperties } from 'react';
import type { GraphNode } from '../lib/api-types.ts';
import { STATE_ORDER, stateColor } from '../lib/states.ts';

export interface NodeData extends Record<string, unknown> {
  node: GraphNode;
  selected: boolean;
  open: boolean;
  onToggle: (id: string) => void;
}

const colorVar = (state: string) => ({ '--state-color': stateColor(state) }) as CSSProperties;

export function TaskNodeView({ data }: NodeProps) {
  const { node, selected } = data as NodeData;
  const label = node.cached ? 'cached' : node.state.toLowerCase();
  return (
    <div
      className={`dag-node${selected ? ' selected' : ''}`}
      style={colorVar(node.state)}
      data-testid="dag-node"
      data-node-id={node.id}
      data-state={node.state}
      title={`${node.id}\n${node.component}\n${node.state}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="title">{node.name}</div>
      <div className="sub">
        <span className="state" style={colorVar(node.state)}>
          {label}
        </span>
        {node.exitHandler ? ' · exit handler' : ''}
        {node.attempts > 1 ? ` · ${node.attempts} attempts` : ''}
        {node.taskPath === null ? ` · ${summary(node.counts)}` : ''}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

export function GroupNodeView({ data }: NodeProps) {
  const { node, selected, open, onToggle } = data as NodeData;
  const total = Object.values(node.counts).reduce((sum, count) => sum + count, 0);
  const what = node.kind === 'LOOP' ? `loop · ${node.iterations?.length ?? 0} iterations` : 'sub-DAG';
  return (
    <div
      className={`dag-node group${selected ? ' selected' : ''}`}
      style={colorVar(node.state)}
      data-testid="dag-group"
      data-node-id={node.id}
      data-state={node.state}
      data-open={open}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="title">
        <button
          type="button"
          className="link nodrag"
          data-testid="group-toggle"
          aria-label={open ? `collapse ${node.name}` : `expand ${node.name}`}
          onClick={(event) => {
            event.stopPropagation();
            onToggle(node.id);
          }}
        >
          {open ? '▾' : '▸'}
        </button>{' '}
        {node.name} <span className="muted">{what}</span>
      </div>
      <div className="sub">
        {node.state.toLowerCase()} · {summary(node.counts)}
      </div>
      {total > 0 && !open && (
        <div className="bar">
          {STATE_ORDER.filter((state) => node.counts[state]).map((state) => (
            <span
              key={state}
              style={{ width: `${(100 * node.counts[state]!) / total}%`, background: stateColor(state) }}
            />
          ))}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

/** `12 succeeded, 3 running` — most urgent first. */
export function summary(counts: Record<string, number>): string {
  return STATE_ORDER.filter((state) => counts[state])
    .map((state) => `${counts[state]} ${state.toLowerCase()}`)
    .join(', ');
}

export interface RoutedEdgeData extends Record<string, unknown> {
  points: { x: number; y: number }[];
}

/** An edge along ELK's orthogonal route, so edges go around nodes instead of through them. */
export function RoutedEdge({ data, markerEnd, style }: EdgeProps) {
  const points = (data as RoutedEdgeData).points;
  const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ');
  return <BaseEdge path={path} markerEnd={markerEnd} style={style} />;
}

export const NODE_TYPES = { task: TaskNodeView, sluiceGroup: GroupNodeView };
export const EDGE_TYPES = { routed: RoutedEdge };
