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

// ---- exact conversion to whole units --------------------------------------------------------
// parseQuantity's float product is not exact ("0.25424G" * 1e9 = 254240000.00000003), and rounding
// that up gave one byte (or millicore) too many. parseCpu and parseMemory compute ceil(value * unit)
// on integers instead: the digits as a BigInt, times the powers of ten and two the suffix stands for.

const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENT: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
/** No sane quantity is longer; the cap also bounds the BigInt work on hostile input. */
const MAX_QUANTITY_CHARS = 100;
/** A value of more than 310 digits is over 10^309, past the largest finite double (1.8e308). */
const MAX_DECIMAL_DIGITS = 310;

/** ceil(q * 10^unitExponent) as a number: q in base units, the result in whole 10^-unitExponent units. */
function wholeUnits(q: string | number, what: string, unitExponent: number): number {
  parseQuantity(q, what); // every shape, sign and range check, with its message
  const text = typeof q === 'number' ? String(q) : q.trim(); // String(0.1) is "0.1", String(1e21) is "1e+21"
  if (text.length > MAX_QUANTITY_CHARS) throw invalid(`invalid ${what} "${text.slice(0, 20)}…": longer than ${MAX_QUANTITY_CHARS} characters`);
  const [, , digits = '', exponent, suffix = ''] = QUANTITY_RE.exec(text) as RegExpExecArray;
  const dot = digits.indexOf('.');
  const fraction = dot < 0 ? '' : digits.slice(dot + 1);
  const significand = (dot < 0 ? digits : digits.slice(0, dot) + fraction).replace(/^0+/, '');
  if (significand === '') return 0;
  const binary = exponent ? 0 : (BINARY_EXPONENT[suffix] ?? 0);
  const exp10 = unitExponent - fraction.length + (exponent ? Number(exponent.slice(1)) : (DECIMAL_EXPONENT[suffix] ?? 0));
  // Orders of magnitude of the exact value: too large to be a finite number, or below one unit.
  const magnitude = significand.length + exp10 + binary * Math.LOG10E * Math.LN2;
  if (magnitude > MAX_DECIMAL_DIGITS) throw invalid(`invalid ${what} "${text}": too large`);
  if (magnitude < 0) return 1; // a positive amount under one unit rounds up to one, as in Kubernetes
  const scaled = BigInt(significand) << BigInt(binary);
  let units: bigint;
  if (exp10 >= 0) {
    units = scaled * 10n ** BigInt(exp10);
  } else {
    const divisor = 10n ** BigInt(-exp10);
    units = (scaled + divisor - 1n) / divisor;
  }
  const result = Number(units);
  if (!Number.isFinite(result)) throw invalid(`invalid ${what} "${text}": too large`);
  return result;
}

/** CPU quantity -> millicores, rounded up to a whole millicore as Kubernetes does ("500m" -> 500, "2" -> 2000, 0.5 -> 500). */
export function parseCpu(q: string | number): number {
  return wholeUnits(q, 'cpu quantity', 3);
}

/** Memory quantity -> bytes, rounded up to a whole byte ("128Mi" -> 134217728, "1G" -> 1e9). */
export function parseMemory(q: string | number): number {
  return wholeUnits(q, 'memory quantity', 0);
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
