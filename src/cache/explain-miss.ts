/**
 * Why a task missed the cache: the parts of its key (see fingerprint.ts) that differ from the previous run
 * of the same task. The reason is plain JSON, so the store keeps it as is; `formatCacheMiss` renders it.
 */

export type CacheMissReason =
  /** No previous run of this task had a fingerprint. */
  | { firstRun: true }
  /**
   * Part names, in key order (executor, parameters, artifacts, outputs, salt). All three empty means the
   * key is unchanged: the previous run left no reusable result (it failed, or its outputs are gone).
   */
  | { changed: string[]; added: string[]; removed: string[] };

/** Compares the parts of the previous fingerprint of a task (undefined if none) with the current ones. */
export function explainCacheMiss(
  previous: Readonly<Record<string, string>> | undefined,
  current: Readonly<Record<string, string>>,
): CacheMissReason {
  if (previous === undefined) return { firstRun: true };
  const changed: string[] = [];
  const added: string[] = [];
  for (const name of Object.keys(current)) {
    if (!Object.hasOwn(previous, name)) added.push(name);
    else if (previous[name] !== current[name]) changed.push(name);
  }
  const removed = Object.keys(previous).filter((name) => !Object.hasOwn(current, name));
  return { changed: inKeyOrder(changed), added: inKeyOrder(added), removed: inKeyOrder(removed) };
}

/** At most this many phrases in one line; the rest are counted. */
const MAX_PHRASES = 5;

/**
 * One line for the CLI and UI, e.g. `parameter 'epochs' changed; input artifact 'data' content changed`.
 * @example formatCacheMiss({ firstRun: true }) // 'first run of this task: no previous result to reuse'
 */
export function formatCacheMiss(reason: CacheMissReason): string {
  if ('firstRun' in reason) return 'first run of this task: no previous result to reuse';
  const { changed, added, removed } = reason;
  // A switch between the automatic key and a custom one changes every part; say that instead.
  if (added.includes('cacheKey')) return 'the task now uses a custom cache key';
  if (removed.includes('cacheKey')) return 'the task no longer uses a custom cache key';
  const phrases = [
    ...changed.map((name) => describePart(name, 'changed')),
    ...added.map((name) => describePart(name, 'added')),
    ...removed.map((name) => describePart(name, 'removed')),
  ];
  if (phrases.length === 0) return 'key unchanged: the previous run with this key left no reusable result';
  // "and 1 more" would be longer than the phrase it hides.
  if (phrases.length <= MAX_PHRASES + 1) return phrases.join('; ');
  return [...phrases.slice(0, MAX_PHRASES), `and ${phrases.length - MAX_PHRASES} more`].join('; ');
}

const PART_LABELS: Record<string, string> = {
  'executor.image': 'container image',
  'executor.command': 'command',
  'executor.args': 'arguments',
  'executor.env': 'environment',
  'executor.importer': 'importer spec',
  outputs: 'output definitions',
  salt: 'cache version salt',
  cacheKey: 'custom cache key',
};

function describePart(name: string, change: 'changed' | 'added' | 'removed'): string {
  if (name.startsWith('parameter:')) return `parameter '${name.slice('parameter:'.length)}' ${change}`;
  if (name.startsWith('artifact:')) {
    const label = `input artifact '${name.slice('artifact:'.length)}'`;
    return change === 'changed' ? `${label} content changed` : `${label} ${change}`;
  }
  return `${PART_LABELS[name] ?? `'${name}'`} ${change}`;
}

/** Key order for messages: what runs, then its inputs, then what it promises; a name within a group. */
const GROUPS = [
  'executor.image',
  'executor.command',
  'executor.args',
  'executor.env',
  'executor.importer',
  'parameter:',
  'artifact:',
  'outputs',
  'salt',
  'cacheKey',
];

function rank(name: string): number {
  const exact = GROUPS.indexOf(name);
  if (exact >= 0) return exact;
  const prefix = GROUPS.findIndex((group) => group.endsWith(':') && name.startsWith(group));
  return prefix >= 0 ? prefix : GROUPS.length;
}

function inKeyOrder(names: string[]): string[] {
  return names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
