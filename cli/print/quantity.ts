// Tolerant wrappers over common/manifest/quantity for printing: a printer shows what is stored
// and must not throw on a malformed value, so unparsable quantities count as 0 / print verbatim.
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../../common/manifest/quantity';

export function cpuMillis(q: string | number | undefined): number {
  return tolerant(() => (q === undefined ? 0 : parseCpu(q)), 0);
}

export function memoryBytes(q: string | number | undefined): number {
  return tolerant(() => (q === undefined ? 0 : parseMemory(q)), 0);
}

export { formatCpu, formatMemory };

/** A quantity in canonical form for its resource (cpu "0.5" -> "500m", memory "1Gi" -> "1Gi"); verbatim when unparsable. */
export function formatQuantity(resource: string, q: string | number): string {
  if (resource === 'cpu') return tolerant(() => formatCpu(parseCpu(q)), String(q));
  if (resource === 'memory') return tolerant(() => formatMemory(parseMemory(q)), String(q));
  return String(q);
}

function tolerant<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
