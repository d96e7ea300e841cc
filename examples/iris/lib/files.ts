/** Small file helpers the steps share. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * `sha256:<hex>` of a file's bytes: the same digest Sluice records for a file artifact, so lineage written
 * by the steps can be matched against `sluice show`.
 */
export function digestOf(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

/** A JSON file written by one of these steps. */
export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
