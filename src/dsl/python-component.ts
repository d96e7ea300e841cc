/**
 * `pythonComponent()`: a step written as a Python function in KFP's style ("lightweight Python component"),
 * declared with typed TypeScript inputs and outputs so that it wires into a pipeline exactly like
 * `component()` steps. Its IR is the container KFP's compiler (kfp 2.14.3) writes for `@dsl.component`:
 * `sh -c '<pip install kfp [packages_to_install]> && "$0" "$@"' sh -ec '<write "$0" to
 * ephemeral_component.py; python3 -m kfp.dsl.executor_main …>' '<source>' --executor_input '{{$}}'
 * --function_to_execute NAME`, the source being KFP's import preamble (`import kfp`, `from kfp import dsl`,
 * `from kfp.dsl import *`, `from typing import *`) followed by the whole Python file. KFP and Vertex AI run
 * it as written; Sluice's local executor runs it through its standard-library `kfp` stand-in
 * (src/runtime/kfp-python), where packages_to_install must already be installed.
 *
 * How the TypeScript declaration maps onto the Python function (KFP's conventions):
 *
 * | TypeScript                         | Python                                                              |
 * | ---------------------------------- | ------------------------------------------------------------------- |
 * | input `data: Dataset`              | parameter `data: Input[Dataset]` (or `InputPath('Dataset')`)        |
 * | input `epochs: Param.int()`        | parameter `epochs: int` (the value arrives already typed)            |
 * | output `model: Model`              | parameter `model: Output[Model]` (or `OutputPath('Model')`)         |
 * | output `metrics: Metrics`          | parameter `metrics: Output[Metrics]`; `metrics.log_metric('acc', x)` |
 * | output `Output: Param.float()`     | `-> float`: KFP names a plain return value's output `Output`        |
 * | outputs `accuracy`, `loss` (params)| `-> NamedTuple('Outputs', [('accuracy', float), ('loss', float)])`  |
 * | output `accuracy: Param.float()`   | or a parameter `accuracy: OutputPath(float)` the function writes    |
 *
 * A plain return value always becomes KFP's output `Output` (see executor.py in the stand-in and KFP's
 * executor), so an output parameter with another name must come from a NamedTuple field of that name (a
 * `NamedTuple(...)` return annotation, or a `class X(NamedTuple)` / `X = NamedTuple(...)` of the file) or
 * from an `OutputPath` parameter. The declaration is checked against the source when the component is
 * defined: the file must exist, `def <function>(` must be in it, every input and output artifact must be a
 * parameter of that def, and every output parameter must be a def parameter, a NamedTuple field, or the
 * single `Output` of a function with a return annotation; otherwise a DslError says what is missing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Component, component } from './component.ts';
import { DslError } from './pipeline-context.ts';
import type { IoSpecs, NoIo } from './typing.ts';

/** The kfp version whose compiler output is reproduced (the one most of KFP's own corpus was compiled with). */
export const KFP_VERSION = '2.14.3';

/** What KFP prepends to the function source it embeds. */
export const KFP_IMPORT_PREAMBLE =
  'import kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n';

export interface PythonComponentOptions<I extends IoSpecs, O extends IoSpecs> {
  /** Used for task and component names in the IR (`train-model` → task `train-model`, `comp-train-model`). */
  name: string;
  description?: string;
  inputs?: I;
  outputs?: O;
  /** The Python file holding the function (read once, when the component is defined). */
  file?: URL | string;
  /** The Python source itself, instead of `file`. */
  source?: string;
  /** The function to run. @default the name with '-' and spaces replaced by '_' */
  function?: string;
  /** pip requirements KFP installs before running (Sluice's local executor checks they are installed). */
  packagesToInstall?: readonly string[];
  /** @default 'python:3.11' */
  baseImage?: string;
  /** Environment for every task of this component. */
  env?: Readonly<Record<string, string>>;
}

/**
 * Declares a KFP-style Python component.
 * @example
 * export const train = pythonComponent({
 *   name: 'train',
 *   inputs: { data: Dataset, epochs: Param.int({ default: 3 }) },
 *   outputs: { model: Model, accuracy: Param.float() },
 *   file: new URL('./steps/train.py', import.meta.url),
 * });
 * // steps/train.py:
 * // def train(data: Input[Dataset], epochs: int, model: Output[Model]) -> NamedTuple('Outputs', [('accuracy', float)]):
 */
