// Kubernetes resource quantities ("500m", "128Mi", "1e3") and int-or-percent values ("25%").
// CPU is handled in millicores and memory in bytes, both as plain numbers.
import { invalid } from '../errors';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

// sign, number, then either a decimal exponent or a suffix. "1E" is exa, "1E3" is an exponent, as in Kubernetes.
const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

// Float noise (0.1 * 1000 = 100.00000000000001) must not round a whole value up.
const EPSILON = 1e-9;

/** Parses any Kubernetes quantity to its numeric value in base units. Throws `invalid` when malformed or negative. */
export function parseQuantity(q: string | number, what = 'quantity'): number {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw invalid(`invalid ${what} ${q}: must be a finite number`);
    if (q < 0) throw invalid(`invalid ${what} ${q}: must not be negative`);
    return q;
  }
  if (typeof q !== 'string') throw invalid(`invalid ${what}: expected a string or number, got ${typeof q}`);
  const s = q.trim();
  if (s === '') throw invalid(`invalid ${what} "": must not be empty (examples: "500m", "128Mi", "1")`);
  const m = QUANTITY_RE.exec(s);
  if (!m) throw invalid(`invalid ${what} "${q}": expected a number with an optional suffix (m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)`);
  const [, sign, digits, exponent, suffix] = m;
  let value = Number(digits);
  if (exponent) value *= 10 ** Number(exponent.slice(1));
  else if (suffix !== undefined) value *= BINARY[suffix] ?? DECIMAL[suffix] ?? 1;
  if (sign === '-' && value !== 0) throw invalid(`invalid ${what} "${q}": must not be negative`);
  if (!Number.isFinite(value)) throw invalid(`invalid ${what} "${q}": too large`);
  return value;
}

/** CPU quantity -> millicores, rounded up to a whole millicore as Kubernetes does ("500m" -> 500, "2" -> 2000, 0.5 -> 500). */
export function parseCpu(q: string | number): number {
  const millis = parseQuantity(q, 'cpu quantity') * 1000;
  return Number.isInteger(millis) ? millis : Math.ceil(millis - EPSILON);
}

/** Memory quantity -> bytes, rounded up to a whole byte ("128Mi" -> 134217728, "1G" -> 1e9). */
export function parseMemory(q: string | number): number {
  const bytes = parseQuantity(q, 'memory quantity');
  return Number.isInteger(bytes) ? bytes : Math.ceil(bytes - EPSILON);
}

/** Millicores -> "250m", or whole cores as "2". */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

const BINARY_DESC = Object.entries(BINARY).reverse();

/** Bytes -> the largest exact binary suffix ("128Mi"), else plain bytes ("1000"). */
export function formatMemory(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [suffix, factor] of BINARY_DESC) {
    if (bytes % factor === 0) return `${bytes / factor}${suffix}`;
  }
  return String(bytes);
}

const PERCENT_RE = /^(\d+)%$/;

/** True when v is a non-negative integer or a "N%" string (the IntOrString used by maxSurge/maxUnavailable). */
export function isIntOrPercent(v: unknown): v is number | string {
  return (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && PERCENT_RE.test(v));
}

/**
 * Resolves maxSurge/maxUnavailable against a total: 3 -> 3, "25%" of 10 -> 3 (roundUp) or 2 (round down).
 * As in Kubernetes, a string must be a percentage; "5" is rejected.
 */
export function parseIntOrPercent(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) throw invalid(`invalid value ${v}: must be a non-negative integer or a percentage such as "25%"`);
    return v;
  }
  const m = PERCENT_RE.exec(v);
  if (!m) throw invalid(`invalid value "${v}": must be a non-negative integer or a percentage such as "25%"`);
  const scaled = (Number(m[1]) * total) / 100;
  if (Number.isInteger(scaled)) return scaled;
  return roundUp ? Math.ceil(scaled - EPSILON) : Math.floor(scaled + EPSILON);
}
