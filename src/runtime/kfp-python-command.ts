/**
 * KFP lightweight Python components without pip, kfp or Docker. Their container command is
 * `sh -c '<pip install kfp==… [packages_to_install]> && "$0" "$@"' sh -ec '<write "$0" to
 * ephemeral_component.py; python3 -m kfp.dsl.executor_main --component_module_path … "$@">' '<source>'
 * --executor_input '{{$}}' --function_to_execute NAME`. Sluice runs the same source, executor input and
 * function through the standard-library KFP stand-in in ./kfp-python (its `kfp.dsl` and executor), so a
 * step costs one Python start instead of a pip install; packages_to_install must already be installed.
 */
import { fileURLToPath } from 'node:url';

/** The stand-in's entry point (see kfp-python/sluice_kfp_launcher.py). */
export const KFP_PYTHON_LAUNCHER = fileURLToPath(
  new URL('./kfp-python/sluice_kfp_launcher.py', import.meta.url),
);

/** What a resolved lightweight-component argv holds. */
export interface KfpPythonCommand {
  /** The component's embedded Python source (what KFP writes to ephemeral_component.py). */
  source: string;
  /** Arguments after the source (`--executor_input JSON --function_to_execute NAME`), resolved. */
  executorArgs: string[];
  /** Every requirement the pip install lines name, as written (kfp itself included; Python drops it). */
  requirements: string[];
}

/**
 * The parts of a resolved argv that runs `python3 -m kfp.dsl.executor_main` on an embedded source, or
 * undefined for any other command (a containerized Python component has no embedded source: it needs its
 * image, so it is not recognised here).
 */
export function parseKfpPythonCommand(argv: readonly string[]): KfpPythonCommand | undefined {
  const program = argv.findIndex(
    (arg) => arg.includes('kfp.dsl.executor_main') && arg.includes('ephemeral_component.py'),
  );
  const source = argv[program + 1];
  if (program < 0 || source === undefined) return undefined;
  const requirements = argv.slice(0, program).flatMap(pipInstallRequirements);
  return { source, executorArgs: argv.slice(program + 2), requirements };
}

/** The argv that runs a parsed component through the stand-in with `python` (a python3 command). */
export function builtinKfpArgv(python: string, command: KfpPythonCommand): string[] {
  return [
    python,
    // -u: output reaches the task log as printed. (Bytecode goes to a cache outside the package: see the
    // launcher.)
    '-u',
    KFP_PYTHON_LAUNCHER,
    '--component_source',
    command.source,
    ...command.requirements.flatMap((requirement) => ['--requirement', requirement]),
    ...command.executorArgs,
  ];
}

/** pip options followed by a value: the value is not a requirement. */
const OPTIONS_WITH_VALUE = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '--trusted-host',
  '-f',
  '--find-links',
  '-c',
  '--constraint',
  '-r',
  '--requirement',
]);

/**
 * The requirements of every `pip install …` in a shell script, up to the `&&`, `;` or line end after it
 * (a backslash-newline continues the line).
 */
export function pipInstallRequirements(script: string): string[] {
  const requirements: string[] = [];
  for (const match of script.matchAll(/pip3? install\b((?:\\\n|[^&\n;'"]|'[^']*'|"[^"]*"|&(?!&))*)/g)) {
    const words = shellWords(match[1]!);
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (OPTIONS_WITH_VALUE.has(word)) i++;
      else if (!word.startsWith('-') && word !== '') requirements.push(word);
    }
  }
  return requirements;
}

/** POSIX shell words of a simple command (quotes and backslashes; no expansions happen in pip lines). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "'") {
      const end = text.indexOf("'", i + 1);
      word = (word ?? '') + text.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? text.length : end;
    } else if (char === '"') {
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) i++;
        value += text[i];
      }
      word = (word ?? '') + value;
    } else if (char === '\\' && i + 1 < text.length) {
      if (text[i + 1] !== '\n') word = (word ?? '') + text[i + 1];
      i++;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}
