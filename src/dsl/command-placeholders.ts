/**
 * What a container component's `command`/`args` builder receives: KFP placeholder strings for each declared
 * input and output, plus IfPresent and Concat. The strings are exactly what KFP writes in the IR, so a
 * template literal mixing them (`--out=${outputs.model.path}`) is valid IR too.
 */
import type { ArtifactSpec } from './artifacts.ts';
import type { ParamSpec } from './params.ts';
import type { IoSpecs } from './typing.ts';

/** A whole command-line argument that is resolved at run time (IfPresent / Concat). */
export interface StructuredArgument {
  readonly toJSON: () => unknown;
}
export type CommandArgument = string | StructuredArgument;

export interface ArtifactPlaceholders {
  /** Local path of the artifact's file or directory. */
  readonly path: string;
  readonly uri: string;
  /** The artifact's metadata as JSON. */
  readonly metadata: string;
}

/** A list-of-artifacts input: the whole list as JSON (`[{name, uri, path, metadata, type}, …]`). */
export interface ArtifactListPlaceholders {
  readonly json: string;
}

export type InputPlaceholders<I extends IoSpecs> = {
  readonly [K in keyof I]: I[K] extends ParamSpec
    ? string
    : I[K] extends ArtifactSpec<string, true, boolean>
      ? ArtifactListPlaceholders
      : I[K] extends ArtifactSpec
        ? ArtifactPlaceholders
        : never;
};
export type OutputPlaceholders<O extends IoSpecs> = {
  /** Parameters: the file the program writes the value into. Artifacts: where to write the artifact. */
  readonly [K in keyof O]: O[K] extends ParamSpec
    ? string
    : O[K] extends ArtifactSpec
      ? ArtifactPlaceholders
      : never;
};

export interface CommandContext<I extends IoSpecs, O extends IoSpecs> {
  readonly inputs: InputPlaceholders<I>;
  readonly outputs: OutputPlaceholders<O>;
  /** The whole ExecutorInput as JSON (`{{$}}`). */
  readonly executorInput: string;
  /** Where the program may write an ExecutorOutput JSON (`{{$.outputs.output_file}}`). */
  readonly executorOutputFile: string;
  /** `then` when the optional input was given, else `otherwise` (both lists of arguments). */
  ifPresent(
    input: keyof I & string,
    then: ReadonlyArray<CommandArgument> | CommandArgument,
    otherwise?: ReadonlyArray<CommandArgument> | CommandArgument,
  ): StructuredArgument;
  /** One argument made of several parts, any of which may be a placeholder or IfPresent. */
  concat(...parts: CommandArgument[]): StructuredArgument;
}

const quote = (name: string) => `'${name}'`;

function artifactPlaceholders(side: 'inputs' | 'outputs', name: string): ArtifactPlaceholders {
  const base = `$.${side}.artifacts[${quote(name)}]`;
  return { path: `{{${base}.path}}`, uri: `{{${base}.uri}}`, metadata: `{{${base}.metadata}}` };
}

export function commandContext<I extends IoSpecs, O extends IoSpecs>(
  componentName: string,
  inputs: I,
  outputs: O,
): CommandContext<I, O> {
  const inputPlaceholders: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(inputs)) {
    inputPlaceholders[name] =
      spec.kind === 'parameter'
        ? `{{$.inputs.parameters[${quote(name)}]}}`
        : spec.isList
          ? { json: `{{$.inputs.artifacts[${quote(name)}]}}` }
          : artifactPlaceholders('inputs', name);
  }
  const outputPlaceholders: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(outputs)) {
    outputPlaceholders[name] =
      spec.kind === 'parameter'
        ? `{{$.outputs.parameters[${quote(name)}].output_file}}`
        : artifactPlaceholders('outputs', name);
  }
  const asList = (value: ReadonlyArray<CommandArgument> | CommandArgument) =>
    Array.isArray(value) ? value : [value as CommandArgument];
  return {
    inputs: inputPlaceholders as InputPlaceholders<I>,
    outputs: outputPlaceholders as OutputPlaceholders<O>,
    executorInput: '{{$}}',
    executorOutputFile: '{{$.outputs.output_file}}',
    ifPresent(input, then, otherwise) {
      if (!(input in inputs))
        throw new TypeError(`component '${componentName}': ifPresent() names unknown input '${input}'`);
      const body: Record<string, unknown> = { InputName: input, Then: asList(then) };
      if (otherwise !== undefined) body.Else = asList(otherwise);
      return { toJSON: () => ({ IfPresent: body }) };
    },
    concat(...parts) {
      return { toJSON: () => ({ Concat: parts }) };
    },
  };
}

/** The IR string of one argument: plain strings as they are, structured ones as KFP's JSON (Python-style). */
export function renderArgument(argument: CommandArgument): string {
  return typeof argument === 'string' ? argument : pythonJson(argument);
}

/**
 * JSON as Python's `json.dumps` writes it (`, ` and `: ` separators, non-ASCII escaped), which is how KFP
 * serialises IfPresent/Concat arguments and raw loop items; matching it keeps compiled IR byte-comparable.
 */
export function pythonJson(value: unknown, sortKeys = false): string {
  const plain = JSON.parse(JSON.stringify(value)) as unknown;
  return dump(plain, sortKeys);
}

function dump(value: unknown, sortKeys: boolean): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, escapeUnicode);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => dump(item, sortKeys)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${dump(key, sortKeys)}: ${dump(item, sortKeys)}`).join(', ')}}`;
}

function escapeUnicode(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
