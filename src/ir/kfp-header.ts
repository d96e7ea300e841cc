/**
 * The comment block KFP's compiler puts at the top of a pipeline file, byte-compatible with its
 * `extract_comments_from_pipeline_spec` for every value KFP writes sanely:
 *
 * ```yaml
 * # PIPELINE DEFINITION
 * # Name: my-pipeline
 * # Description: First line
 * #              second line
 * # Inputs:
 * #    epochs: int [Default: 5.0]
 * #    data: system.Dataset
 * ```
 *
 * Defaults print as Python prints them (KFP formats the protobuf Value with `str()`), so numbers are
 * floats (`5.0`) and lists and dicts use Python's repr. KFP's loader reads the description back from
 * these lines when a pipeline is loaded as a component, hence the exact continuation prefix.
 *
 * One departure: KFP writes line breaks and control characters inside a name or default verbatim, which
 * ends the comment and corrupts the YAML after it; here they are escaped (`\n`), so the header stays a
 * comment whatever the document holds.
 */
import { pythonRepr } from './python-repr.ts';
import type {
  ComponentInputsSpec,
  ComponentOutputsSpec,
  InputParameterDefinition,
  JsonValue,
  PipelineSpec,
} from './spec.ts';

const DESCRIPTION_CONTINUATION = `#${' '.repeat(14)}`;

const COMMENT_TYPE: Record<string, string> = {
  STRING: 'str',
  NUMBER_INTEGER: 'int',
  NUMBER_DOUBLE: 'float',
  LIST: 'list',
  STRUCT: 'dict',
  BOOLEAN: 'bool',
  TASK_FINAL_STATUS: 'PipelineTaskFinalStatus',
  TASK_CONFIG: 'TaskConfig',
  // The deprecated PrimitiveType, for IR older than parameterType.
  INT: 'int',
  DOUBLE: 'float',
};

/** The header comment for a PipelineSpec, ending in a newline. */
export function kfpHeader(spec: PipelineSpec): string {
  const lines = ['# PIPELINE DEFINITION', `# Name: ${commentSafe(spec.pipelineInfo?.name ?? '')}`];
  const description = spec.pipelineInfo?.description;
  if (description) {
    lines.push(
      `# Description: ${splitLines(description).map(commentSafe).join(`\n${DESCRIPTION_CONTINUATION}`)}`,
    );
  }
  if (spec.root?.inputDefinitions) lines.push('# Inputs:', ...signature(spec.root.inputDefinitions));
  if (spec.root?.outputDefinitions) lines.push('# Outputs:', ...signature(spec.root.outputDefinitions));
  return `${lines.join('\n')}\n`;
}

function signature(definitions: ComponentInputsSpec | ComponentOutputsSpec): string[] {
  const entries: Array<{ name: string; type: string; default?: string }> = [];
  // Output parameters are input parameters without defaults, so one type reads both.
  const parameters: Record<string, InputParameterDefinition> = definitions.parameters ?? {};
  for (const [name, parameter] of Object.entries(parameters)) {
    const kind = parameter.parameterType ?? parameter.type ?? '';
    const entry: (typeof entries)[number] = { name, type: COMMENT_TYPE[kind] ?? kind };
    if (parameter.defaultValue !== undefined) {
      const value = parameter.defaultValue as JsonValue;
      // KFP quotes a string default as-is ('…'); anything else goes through Python's str().
      entry.default = typeof value === 'string' ? `'${value}'` : pythonRepr(value);
    }
    entries.push(entry);
  }
  for (const [name, artifact] of Object.entries(definitions.artifacts ?? {})) {
    const type = artifact.artifactType;
    entries.push({ name, type: type?.schemaTitle ?? type?.schemaUri ?? 'system.Artifact' });
  }
  // Python sorts by code point; its sort is stable, so parameters stay ahead of a same-named artifact.
  entries.sort((a, b) => compareCodePoints(a.name, b.name));
  return entries.map(({ name, type, default: value }) =>
    commentSafe(`#    ${name}: ${type}${value === undefined ? '' : ` [Default: ${value}]`}`),
  );
}

/** Code point order, as Python compares str; JS's `<` compares UTF-16 units, which differs above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; ) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/** Python's str.splitlines(): every line boundary Python knows, no empty last line. */
function splitLines(text: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters that must not reach a comment
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Escapes what would end a comment line (any YAML or PyYAML line break) or make PyYAML reject the file
 * (characters outside its printable set); everything else, tabs included, stays as written.
 */
function commentSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters that must not reach a comment
  return text.replace(/[\x00-\x08\x0A-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]|\p{Cs}/gu, (c) => {
    const code = c.charCodeAt(0);
    const short = SHORT_ESCAPES[c];
    if (short) return short;
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
