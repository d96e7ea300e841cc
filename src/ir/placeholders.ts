/**
 * KFP's placeholder grammar for strings: `{{$}}`, `{{$.inputs.parameters['x']}}`, `{{$.outputs.artifacts['m'].path}}`,
 * run identity values such as `{{$.pipeline_job_name}}`, and so on (KFP-NOTES §1.5). A string parses into literal and
 * placeholder segments; a malformed placeholder is reported as an error, never thrown, so validation can collect
 * every problem and the runtime can refuse to start a task whose arguments do not parse.
 *
 * The whole-argument JSON forms (`{"IfPresent": …}`, `{"Concat": …}`) live in command-line-elements.ts.
 */
import { closestName } from './suggest.ts';

export const PlaceholderKind = {
  /** `{{$}}`: the whole ExecutorInput as JSON. */
  EXECUTOR_INPUT: 'EXECUTOR_INPUT',
  /** `{{$.inputs.parameters['x']}}`: the input's value. */
  INPUT_PARAMETER: 'INPUT_PARAMETER',
  /** `{{$.inputs.artifacts['a']}}` (list JSON) or `.uri` / `.path` / `.metadata` / `.metadata['k']`. */
  INPUT_ARTIFACT: 'INPUT_ARTIFACT',
  /** `{{$.outputs.parameters['p'].output_file}}`: the file the program writes the value into. */
  OUTPUT_PARAMETER_FILE: 'OUTPUT_PARAMETER_FILE',
  /** `{{$.outputs.artifacts['m']}}` (list JSON) or `.uri` / `.path` / `.metadata` / `.metadata['k']`. */
  OUTPUT_ARTIFACT: 'OUTPUT_ARTIFACT',
  /** `{{$.outputs.output_file}}` (and kfp.local's legacy `{{$.outputMetadataUri}}`): the ExecutorOutput file. */
  EXECUTOR_OUTPUT_FILE: 'EXECUTOR_OUTPUT_FILE',
  /** Run and task identity, pipeline root, workspace path (see RUN_VALUE_NAMES). */
  RUN_VALUE: 'RUN_VALUE',
} as const;
export type PlaceholderKind = (typeof PlaceholderKind)[keyof typeof PlaceholderKind];

/**
 * `{{$.<name>}}` values the backend substitutes from the run, not from the ExecutorInput. The last three are
 * Vertex AI's (google-cloud-pipeline-components defaults use them); KFP's own backend leaves them as text.
 */
export const RUN_VALUE_NAMES = [
  'pipeline_job_name',
  'pipeline_job_resource_name',
  'pipeline_job_uuid',
  'pipeline_task_name',
  'pipeline_task_uuid',
  'pipeline_root',
  'pipeline_job_create_time_utc',
  'pipeline_job_schedule_time_utc',
  'workspace_path',
  'pipeline_google_cloud_project_id',
  'pipeline_google_cloud_location',
  'pipeline_persistent_resource_id',
] as const;
export type RunValueName = (typeof RUN_VALUE_NAMES)[number];

/** What an artifact placeholder reads; absent means the artifact list as JSON (`List[Artifact]` components). */
export type ArtifactProperty = 'uri' | 'path' | 'metadata';

interface PlaceholderBase {
  /**
   * `.json_escape[N]` suffix (Vertex AI): escape the value N times for embedding inside JSON strings, e.g.
   * `{{$.json_escape[1]}}` in a custom-job payload. kfp.local rejects it; undefined when absent.
   */
  jsonEscape?: number;
}

export type Placeholder = PlaceholderBase &
  (
    | { kind: 'EXECUTOR_INPUT' }
    | { kind: 'INPUT_PARAMETER'; name: string }
    | { kind: 'INPUT_ARTIFACT'; name: string; property?: ArtifactProperty; metadataKey?: string }
    | { kind: 'OUTPUT_PARAMETER_FILE'; name: string }
    | { kind: 'OUTPUT_ARTIFACT'; name: string; property?: ArtifactProperty; metadataKey?: string }
    | { kind: 'EXECUTOR_OUTPUT_FILE' }
    | { kind: 'RUN_VALUE'; name: RunValueName }
  );

export type TemplateSegment =
  | { type: 'LITERAL'; text: string }
  /** `raw` is the exact source text (`{{…}}`); `offset` its index in the parsed string. */
  | { type: 'PLACEHOLDER'; placeholder: Placeholder; raw: string; offset: number };

