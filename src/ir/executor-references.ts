/**
 * Which inputs and outputs an executor's strings refer to, found by parsing every place KFP substitutes
 * placeholders: container image, command, args, env values, resources, the pre-cache-check hook, and an
 * importer's artifactUri, properties and metadata (keys too: kfp.local and the driver resolve both).
 * Validation checks these names against the components that use the executor; the runtime can use the same
 * walk to know what a task needs before it starts.
 */
import { type CommandLineElement, parseCommandLineElement } from './command-line-elements.ts';
import {
  formatPlaceholder,
  type Placeholder,
  type PlaceholderError,
  parsePlaceholders,
} from './placeholders.ts';
import type { ExecutorSpec, JsonValue, ValueOrRuntimeParameter } from './spec.ts';

export type ExecutorPath = Array<string | number>;

export interface ExecutorReference {
  /** Where the reference sits, relative to the executor spec, e.g. `['container', 'args', 3]`. */
  path: ExecutorPath;
  io: 'INPUT' | 'OUTPUT';
  /** `ANY` for an IfPresent InputName, which may name a parameter or an artifact. */
  kind: 'PARAMETER' | 'ARTIFACT' | 'ANY';
  name: string;
  /** The text that made the reference, for messages: a placeholder, `IfPresent InputName 'x'`, … */
  source: string;
  /** The parsed placeholder, when the reference is one. */
  placeholder?: Placeholder;
}

export interface ExecutorReferenceError extends PlaceholderError {
  path: ExecutorPath;
}

export interface ExecutorReferences {
  references: ExecutorReference[];
  errors: ExecutorReferenceError[];
}

/**
 * Lists every input/output reference in an executor, and every malformed placeholder on the way.
 *
 * @example
 * collectExecutorReferences({ container: { image: 'alpine', args: ["{{$.inputs.parameters['n']}}"] } })
 * // { references: [{ path: ['container', 'args', 0], io: 'INPUT', kind: 'PARAMETER', name: 'n', … }], errors: [] }
 */
export function collectExecutorReferences(executor: ExecutorSpec): ExecutorReferences {
  const out: ExecutorReferences = { references: [], errors: [] };
  const container = executor.container;
  if (container) {
    template(container.image, ['container', 'image'], out);
    elements(container.command, ['container', 'command'], out);
    elements(container.args, ['container', 'args'], out);
    for (const [i, variable] of (container.env ?? []).entries()) {
      template(variable.value, ['container', 'env', i, 'value'], out);
    }
    const resources = container.resources;
    for (const field of RESOURCE_FIELDS) template(resources?.[field], ['container', 'resources', field], out);
    for (const field of ['type', 'resourceType', 'resourceCount'] as const) {
      template(resources?.accelerator?.[field], ['container', 'resources', 'accelerator', field], out);
    }
    const hook = container.lifecycle?.preCacheCheck;
    elements(hook?.command, ['container', 'lifecycle', 'preCacheCheck', 'command'], out);
    elements(hook?.args, ['container', 'lifecycle', 'preCacheCheck', 'args'], out);
  }
  const importer = executor.importer;
  if (importer) {
    valueOrRuntimeParameter(importer.artifactUri, ['importer', 'artifactUri'], out);
    for (const group of ['properties', 'customProperties'] as const) {
      for (const [key, value] of Object.entries(importer[group] ?? {})) {
        valueOrRuntimeParameter(value, ['importer', group, key], out);
      }
    }
    if (importer.metadata) struct(importer.metadata, ['importer', 'metadata'], out);
  }
  return out;
}

const RESOURCE_FIELDS = [
  'resourceCpuLimit',
  'resourceCpuRequest',
  'resourceMemoryLimit',
  'resourceMemoryRequest',
] as const;

function elements(list: string[] | undefined, path: ExecutorPath, out: ExecutorReferences): void {
  list?.forEach((text, i) => {
    const parsed = parseCommandLineElement(text);
    for (const error of parsed.errors) out.errors.push({ ...error, path: [...path, i] });
    element(parsed.element, [...path, i], out);
  });
}

function element(parsed: CommandLineElement, path: ExecutorPath, out: ExecutorReferences): void {
  if (parsed.type === 'IF_PRESENT') {
    const source = `IfPresent InputName '${parsed.inputName}'`;
    out.references.push({ path, io: 'INPUT', kind: 'ANY', name: parsed.inputName, source });
    for (const child of [...parsed.whenPresent, ...parsed.whenAbsent]) element(child, path, out);
    return;
  }
  if (parsed.type === 'CONCAT') {
    for (const child of parsed.items) element(child, path, out);
    return;
  }
  for (const segment of parsed.segments) {
    if (segment.type === 'PLACEHOLDER') addPlaceholder(segment.placeholder, path, out);
  }
}

function template(text: string | undefined, path: ExecutorPath, out: ExecutorReferences): void {
  if (text === undefined) return;
  const parsed = parsePlaceholders(text);
  for (const error of parsed.errors) out.errors.push({ ...error, path });
  for (const segment of parsed.segments) {
    if (segment.type === 'PLACEHOLDER') addPlaceholder(segment.placeholder, path, out);
  }
}

function valueOrRuntimeParameter(
  value: ValueOrRuntimeParameter | undefined,
  path: ExecutorPath,
  out: ExecutorReferences,
): void {
  if (value?.runtimeParameter !== undefined) {
    const name = value.runtimeParameter;
    const source = `runtimeParameter '${name}'`;
    out.references.push({
      path: [...path, 'runtimeParameter'],
      io: 'INPUT',
      kind: 'PARAMETER',
      name,
      source,
    });
  }
  if (typeof value?.constant === 'string') template(value.constant, [...path, 'constant'], out);
  if (value?.constantValue?.stringValue !== undefined) {
    template(value.constantValue.stringValue, [...path, 'constantValue', 'stringValue'], out);
  }
}

function struct(value: JsonValue, path: ExecutorPath, out: ExecutorReferences): void {
  if (typeof value === 'string') template(value, path, out);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) struct(item, [...path, i], out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      template(key, [...path, key], out);
      if (item !== undefined) struct(item, [...path, key], out);
    }
  }
}

/** The input or output a placeholder reads; run values and `{{$}}` read none. */
const REFERENCED_BY: Partial<
  Record<Placeholder['kind'], [ExecutorReference['io'], ExecutorReference['kind']]>
> = {
  INPUT_PARAMETER: ['INPUT', 'PARAMETER'],
  INPUT_ARTIFACT: ['INPUT', 'ARTIFACT'],
  OUTPUT_PARAMETER_FILE: ['OUTPUT', 'PARAMETER'],
  OUTPUT_ARTIFACT: ['OUTPUT', 'ARTIFACT'],
};

function addPlaceholder(placeholder: Placeholder, path: ExecutorPath, out: ExecutorReferences): void {
  const target = REFERENCED_BY[placeholder.kind];
  if (target === undefined || !('name' in placeholder)) return;
  const [io, kind] = target;
  out.references.push({
    path,
    io,
    kind,
    name: placeholder.name,
    source: formatPlaceholder(placeholder),
    placeholder,
  });
}
