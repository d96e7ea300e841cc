/**
 * Kubernetes resource quantities as KFP's IR carries them (`resourceCpuLimit: '500m'`,
 * `resourceMemoryRequest: '4Gi'`), read into numbers: the scheduler budgets with them and the Docker
 * executor turns them into `--cpus`/`--memory`. Undefined for text that is not a quantity.
 */

/** `2`, `0.5`, `500m` → cores. */
export function parseCpuQuantity(value: string): number | undefined {
  const number = value.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value);
  return value.trim() !== '' && Number.isFinite(number) ? number : undefined;
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** `4G`, `512Mi`, `1e9` → bytes. */
export function parseMemoryQuantity(value: string): number | undefined {
  const match = /^([0-9]*\.?[0-9]+(?:e[0-9]+)?)([A-Za-z]*)$/.exec(value.trim());
  const unit = match ? MEMORY_UNITS[match[2]!] : undefined;
  return match && unit !== undefined ? Number(match[1]) * unit : undefined;
}
