/**
 * The environment of an attempt: a clean base taken from the engine's own environment (what programs need
 * to find tools, write temp files and print text), then the container's env (with `$(VAR)` expansion),
 * then the request's. Everything else of the engine's environment stays out, NODE_EXTRA_CA_CERTS above all:
 * it makes every `node` start take ~89 ms instead of ~34 ms (STACK.md row 8), and a step that needs it
 * can set it in its env.
 */
import type { ContainerSpec } from '../../ir/index.ts';
import { expandContainerEnv } from '../../runtime/index.ts';

const BASE_NAMES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TMP', 'TEMP'];
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/** The clean base, from an environment such as `process.env`. */
export function baseEnvironment(source: NodeJS.ProcessEnv): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && (BASE_NAMES.includes(name) || name.startsWith('LC_'))) base[name] = value;
  }
  base.PATH ??= DEFAULT_PATH;
  return base;
}

export function attemptEnvironment(
  base: Readonly<Record<string, string>>,
  containerEnv: ContainerSpec['env'],
  requestEnv: Readonly<Record<string, string>>,
): Record<string, string> {
  if (!containerEnv?.length) return { ...base, ...requestEnv };
  const expanded = expandContainerEnv(containerEnv, { ...base, ...requestEnv });
  return { ...base, ...expanded, ...requestEnv };
}
