/**
 * The cache key of a task: what it runs, on what, and what it promises to produce. Pure: the engine resolves
 * parameters and digests artifacts first, then asks for the key.
 *
 * Unlike KFP (../shared/KFP-NOTES.md §5.3), input artifacts count by content digest, not by identity, so
 * re-producing identical data downstream still hits; env counts, since it changes what a process does.
 * Resources, retry and platform config do not count: they change how a step runs, not what it computes.
 */
import { createHash } from 'node:crypto';
import type { ComponentOutputsSpec, ContainerSpec, ImporterSpec, JsonValue } from '../ir/index.ts';
import { canonicalJson } from './canonical-json.ts';

export interface FingerprintInput {
  /** The component's name in the IR (`comp-train`); only a custom cache key uses it, as in KFP. */
  componentName: string;
  /**
   * What runs, as written in the IR: the container's image, command, args and env with placeholders
   * unresolved (their values count through `parameters` and `artifacts`), or the importer spec.
   */
  executor: { container: ContainerSpec } | { importer: ImporterSpec };
  /** Input parameter values after defaults and type coercion: what the executor input carries. */
  parameters: Readonly<Record<string, JsonValue | undefined>>;
  /**
   * Input artifacts' content digests (`sha256:…`): a string for a single artifact, a list in order for an
   * artifact-list input (so one artifact and a list of one differ).
   */
  artifacts: Readonly<Record<string, string | readonly string[]>>;
  /** The component's `outputDefinitions`; descriptions do not count. */
  outputs: ComponentOutputsSpec | undefined;
  /** A user cache-version salt: change it to miss on purpose. @default '' */
  salt?: string;
  /** KFP's `cachingOptions.cacheKey`: when non-empty it replaces every automatic input, salt included. */
  cacheKey?: string;
}

export interface Fingerprint {
  /** sha256 hex: the key a cache hit matches on. */
  key: string;
  /**
   * sha256 hex per part of the key, for explaining a miss: `executor.image`, `executor.command`,
   * `executor.args`, `executor.env` (or `executor.importer`), `parameter:<name>`, `artifact:<name>`,
   * `outputs`, `salt`; or only `cacheKey`. Two keys are equal exactly when their parts are.
   */
  parts: Record<string, string>;
}

/**
 * The cache key of a task. The key is the sha256 of the canonical JSON of one flat object whose members are
 * the parts (`{"artifact:data":["sha256:…"],"executor.args":[…],…}`), and each part's digest is the sha256
 * of its member's canonical JSON; so a changed key always has a changed part to name.
 *
 * Decisions, each pinned by a test in test/cache/fingerprint.test.ts:
 * - Objects (parameter maps, struct values, specs) are compared by content: key order does not count.
 *   Lists (command, args, list values, artifact lists) are ordered: their order counts.
 * - Env is a map, as the process sees it: entry order does not count, and of two entries with one name the
 *   later wins (as Kubernetes and `spawn` do), so a shadowed entry does not count either.
 * - Numbers are JSON numbers: int `1` and double `1.0` are the same value; the string `"1"` is not.
 * - Absent equals empty, as in proto3: no `command` is `[]`, no `outputDefinitions` is `{}`.
 *
 * @example
 * const { key, parts } = fingerprintTask({
 *   componentName: 'comp-train',
 *   executor: { container: { image: 'python:3.11', command: ['python', 'train.py'], args: [] } },
 *   parameters: { epochs: 3 },
 *   artifacts: { data: 'sha256:9f86d0…' },
 *   outputs: { artifacts: { model: { artifactType: { schemaTitle: 'system.Model' } } } },
 * });
 */
export function fingerprintTask(input: FingerprintInput): Fingerprint {
  if (input.cacheKey) {
    // KFP's exact bytes: hex(sha256(componentRef.name ‖ 0x00 ‖ cacheKey)).
    const key = sha256Hex(`${input.componentName}\u0000${input.cacheKey}`);
    return { key, parts: { cacheKey: key } };
  }
  const members = keyMembers(input);
  const parts: Record<string, string> = {};
  const texts: string[] = [];
  for (const [name, value] of members) {
    const text = canonicalJson(value, name);
    parts[name] = sha256Hex(text);
    texts.push(`${JSON.stringify(name)}:${text}`);
  }
  return { key: sha256Hex(`{${texts.join(',')}}`), parts };
}

/** The key's members, sorted by name so that joining their texts is the canonical JSON of the whole. */
function keyMembers(input: FingerprintInput): Array<[string, JsonValue]> {
  const members: Array<[string, JsonValue]> = [];
  if ('container' in input.executor) {
    const container = input.executor.container;
    members.push(
      ['executor.image', container.image ?? ''],
      ['executor.command', container.command ?? []],
      ['executor.args', container.args ?? []],
      ['executor.env', envMap(container.env)],
    );
  } else {
    members.push(['executor.importer', input.executor.importer as JsonValue]);
  }
  for (const [name, value] of Object.entries(input.parameters)) {
    if (value !== undefined) members.push([`parameter:${name}`, value]);
  }
  for (const [name, digests] of Object.entries(input.artifacts)) {
    members.push([`artifact:${name}`, digests as JsonValue]);
  }
  members.push(['outputs', outputDefinitions(input.outputs)], ['salt', input.salt ?? '']);
  return members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function envMap(env: ContainerSpec['env']): JsonValue {
  const map: Record<string, string> = Object.create(null);
  for (const entry of env ?? []) map[entry.name ?? ''] = entry.value ?? '';
  return map;
}

function outputDefinitions(outputs: ComponentOutputsSpec | undefined): JsonValue {
  return {
    artifacts: withoutDescriptions(outputs?.artifacts),
    parameters: withoutDescriptions(outputs?.parameters),
  };
}

function withoutDescriptions(definitions: Record<string, { description?: string }> | undefined): JsonValue {
  const result: Record<string, JsonValue> = Object.create(null);
  for (const [name, { description: _description, ...definition }] of Object.entries(definitions ?? {})) {
    result[name] = definition as JsonValue;
  }
  return result;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
