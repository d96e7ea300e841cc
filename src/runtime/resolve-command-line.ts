/**
 * Container command + args → argv for one ExecutorInput, as KFP's launcher and kfp.local do: each entry is
 * a template (`--lr={{$.inputs.parameters['lr']}}` → one argv entry) or a whole-argument
 * `{"IfPresent": …}` / `{"Concat": […]}` JSON string, nested freely. The result goes to the process as argv
 * entries, never through a shell (ARCHITECTURE.md, durability rule 4).
 */
import { type CommandLineElement, type ContainerSpec, parseCommandLineElement } from '../ir/index.ts';
import type { ExecutorInput } from './executor-input.ts';
import { type PlaceholderContext, placeholderValue } from './placeholder-values.ts';
import { InvalidArgumentError, UnresolvedPlaceholderError } from './runtime-errors.ts';

/**
 * The argv of a container spec: command entries, then args entries.
 *
 * @throws UnresolvedPlaceholderError when a placeholder names an input, output or run value that is not
 *   there; InvalidArgumentError when an entry does not parse.
 * @example
 * resolveCommandLine({ command: ['echo'], args: ["{{$.inputs.parameters['n']}}"] },
 *   { executorInput, runValues: {} }) // ['echo', '5'] when parameterValues.n is 5
 */
export function resolveCommandLine(
  container: Pick<ContainerSpec, 'command' | 'args'>,
  context: PlaceholderContext,
): string[] {
  const argv: string[] = [];
  for (const entry of container.command ?? []) argv.push(...resolveArgument(entry, context));
  for (const entry of container.args ?? []) argv.push(...resolveArgument(entry, context));
  return argv;
}

/**
 * One command or args entry → argv entries: a template gives exactly one (maybe empty), an IfPresent gives
 * its chosen branch's entries (none when absent without Else), a Concat gives one.
 */
export function resolveArgument(text: string, context: PlaceholderContext): string[] {
  const parsed = parseCommandLineElement(text);
  if (parsed.errors.length > 0) {
    throw new InvalidArgumentError(text, parsed.errors.map((error) => error.message).join('; '));
  }
  return resolveElement(parsed.element, text, context);
}

function resolveElement(
  element: CommandLineElement,
  argument: string,
  context: PlaceholderContext,
): string[] {
  switch (element.type) {
    case 'TEMPLATE': {
      let text = '';
      for (const segment of element.segments) {
        if (segment.type === 'LITERAL') {
          text += segment.text;
          continue;
        }
        const resolved = placeholderValue(segment.placeholder, segment.raw, context);
        if ('error' in resolved) throw new UnresolvedPlaceholderError(segment.raw, argument, resolved.error);
        text += resolved.value;
      }
      return [text];
    }
    case 'IF_PRESENT': {
      const branch = isInputPresent(context.executorInput, element.inputName)
        ? element.whenPresent
        : element.whenAbsent;
      return branch.flatMap((item) => resolveElement(item, argument, context));
    }
    case 'CONCAT':
      // Each item is one value (KFP's rule), so an IfPresent inside contributes its entries joined.
      return [element.items.map((item) => resolveElement(item, argument, context).join('')).join('')];
  }
}

/** KFP's IfPresent test: the input has a value (a null parameter counts as absent). */
export function isInputPresent(executorInput: ExecutorInput, name: string): boolean {
  const { parameterValues, artifacts } = executorInput.inputs;
  if (Object.hasOwn(parameterValues, name)) return parameterValues[name] !== null;
  return Object.hasOwn(artifacts, name);
}
