/**
 * PipelineDocument → text that KFP's own loaders accept (the SDK's PyYAML `safe_load_all`, the backend's
 * protojson), laid out the way KFP's compiler lays it out, so a Sluice-written file diffs cleanly against
 * a KFP-written one: the header comment, keys sorted at every level (PyYAML's `sort_keys=True`), block
 * style with unindented sequences, and the PlatformSpec as a second document after `---`.
 *
 * Where KFP's layout would cost readability or safety it is not copied: long strings are not folded at
 * 80 columns, multi-line strings are `|` blocks, and strings PyYAML would misread are always quoted
 * (see pyyaml-schema.ts). `parsePipeline(dumpPipeline(d))` deep-equals `d`, and dumping is stable.
 *
 * @example
 * await writeFile('pipeline.yaml', dumpPipeline(document));
 */
import { Document, isScalar, type Pair } from 'yaml';
import { compareCodePoints, kfpHeader } from './kfp-header.ts';
import { pyyamlTags } from './pyyaml-schema.ts';
import type { PipelineDocument } from './spec.ts';

export function dumpPipeline(document: PipelineDocument): string {
  const documents = [toYaml(document.pipelineSpec)];
  if (document.platformSpec !== undefined) documents.push(toYaml(document.platformSpec));
  return kfpHeader(document.pipelineSpec) + documents.join('---\n');
}

/**
 * The same document as JSON with sorted keys and 2-space indent (KFP's deprecated JSON output). With a
 * PlatformSpec, the KFP API's combined form `{"pipeline_spec": …, "platform_spec": …}`, since JSON has no
 * second document; `parsePipeline` reads both forms.
 */
export function dumpPipelineJson(document: PipelineDocument): string {
  const value =
    document.platformSpec === undefined
      ? document.pipelineSpec
      : { pipeline_spec: document.pipelineSpec, platform_spec: document.platformSpec };
  return `${sortedJson(value, '')}\n`;
}

function toYaml(value: unknown): string {
  const doc = new Document(value, {
    version: '1.1',
    customTags: pyyamlTags,
    sortMapEntries: byKey,
    aliasDuplicateObjects: false,
  });
  return doc.toString({ lineWidth: 0, indentSeq: false, blockQuote: 'literal', singleQuote: true });
}

function byKey(a: Pair, b: Pair): number {
  return compareCodePoints(keyText(a), keyText(b));
}

function keyText(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/**
 * JSON.stringify cannot sort: JS objects list integer-like keys ("2", "10") first, in numeric order,
 * while KFP (Python `sort_keys`) sorts every key as text.
 */
function sortedJson(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${value.map((item) => inner + sortedJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort(compareCodePoints);
    if (keys.length === 0) return '{}';
    const inner = `${indent}  `;
    const items = keys.map(
      (key) =>
        `${inner}${JSON.stringify(key)}: ${sortedJson((value as Record<string, unknown>)[key], inner)}`,
    );
    return `{\n${items.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
