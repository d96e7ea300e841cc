/**
 * Container env values with Kubernetes' `$(VAR)` expansion (KFP passes container env to the pod as is, so
 * the kubelet's rules apply): `$(NAME)` becomes NAME's value when NAME is defined (in the base environment
 * or earlier in the list), and stays `$(NAME)` otherwise; `$$` is an escaped `$`, so `$$(NAME)` gives the
 * literal `$(NAME)`; any other `$` is literal. This mirrors k8s.io/kubernetes third_party/forked/golang/expansion.
 */
import type { ContainerSpec } from '../ir/index.ts';

/**
 * The container's env entries, expanded in order against `base` plus the entries before each one.
 *
 * @example
 * expandContainerEnv([{ name: 'A', value: '$(HOME)/x' }, { name: 'B', value: '$$(A)' }], { HOME: '/h' })
 * // { A: '/h/x', B: '$(A)' }
 */
export function expandContainerEnv(
  env: ContainerSpec['env'],
  base: Readonly<Record<string, string>>,
): Record<string, string> {
  const result: Record<string, string> = {};
  const lookup = (name: string) => (Object.hasOwn(result, name) ? result[name] : base[name]);
  for (const entry of env ?? []) {
    if (!entry.name) continue;
    result[entry.name] = expandVariables(entry.value ?? '', lookup);
  }
  return result;
}

/** One string with `$(VAR)` references; `lookup` returns undefined for an unknown name. */
export function expandVariables(input: string, lookup: (name: string) => string | undefined): string {
  if (!input.includes('$')) return input;
  let output = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    output += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') output += '$';
    else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close < 0) output += '$(';
      else {
        const name = input.slice(cursor + 2, close);
        output += lookup(name) ?? `$(${name})`;
        advance = close - cursor;
      }
    } else output += `$${next}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return output + input.slice(checkpoint);
}
