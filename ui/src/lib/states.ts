/** One colour per state everywhere (graph, tables, grids), and which states are over. */
export const STATE_COLORS: Record<string, string> = {
  PENDING: '#9aa5b1',
  RUNNING: '#2f80ed',
  RETRYING: '#f2994a',
  SUCCEEDED: '#27ae60',
  CACHED: '#6fcf97',
  SKIPPED: '#c4c9d0',
  FAILED: '#eb5757',
  CANCELING: '#bb6bd9',
  CANCELED: '#828282',
};

export const stateColor = (state: string) => STATE_COLORS[state] ?? '#9aa5b1';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'SKIPPED', 'CACHED']);
export const isFinal = (state: string) => FINAL.has(state);

/** States in the order counts are listed: what needs attention first. */
export const STATE_ORDER = [
  'FAILED',
  'RUNNING',
  'RETRYING',
  'PENDING',
  'SUCCEEDED',
  'CACHED',
  'SKIPPED',
  'CANCELED',
];