export function pythonComponent<const I extends IoSpecs = NoIo, const O extends IoSpecs = NoIo>(
  options: PythonComponentOptions<I, O>,
): Component<I, O> {
  const label = `python component '${String(options.name)}'`;
  const { text, where } = readSource(options, label);
  const functionName = options.function ?? String(options.name).replace(/[- ]/g, '_');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(functionName)) {
    throw new DslError(`${label}: function name '${functionName}' is not a Python identifier`);
  }
  const signature = findFunction(text, functionName);
  if (!signature) {
    throw new DslError(`${label}: no 'def ${functionName}(' in ${where}`);
  }
  checkInterface(label, where, functionName, text, signature, options.inputs ?? {}, options.outputs ?? {});
  const packages = options.packagesToInstall ?? [];
  for (const requirement of packages) {
    if (typeof requirement !== 'string' || requirement.trim() === '' || /['\n]/.test(requirement)) {
      throw new DslError(
        `${label}: packagesToInstall entry ${JSON.stringify(requirement)} must be a non-empty requirement without quotes or newlines`,
      );
    }
  }
  return component<I, O>({
    name: options.name,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.inputs !== undefined ? { inputs: options.inputs } : {}),
    ...(options.outputs !== undefined ? { outputs: options.outputs } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    image: options.baseImage ?? 'python:3.11',
    command: kfpLightweightCommand(embeddedSource(text), packages),
    args: ['--executor_input', '{{$}}', '--function_to_execute', functionName],
  });
}

/** The source as KFP embeds it: a newline, the import preamble, a blank line, the code, a newline. */
export function embeddedSource(code: string): string {
  return `\n${KFP_IMPORT_PREAMBLE}\n${code.endsWith('\n') ? code : `${code}\n`}\n`;
}

/** The container command KFP's compiler writes for a lightweight component (kfp 2.14.3). */
export function kfpLightweightCommand(source: string, packagesToInstall: readonly string[]): string[] {
  const pip = 'python3 -m pip install --quiet --no-warn-script-location';
  const kfp = `${pip} 'kfp==${KFP_VERSION}' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<"3.9"'`;
  const user =
    packagesToInstall.length > 0
      ? `  &&  ${pip} ${packagesToInstall.map((requirement) => `'${requirement}'`).join(' ')}`
      : '';
  const install =
    '\nif ! [ -x "$(command -v pip)" ]; then\n' +
    '    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\n' +
    `PIP_DISABLE_PIP_VERSION_CHECK=1 ${kfp}${user} && "$0" "$@"\n`;
  const gap = ' '.repeat(25);
  const program =
    'program_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n' +
    `_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main${gap}--component_module_path${gap}` +
    `"$program_path/ephemeral_component.py"${gap}"$@"\n`;
  return ['sh', '-c', install, 'sh', '-ec', program, source];
}

function readSource(
  options: PythonComponentOptions<IoSpecs, IoSpecs>,
  label: string,
): { text: string; where: string } {
  if ((options.file === undefined) === (options.source === undefined)) {
    throw new DslError(`${label}: give exactly one of file or source`);
  }
  if (options.source !== undefined) {
    if (typeof options.source !== 'string') throw new DslError(`${label}: source must be a string`);
    return { text: options.source, where: 'its source' };
  }
  const file = options.file!;
  const path = file instanceof URL ? fileURLToPath(file) : file;
  try {
    return { text: readFileSync(path, 'utf8'), where: path };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new DslError(`${label}: cannot read its Python file ${path}: ${reason}`);
  }
}

interface Signature {
  /** The def's parameter names, in order (without `*`, `**`, `/`, `self`). */
  parameters: string[];
  /** The text after `->`, trimmed, or undefined. */
  returns: string | undefined;
}

