/**
 * Positions for the visible nodes. ELK's layered layout (in a Web Worker) gives the drawing people expect,
 * groups as boxes around their children; above LARGE_GRAPH nodes ELK needs seconds, so a simple
 * longest-path layering places nodes first and ELK's result replaces it when it arrives.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { GraphNode } from '../lib/api-types.ts';
import { isGroup, type VisibleGraph } from './visible-graph.ts';

export const TASK_SIZE = { width: 190, height: 56 };
export const GROUP_CLOSED_SIZE = { width: 220, height: 70 };
const GROUP_HEADER = 40;
export const LARGE_GRAPH = 300;

export interface Placed {
  node: GraphNode;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Open groups hold their children; positions of children are relative to this group. */
  open: boolean;
}

export interface Layout {
  /** Which layout placed the nodes: the quick layering comes first on large graphs. */
  source: 'elk' | 'quick';
  placed: Map<string, Placed>;
  /** ELK's orthogonal edge routes in flow coordinates, by `from->to`; absent for the quick layout. */
  routes: Map<string, { x: number; y: number }[]>;
}

const LAYERED_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.edgeRouting': 'ORTHOGONAL',
};

export function toElk(visible: VisibleGraph, open: ReadonlySet<string>): ElkNode {
  const shown = new Set(visible.nodes.map((node) => node.id));
  const edgesByParent = new Map<string | null, ElkExtendedEdge[]>();
  const parentOf = new Map(visible.nodes.map((node) => [node.id, node.parent]));
  for (const edge of visible.edges) {
    const parent = parentOf.get(edge.to) ?? null;
    const list = edgesByParent.get(parent) ?? [];
    list.push({ id: `${edge.from}->${edge.to}`, sources: [edge.from], targets: [edge.to] });
    edgesByParent.set(parent, list);
  }
  const build = (parent: string | null): ElkNode[] =>
    (visible.childrenOf.get(parent) ?? [])
      .filter((node) => shown.has(node.id))
      .map((node) => {
        if (isGroup(node) && open.has(node.id))
          return {
            id: node.id,
            layoutOptions: {
              ...LAYERED_OPTIONS,
              'elk.padding': `[top=${GROUP_HEADER + 8},left=14,bottom=14,right=14]`,
            },
            children: build(node.id),
            edges: edgesByParent.get(node.id) ?? [],
          };
        const size = isGroup(node) ? GROUP_CLOSED_SIZE : TASK_SIZE;
        return { id: node.id, ...size };
      });
  return {
    id: '__root',
    layoutOptions: LAYERED_OPTIONS,
    children: build(null),
    edges: edgesByParent.get(null) ?? [],
  };
}

export function fromElk(result: ElkNode, visible: VisibleGraph, open: ReadonlySet<string>): Layout {
  const byId = new Map(visible.nodes.map((node) => [node.id, node]));
  const placed = new Map<string, Placed>();
  const routes = new Map<string, { x: number; y: number }[]>();
  // Node positions stay relative to their group (React Flow wants that); edge routes become absolute.
  const walk = (elk: ElkNode, offsetX: number, offsetY: number) => {
    for (const edge of (elk.edges ?? []) as ElkExtendedEdge[]) {
      const section = edge.sections?.[0];
      if (!section) continue;
      routes.set(
        edge.id,
        [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((point) => ({
          x: point.x + offsetX,
          y: point.y + offsetY,
        })),
      );
    }
    for (const child of elk.children ?? []) {
      const node = byId.get(child.id);
      if (!node) continue;
      placed.set(child.id, {
        node,
        x: child.x ?? 0,
        y: child.y ?? 0,
        width: child.width ?? TASK_SIZE.width,
        height: child.height ?? TASK_SIZE.height,
        open: isGroup(node) && open.has(node.id),
      });
      walk(child, offsetX + (child.x ?? 0), offsetY + (child.y ?? 0));
    }
  };
  walk(result, 0, 0);
  return { source: 'elk', placed, routes };
}

/** Longest-path layers, each layer in input order; open groups are drawn closed. Linear time. */
export function quickLayout(visible: VisibleGraph): Layout {
  const top = visible.childrenOf.get(null) ?? [];
  const ids = new Set(top.map((node) => node.id));
  const incoming = new Map<string, string[]>();
  for (const edge of visible.edges)
    if (ids.has(edge.from) && ids.has(edge.to))
      incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge.from]);
  const layerOf = new Map<string, number>();
  const layer = (id: string, seen: Set<string>): number => {
    const known = layerOf.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    let value = 0;
    for (const from of incoming.get(id) ?? []) value = Math.max(value, layer(from, seen) + 1);
    layerOf.set(id, value);
    return value;
  };
  const columns = new Map<number, number>();
  const layout: Layout = { source: 'quick', placed: new Map(), routes: new Map() };
  for (const node of top) {
    const row = layer(node.id, new Set());
    const column = columns.get(row) ?? 0;
    columns.set(row, column + 1);
    const size = isGroup(node) ? GROUP_CLOSED_SIZE : TASK_SIZE;
    layout.placed.set(node.id, {
      node,
      x: column * (GROUP_CLOSED_SIZE.width + 24),
      y: row * (GROUP_CLOSED_SIZE.height + 50),
      ...size,
      open: false,
    });
  }
  return layout;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (node: ElkNode) => void; reject: (error: Error) => void }>();

/** Starts the layout worker early, so loading ELK overlaps the page's first API requests. */
export function warmLayoutWorker(): void {
  startWorker();
}

export function elkLayout(graph: ElkNode): Promise<ElkNode> {
  startWorker();
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker!.postMessage({ id, graph });
  });
}

function startWorker(): void {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ id: number; graph?: ElkNode; error?: string }>) => {
      const waiting = pending.get(event.data.id);
      pending.delete(event.data.id);
      if (!waiting) return;
      if (event.data.graph) waiting.resolve(event.data.graph);
      else waiting.reject(new Error(event.data.error ?? 'layout failed'));
    };
  }
}
