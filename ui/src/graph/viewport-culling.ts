/**
 * React Flow draws every node it is given at least once (to measure it), so a 2,000-task graph costs
 * seconds even when a few dozen boxes are on screen. Big graphs are therefore handed over culled: only the
 * nodes in (or near) the viewport, with their enclosing groups, and the edges between them.
 */
import type { Layout } from './graph-layout.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface View {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
}

/** Flow coordinates of every placed node (children of open groups are placed relative to the group). */
export function absoluteBoxes(layout: Layout): Map<string, Box> {
  const boxes = new Map<string, Box>();
  const resolve = (id: string): Box | undefined => {
    const known = boxes.get(id);
    if (known) return known;
    const placed = layout.placed.get(id);
    if (!placed) return undefined;
    const parentId = placed.node.parent;
    const parent = parentId !== null && layout.placed.get(parentId)?.open ? resolve(parentId) : undefined;
    const box = {
      x: placed.x + (parent?.x ?? 0),
      y: placed.y + (parent?.y ?? 0),
      width: placed.width,
      height: placed.height,
    };
    boxes.set(id, box);
    return box;
  };
  for (const id of layout.placed.keys()) resolve(id);
  return boxes;
}

/** Ids of nodes overlapping the view grown by `margin` of its size on every side, plus their ancestors. */
export function idsInView(layout: Layout, boxes: Map<string, Box>, view: View, margin = 0.5): Set<string> {
  const width = view.width / view.zoom;
  const height = view.height / view.zoom;
  const left = -view.x / view.zoom - width * margin;
  const top = -view.y / view.zoom - height * margin;
  const right = left + width * (1 + 2 * margin);
  const bottom = top + height * (1 + 2 * margin);
  const ids = new Set<string>();
  for (const [id, box] of boxes) {
    if (box.x > right || box.x + box.width < left || box.y > bottom || box.y + box.height < top) continue;
    for (let current: string | null = id; current !== null && !ids.has(current); ) {
      ids.add(current);
      const parent: string | null = layout.placed.get(current)?.node.parent ?? null;
      current = parent !== null && layout.placed.get(parent)?.open ? parent : null;
    }
  }
  return ids;
}
