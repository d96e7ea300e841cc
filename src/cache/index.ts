/**
 * Task cache keys: `fingerprintTask` hashes what a task runs and reads into a key with named parts, and
 * `explainCacheMiss` says which parts changed since the previous run of the task. Pure; the engine looks
 * keys up in the store.
 *
 * @module
 * @example
 * import { explainCacheMiss, fingerprintTask, formatCacheMiss } from './cache/index.ts';
 *
 * const fingerprint = fingerprintTask(input);
 * const reason = explainCacheMiss(previousTask?.fingerprintParts ?? undefined, fingerprint.parts);
 * console.log(formatCacheMiss(reason)); // parameter 'epochs' changed; input artifact 'data' content changed
 */

export { canonicalJson, FingerprintInputError } from './canonical-json.ts';
export { type CacheMissReason, explainCacheMiss, formatCacheMiss } from './explain-miss.ts';
export { type Fingerprint, type FingerprintInput, fingerprintTask } from './fingerprint.ts';
