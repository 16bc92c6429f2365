// Compose's units -> Kubernetes': durations ("1m30s") to seconds, byte sizes ("512m", "1gb") to
// memory quantities ("512Mi"), and cpus ("0.5") to millicores ("500m").
import { invalid } from '../errors';

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration ("1m30s", "500ms", "10s") in seconds; a bare number is seconds. */
export function durationSeconds(v: string | number, where: string): number {
  if (typeof v === 'number') return v;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    consumed = m.index + m[0].length;
  }
  if (consumed !== s.length || s === '') throw invalid(`${where}: "${v}" is not a duration (like 30s, 1m30s, 500ms)`);
  return total;
}

/** Whole seconds of at least `min` (probes and grace periods count in seconds). */
export function wholeSeconds(v: string | number, where: string, min = 1): number {
  return Math.max(min, Math.ceil(durationSeconds(v, where) - 1e-9));
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** Compose byte sizes are binary (Docker's units): "512m" -> "512Mi", "1gb" -> "1Gi", 1024 -> "1Ki". */
export function memoryQuantity(v: string | number, where: string): string {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(String(v).trim());
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw invalid(`${where}: "${v}" is not a byte size (like 512m, 1g, 1024)`);
  const bytes = Math.round(Number(m[1]) * unit);
  for (const [suffix, size] of [['Ti', 1024 ** 4], ['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}

/** cpus "0.5" -> "500m", "2" -> "2". */
export function cpuQuantity(v: string | number, where: string): string {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw invalid(`${where}: "${v}" is not a number of CPUs`);
  const milli = Math.round(n * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
