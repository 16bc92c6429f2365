// Kubernetes resource quantities ("500m", "1.5", "64Mi", "1G") converted to engine units.
import { invalid } from '../../common/errors';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A quantity as a plain number of base units (cores for cpu, bytes for memory). */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) throw invalid(`invalid quantity "${q}"`);
  const value = Number(m[1]);
  const suffix = m[2] ?? '';
  const mult = BINARY[suffix] ?? DECIMAL[suffix];
  if (mult === undefined || Number.isNaN(value)) throw invalid(`invalid quantity "${q}"`);
  return value * mult;
}

export const cpuToNanoCpus = (q: string | number) => Math.round(parseQuantity(q) * 1e9);
export const memoryToBytes = (q: string | number) => Math.round(parseQuantity(q));
/** Docker's relative weight: 1024 per core, as the kubelet maps requests (min 2). */
export const cpuToShares = (q: string | number) => Math.max(2, Math.round(parseQuantity(q) * 1024));
