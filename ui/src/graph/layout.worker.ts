/// <reference lib="webworker" />
// ELK takes seconds on big graphs; here it never blocks the page.
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';

const elk = new ELK();

self.onmessage = async (event: MessageEvent<{ id: number; graph: ElkNode }>) => {
  const { id, graph } = event.data;
  try {
    (self as unknown as Worker).postMessage({ id, graph: await elk.layout(graph) });
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, error: String(error) });
  }
};