export interface PlaceholderError {
  /** Says which placeholder is wrong and how to write it instead. */
  message: string;
  /** Index of the offending `{{$` in the parsed string, when the error is about one placeholder. */
  offset?: number;
}

export interface TemplateParse {
  /** Literal and placeholder segments in order; a malformed placeholder stays in a LITERAL segment. */
  segments: TemplateSegment[];
  errors: PlaceholderError[];
}

/**
 * Splits a string into literal text and placeholders. Only `{{$…}}` is KFP syntax (the launcher and kfp.local
 * match nothing else), so other `{{…}}`, e.g. Jinja or Argo text inside an embedded script, stays literal.
 *
 * @example
 * parsePlaceholders("--epochs={{$.inputs.parameters['epochs']}}").segments
 * // [{type:'LITERAL', text:'--epochs='}, {type:'PLACEHOLDER', placeholder:{kind:'INPUT_PARAMETER', name:'epochs'}, …}]
 */
export function parsePlaceholders(text: string): TemplateParse {
  const segments: TemplateSegment[] = [];
  const errors: PlaceholderError[] = [];
  let literal = '';
  let cursor = 0;
  while (cursor < text.length) {
    const open = text.indexOf('{{$', cursor);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 3);
    if (close < 0) {
      errors.push({
        offset: open,
        message: `unterminated placeholder '${clip(text.slice(open))}': add '}}'`,
      });
      break;
    }
    literal += text.slice(cursor, open);
    const raw = text.slice(open, close + 2);
    const parsed = parsePlaceholderBody(raw.slice(2, -2));
    if (typeof parsed === 'string') {
      errors.push({ offset: open, message: `malformed placeholder '${raw}': ${parsed}` });
      literal += raw;
    } else {
      if (literal !== '') segments.push({ type: 'LITERAL', text: literal });
      literal = '';
      segments.push({ type: 'PLACEHOLDER', placeholder: parsed, raw, offset: open });
    }
    cursor = close + 2;
  }
  literal += text.slice(cursor);
  if (literal !== '') segments.push({ type: 'LITERAL', text: literal });
  return { segments, errors };
}

/** The canonical text of a placeholder, as the KFP SDK writes it. */
export function formatPlaceholder(placeholder: Placeholder): string {
  const suffix = placeholder.jsonEscape === undefined ? '' : `.json_escape[${placeholder.jsonEscape}]`;
  return `{{$${placeholderPath(placeholder)}${suffix}}}`;
}

function placeholderPath(p: Placeholder): string {
  switch (p.kind) {
    case 'EXECUTOR_INPUT':
      return '';
    case 'INPUT_PARAMETER':
      return `.inputs.parameters['${p.name}']`;
    case 'OUTPUT_PARAMETER_FILE':
      return `.outputs.parameters['${p.name}'].output_file`;
    case 'INPUT_ARTIFACT':
    case 'OUTPUT_ARTIFACT': {
      const io = p.kind === 'INPUT_ARTIFACT' ? 'inputs' : 'outputs';
      const property = p.property === undefined ? '' : `.${p.property}`;
      const key = p.metadataKey === undefined ? '' : `['${p.metadataKey}']`;
      return `.${io}.artifacts['${p.name}']${property}${key}`;
    }
    case 'EXECUTOR_OUTPUT_FILE':
      return '.outputs.output_file';
    case 'RUN_VALUE':
      return `.${p.name}`;
  }
}

const TOP_LEVEL_NAMES = ['inputs', 'outputs', 'json_escape', 'outputMetadataUri', ...RUN_VALUE_NAMES];

