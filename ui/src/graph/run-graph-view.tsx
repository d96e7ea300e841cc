/**
 * A run's (or a pipeline version's) DAG, drawn with React Flow. Layout runs again only when the structure
 * or the open groups change; state updates recolour nodes in place, so a live run does not jump around.
 */
import {
  Background,
  Controls,
  type Edge,
  type Node,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Viewport,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GraphNode, RunGraph } from '../lib/api-types.ts';
import { elkLayout, fromElk, LARGE_GRAPH, type Layout, quickLayout, toElk } from './graph-layout.ts';
import { EDGE_TYPES, NODE_TYPES, type NodeData, type RoutedEdgeData } from './graph-nodes.tsx';
import { absoluteBoxes, idsInView, type View } from './viewport-culling.ts';
import { defaultOpenGroups, isGroup, visibleGraph } from './visible-graph.ts';

export interface RunGraphViewProps {
  graph: RunGraph;
  selected?: string | null;
  onSelect?: (node: GraphNode | null) => void;
}

export function RunGraphView(props: RunGraphViewProps) {
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}

function GraphCanvas({ graph, selected = null, onSelect }: RunGraphViewProps) {
  const structure = useMemo(
    () => `${graph.nodes.map((node) => node.id).join('\n')}|${graph.edges.length}`,
    [graph],
  );
  const [open, setOpen] = useState(() => defaultOpenGroups(graph));
  const [layout, setLayout] = useState<Layout | null>(null);
  const [layoutError, setLayoutError] = useState<string>();
  const flow = useReactFlow();

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new layout only when structure or open groups change
  useEffect(() => {
    const visible = visibleGraph(graph, open);
    let current = true;
    if (visible.nodes.length > LARGE_GRAPH) setLayout(quickLayout(visible));
    elkLayout(toElk(visible, open)).then(
      (result) => current && setLayout(fromElk(result, visible, open)),
      (error: Error) => {
        if (!current) return;
        setLayoutError(error.message);
        setLayout(quickLayout(visible));
      },
    );
    return () => {
      current = false;
    };
  }, [structure, open]);

  const container = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>();
  const culled = layout !== null && layout.placed.size > LARGE_GRAPH;
  const frame = useRef(0);
  const onMove = useCallback((_: unknown, viewport: Viewport) => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const element = container.current;
      if (element) setView({ ...viewport, width: element.clientWidth, height: element.clientHeight });
    });
  }, []);

  // A big graph fitted to the screen is thousands of unreadable boxes, all of which must be drawn; start at
  // a readable zoom on its first layers instead, and zoom out on demand.
  useEffect(() => {
    if (!layout) return;
    requestAnimationFrame(() => {
      if (layout.placed.size > LARGE_GRAPH) {
        const start = { x: 24, y: 24, zoom: 0.8 };
        flow.setViewport(start);
        onMove(undefined, start);
      } else flow.fitView({ padding: 0.1, maxZoom: 1.2 });
    });
  }, [layout, flow, onMove]);

  const toggle = useCallback(
    (id: string) =>
      setOpen((previous) => {
        const next = new Set(previous);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );

  const byId = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node])), [graph]);
  const boxes = useMemo(() => (culled && layout ? absoluteBoxes(layout) : undefined), [culled, layout]);
  const shown = useMemo(
    () => (boxes && layout && view ? idsInView(layout, boxes, view) : undefined),
    [boxes, layout, view],
  );

  // Node objects are kept between renders unless something drawn changed, so React Flow redraws only
  // those: a state change or a new selection does not rebuild 2,000 nodes.
  const cache = useRef(new Map<string, { signature: string; node: Node }>());
  const nodes = useMemo<Node[]>(() => {
    if (!layout) return [];
    const result: Node[] = [];
    for (const placed of layout.placed.values()) {
      if (culled && !shown?.has(placed.node.id)) continue;
      const node = byId.get(placed.node.id) ?? placed.node;
      const isSelected = node.id === selected;
      const signature = `${node.state}|${node.attempts}|${node.cached}|${JSON.stringify(node.counts)}|${node.iterations?.length}|${isSelected}|${placed.x},${placed.y},${placed.width},${placed.height},${placed.open}`;
      const known = cache.current.get(node.id);
      if (known?.signature === signature) {
        result.push(known.node);
        continue;
      }
      const parent = node.parent !== null && layout.placed.get(node.parent)?.open ? node.parent : undefined;
      const data: NodeData = { node, selected: isSelected, open: placed.open, onToggle: toggle };
      const built: Node = {
        id: node.id,
        type: isGroup(node) ? 'sluiceGroup' : 'task',
        position: { x: placed.x, y: placed.y },
        ...(parent ? { parentId: parent, extent: 'parent' as const } : {}),
        data,
        width: placed.width,
        height: placed.height,
        style: { width: placed.width, height: placed.height },
        draggable: false,
        connectable: false,
        selectable: false,
        zIndex: placed.open ? 0 : 1,
      };
      cache.current.set(node.id, { signature, node: built });
      result.push(built);
    }
    return result;
  }, [layout, byId, selected, toggle, culled, shown]);

  const edges = useMemo<Edge[]>(() => {
    if (!layout) return [];
    const present = (id: string) => layout.placed.has(id) && (!culled || shown?.has(id) === true);
    return graph.edges
      .filter((edge) => present(edge.from) && present(edge.to))
      .map((edge) => {
        const id = `${edge.from}->${edge.to}`;
        const route = layout.routes.get(id);
        const data: RoutedEdgeData = { points: route ?? [] };
        return {
          id,
          source: edge.from,
          target: edge.to,
          type: route ? 'routed' : 'smoothstep',
          data,
          animated: byId.get(edge.to)?.state === 'RUNNING',
          zIndex: 2,
        };
      });
  }, [layout, graph.edges, byId, culled, shown]);

  if (graph.nodes.length === 0) return <p className="empty">This pipeline has no tasks.</p>;
  return (
    <div
      ref={container}
      style={{ width: '100%', height: '100%' }}
      data-testid="dag"
      data-ready={layout !== null}
      data-layout={layout?.source}
    >
      {layoutError && <div className="error">Layout failed ({layoutError}); showing a simple layering.</div>}
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onNodeClick={(_, node) => onSelect?.((node.data as NodeData).node)}
        onPaneClick={() => onSelect?.(null)}
        onMove={culled ? onMove : undefined}
        nodesDraggable={false}
        nodesConnectable={false}
        minZoom={0.05}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
