/**
 * How a TypeScript function component appears in the IR: an ordinary container executor whose command
 * runs Sluice's launcher with the module, export and code digest. The compiler writes it; the local
 * executor recognises it and runs the function in a Node child process without a container.
 *
 * ```yaml
 * container:
 *   image: node:20-slim
 *   command: [sluice, execute-function]
 *   args: [--executor-input, '{{$}}', --module, src/steps.ts, --export, train, --code-digest, sha256:…]
 * ```
 */
import type { ContainerSpec } from './spec.ts';

export const FUNCTION_COMPONENT_COMMAND = ['sluice', 'execute-function'] as const;

export interface FunctionReference {
  /** POSIX path of the module, relative to the project root (the directory holding its package.json). */
  module: string;
  /** The module export holding the component. */
  exportName: string;
  /** `sha256:<hex>` of the module source, so that a code change is a cache miss. */
  codeDigest: string;
}

export function functionComponentArgs(reference: FunctionReference): string[] {
  return [
    '--executor-input',
    '{{$}}',
    '--module',
    reference.module,
    '--export',
    reference.exportName,
    '--code-digest',
    reference.codeDigest,
  ];
}

/** The function a container spec runs, when it is a Sluice function component; undefined otherwise. */
export function parseFunctionComponent(container: ContainerSpec): FunctionReference | undefined {
  const command = container.command ?? [];
  if (
    command.length !== 2 ||
    command[0] !== FUNCTION_COMPONENT_COMMAND[0] ||
    command[1] !== FUNCTION_COMPONENT_COMMAND[1]
  ) {
    return undefined;
  }
  const args = container.args ?? [];
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const module = value('--module');
  const exportName = value('--export');
  if (!module || !exportName) return undefined;
  return { module, exportName, codeDigest: value('--code-digest') ?? '' };
}