/** Parses what sits between `{{` and `}}`; a string is the reason it is malformed. */
function parsePlaceholderBody(body: string): Placeholder | string {
  const reader = new BodyReader(body.slice(1)); // body starts with '$'
  if (reader.done()) return { kind: 'EXECUTOR_INPUT' };
  if (!reader.take('.')) return `expected '.' or '}}' after '$'`;
  const head = reader.identifier();
  let placeholder: Placeholder | string;
  if (head === 'inputs' || head === 'outputs') placeholder = parseIo(head, reader);
  else if (head === 'json_escape') {
    const level = reader.index();
    placeholder = typeof level === 'string' ? level : { kind: 'EXECUTOR_INPUT', jsonEscape: level };
  } else if (head === 'outputMetadataUri') placeholder = { kind: 'EXECUTOR_OUTPUT_FILE' };
  else if ((RUN_VALUE_NAMES as readonly string[]).includes(head)) {
    placeholder = { kind: 'RUN_VALUE', name: head as RunValueName };
  } else {
    const match = closestName(head, TOP_LEVEL_NAMES);
    const hint =
      match === undefined
        ? "; expected inputs, outputs or a run value such as 'pipeline_job_name'"
        : ` (did you mean '${match}'?)`;
    placeholder = `unknown name '${head}' after '$.'${hint}`;
  }
  if (typeof placeholder === 'string') return placeholder;
  if (reader.take('.json_escape')) {
    const level = reader.index();
    if (typeof level === 'string') return level;
    placeholder.jsonEscape = level;
  }
  if (!reader.done()) return `unexpected '${reader.rest()}' at the end`;
  return placeholder;
}

function parseIo(io: 'inputs' | 'outputs', reader: BodyReader): Placeholder | string {
  if (!reader.take('.')) return `expected '.parameters' or '.artifacts' after '$.${io}'`;
  const section = reader.identifier();
  if (io === 'outputs' && section === 'output_file') return { kind: 'EXECUTOR_OUTPUT_FILE' };
  if (section !== 'parameters' && section !== 'artifacts') {
    const options =
      io === 'outputs' ? ['parameters', 'artifacts', 'output_file'] : ['parameters', 'artifacts'];
    const match = closestName(section, options);
    const expected = options
      .map((o) => `'${o}'`)
      .join(', ')
      .replace(/, ([^,]*)$/, ' or $1');
    return `expected ${expected} after '$.${io}.', got '${section}'${match === undefined ? '' : ` (did you mean '${match}'?)`}`;
  }
  const name = reader.key();
  if (typeof name !== 'string') return name.error;
  if (section === 'parameters') {
    if (io === 'inputs') {
      if (!reader.peek('.') || reader.peek('.json_escape')) return { kind: 'INPUT_PARAMETER', name };
      return `an input parameter placeholder is the value itself: drop '${reader.rest()}' (only artifacts have .uri, .path and .metadata)`;
    }
    if (reader.take('.output_file')) return { kind: 'OUTPUT_PARAMETER_FILE', name };
    return `output parameters are written to a file: use {{$.outputs.parameters['${name}'].output_file}}`;
  }
  const kind = io === 'inputs' ? 'INPUT_ARTIFACT' : 'OUTPUT_ARTIFACT';
  if (!reader.peek('.') || reader.peek('.json_escape')) return { kind, name };
  reader.take('.');
  const property = reader.identifier();
  if (property !== 'uri' && property !== 'path' && property !== 'metadata') {
    const match = closestName(property, ['uri', 'path', 'metadata']);
    return `artifacts have .uri, .path and .metadata, not '.${property}'${match === undefined ? '' : ` (did you mean '.${match}'?)`}`;
  }
  if (property !== 'metadata' || !reader.peek('[')) return { kind, name, property };
  const metadataKey = reader.key();
  if (typeof metadataKey !== 'string') return metadataKey.error;
  return { kind, name, property, metadataKey };
}

/** A cursor over a placeholder body. */
class BodyReader {
  private position = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.position >= this.text.length;
  }
  rest(): string {
    return this.text.slice(this.position);
  }
  peek(expected: string): boolean {
    return this.text.startsWith(expected, this.position);
  }
  take(expected: string): boolean {
    if (!this.peek(expected)) return false;
    this.position += expected.length;
    return true;
  }
  identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.rest());
    this.position += match?.[0].length ?? 0;
    return match?.[0] ?? '';
  }
  /** `['name']` (or `["name"]`). */
  key(): string | { error: string } {
    const match = /^\[(['"])(.*?)\1\]/.exec(this.rest());
    if (!match) return { error: `expected ['name'] at '${this.rest()}'` };
    this.position += match[0].length;
    if (match[2] === '') return { error: `empty name in ${match[0]}` };
    return match[2]!;
  }
  /** `[N]` for json_escape; a string is an error message. */
  index(): number | string {
    const match = /^\[(\d+)\]/.exec(this.rest());
    if (!match) return `json_escape needs a level, e.g. .json_escape[1]`;
    this.position += match[0].length;
    return Number(match[1]);
  }
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