/** The first top-level or nested `def NAME(`: its parameter names and return annotation. */
export function findFunction(text: string, name: string): Signature | undefined {
  const match = new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${name}[ \\t]*\\(`, 'm').exec(text);
  if (!match) return undefined;
  const open = match.index + match[0].length - 1;
  const close = matchingBracket(text, open);
  if (close < 0) return undefined;
  const parameters = splitTopLevel(text.slice(open + 1, close), ',')
    .map((item) =>
      item
        .replace(/#[^\n]*/g, '')
        .trim()
        .replace(/^\*{1,2}/, '')
        .split(/[:=]/)[0]!
        .trim(),
    )
    .filter((item) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(item) && item !== 'self');
  let returns: string | undefined;
  const rest = text.slice(close + 1);
  const arrow = /^\s*->/.exec(rest);
  if (arrow) {
    const annotation = rest.slice(arrow[0].length);
    const colon = topLevelIndex(annotation, ':');
    returns = (colon < 0 ? annotation : annotation.slice(0, colon)).trim();
  }
  return { parameters, returns };
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Walks Python text from `start`, skipping strings and comments, calling `visit` at bracket depth changes. */
function scan(
  text: string,
  start: number,
  visit: (char: string, index: number, depth: number) => boolean,
): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text[i]!;
    if (char === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
      continue;
    }
    if (char === '"' || char === "'") {
      const triple = text.startsWith(char.repeat(3), i);
      const quote = triple ? char.repeat(3) : char;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j)) j += text[j] === '\\' ? 2 : 1;
      i = j + quote.length - 1;
      continue;
    }
    if (char in OPENERS) depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    if (visit(char, i, depth)) return i;
  }
  return -1;
}

function matchingBracket(text: string, open: number): number {
  return scan(text, open, (char, _index, depth) => depth === 0 && !(char in OPENERS) && /[)\]}]/.test(char));
}

function topLevelIndex(text: string, wanted: string): number {
  return scan(text, 0, (char, _index, depth) => depth === 0 && char === wanted);
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let from = 0;
  scan(text, 0, (char, index, depth) => {
    if (depth === 0 && char === separator) {
      parts.push(text.slice(from, index));
      from = index + 1;
    }
    return false;
  });
  parts.push(text.slice(from));
  return parts;
}

/** The field names of a NamedTuple return annotation, or undefined when it is not one Sluice can read. */
function namedTupleFields(annotation: string, text: string): string[] | undefined {
  if (/\bNamedTuple\s*\(/.test(annotation)) return fieldsOfCall(annotation);
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(annotation)) return undefined;
  const name = annotation.split('.').pop()!;
  const classMatch = new RegExp(
    `^([ \\t]*)class[ \\t]+${name}[ \\t]*\\([^)]*NamedTuple[^)]*\\)[ \\t]*:[^\\n]*\\n((?:\\1[ \\t]+[^\\n]*\\n|[ \\t]*\\n)*)`,
    'm',
  ).exec(text);
  if (classMatch) {
    return [...classMatch[2]!.matchAll(/^[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*:/gm)].map((field) => field[1]!);
  }
  const assignment = new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*(?:typing\\.)?NamedTuple[ \\t]*\\(`, 'm').exec(
    text,
  );
  if (assignment) {
    const open = assignment.index + assignment[0].length - 1;
    const close = matchingBracket(text, open);
    if (close > 0) return fieldsOfCall(text.slice(assignment.index, close + 1));
  }
  return undefined;
}

/** Fields of `NamedTuple('X', [('a', int), ('b', str)])` or `NamedTuple('X', a=int, b=str)`. */
function fieldsOfCall(text: string): string[] {
  const call = text.replace(/NamedTuple\s*\(\s*['"][^'"]*['"]/, 'NamedTuple(');
  const pairs = [...call.matchAll(/\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*,/g)].map((match) => match[1]!);
  const keywords = [...call.matchAll(/[(,]\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/g)].map((match) => match[1]!);
  return [...pairs, ...keywords];
}

function checkInterface(
  label: string,
  where: string,
  functionName: string,
  text: string,
  signature: Signature,
  inputs: IoSpecs,
  outputs: IoSpecs,
): void {
  const parameters = new Set(signature.parameters);
  const def = `def ${functionName}(${signature.parameters.join(', ')}) in ${where}`;
  const missing = [
    ...Object.keys(inputs).filter((name) => !parameters.has(name)),
    ...Object.entries(outputs)
      .filter(([name, spec]) => spec.kind === 'artifact' && !parameters.has(name))
      .map(([name]) => name),
  ];
  if (missing.length > 0) {
    throw new DslError(
      `${label}: ${missing.map((name) => `'${name}'`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} declared but not a parameter of ${def}`,
    );
  }
  const returned = Object.entries(outputs)
    .filter(([name, spec]) => spec.kind === 'parameter' && !parameters.has(name))
    .map(([name]) => name);
  if (returned.length === 0) return;
  const fix = `return NamedTuple('Outputs', [${returned.map((name) => `('${name}', …)`).join(', ')}]), or take ${returned.length === 1 ? 'it' : 'each'} as an OutputPath parameter`;
  if (signature.returns === undefined) {
    throw new DslError(
      `${label}: output parameter${returned.length === 1 ? '' : 's'} ${returned.map((name) => `'${name}'`).join(', ')} must come from the return value of ${def}, which has no return annotation: ${fix}`,
    );
  }
  const fields = namedTupleFields(signature.returns, text);
  if (fields === undefined) {
    if (returned.length === 1 && returned[0] === 'Output') return;
    throw new DslError(
      `${label}: ${def} returns a plain '${signature.returns}', which KFP publishes as the output 'Output', but the outputs declare ${returned.map((name) => `'${name}'`).join(', ')}: ${returned.length === 1 ? "name the output 'Output', or " : ''}${fix}`,
    );
  }
  const absent = returned.filter((name) => !fields.includes(name));
  if (absent.length > 0) {
    throw new DslError(
      `${label}: output parameter${absent.length === 1 ? '' : 's'} ${absent.map((name) => `'${name}'`).join(', ')} ${absent.length === 1 ? 'is' : 'are'} neither a parameter of ${def} nor a field of its return NamedTuple (${fields.join(', ') || 'no fields'})`,
    );
  }
}
