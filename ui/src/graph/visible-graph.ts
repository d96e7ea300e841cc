/**
 * Which nodes of a run graph are on screen: a group's children show only while the group is open.
 * Loops start closed (a 2,000-iteration fan-out is one node with counts); condition and exit-handler
 * sub-DAGs start open, because they are small and their tasks are what people look for.
 */
import type { GraphNode, RunGraph } from '../lib/api-types.ts';

export function defaultOpenGroups(graph: RunGraph): Set<string> {
  const open = new Set<string>();
  for (const node of graph.nodes) if (node.kind === 'DAG') open.add(node.id);
  return open;
}

export interface VisibleGraph {
  /** Visible nodes, every parent before its children. */
  nodes: GraphNode[];
  edges: { from: string; to: string }[];
  childrenOf: Map<string | null, GraphNode[]>;
}

export function visibleGraph(graph: RunGraph, open: ReadonlySet<string>): VisibleGraph {
  const childrenOf = new Map<string | null, GraphNode[]>();
  for (const node of graph.nodes) {
    const list = childrenOf.get(node.parent);
    if (list) list.push(node);
    else childrenOf.set(node.parent, [node]);
  }
  const nodes: GraphNode[] = [];
  const visit = (parent: string | null) => {
    for (const node of childrenOf.get(parent) ?? []) {
      nodes.push(node);
      if (isGroup(node) && open.has(node.id)) visit(node.id);
    }
  };
  visit(null);
  const shown = new Set(nodes.map((node) => node.id));
  return {
    nodes,
    edges: graph.edges.filter((edge) => shown.has(edge.from) && shown.has(edge.to)),
    childrenOf,
  };
}

export const isGroup = (node: GraphNode) => node.kind === 'DAG' || node.kind === 'LOOP';
