// Benchmark results: one row per measured operation, printed as a table and saved as JSON.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { percentile } from './stats';

export interface BenchRow {
  /** What was measured, e.g. "kite apply (1 call)". */
  operation: string;
  /** Objects (or events, or requests) handled. */
  count: number;
  wallMs: number;
  /** count / wall time; derived unless given. */
  perSecond?: number;
  /** Per-item latency percentiles in ms, where there is a per-item latency. */
  p50Ms?: number;
  p99Ms?: number;
  /** Free text, e.g. "3.1x raw etcd". */
  note?: string;
}

/** A row from a count, a wall time and optional per-item latencies. */
export function row(operation: string, count: number, wallMs: number, latencies?: readonly number[], note?: string): BenchRow {
  return {
    operation,
    count,
    wallMs: round(wallMs),
    perSecond: wallMs > 0 ? Math.round((count / wallMs) * 1000) : undefined,
    p50Ms: latencies && latencies.length ? round(percentile(latencies, 50)!) : undefined,
    p99Ms: latencies && latencies.length ? round(percentile(latencies, 99)!) : undefined,
    note,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

const COLUMNS: { title: string; value: (r: BenchRow) => string; right: boolean }[] = [
  { title: 'OPERATION', value: (r) => r.operation, right: false },
  { title: 'COUNT', value: (r) => String(r.count), right: true },
  { title: 'WALL ms', value: (r) => r.wallMs.toFixed(1), right: true },
  { title: 'OBJECTS/s', value: (r) => (r.perSecond === undefined ? '-' : String(r.perSecond)), right: true },
  { title: 'p50 ms', value: (r) => (r.p50Ms === undefined ? '-' : r.p50Ms.toFixed(1)), right: true },
  { title: 'p99 ms', value: (r) => (r.p99Ms === undefined ? '-' : r.p99Ms.toFixed(1)), right: true },
  { title: 'NOTE', value: (r) => r.note ?? '', right: false },
];

/** A plain-text table with aligned columns. */
export function formatTable(rows: readonly BenchRow[]): string {
  const cells = [COLUMNS.map((c) => c.title), ...rows.map((r) => COLUMNS.map((c) => c.value(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells
    .map((line) => line.map((cell, i) => (COLUMNS[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

export interface BenchReport {
  bench: string;
  startedAt: string;
  host: { cpus: number; cpuModel: string; node: string; platform: string };
  rows: BenchRow[];
  /** Anything else worth keeping (targets, ratios, versions). */
  extra?: Record<string, unknown>;
}

export function makeReport(bench: string, rows: BenchRow[], extra?: Record<string, unknown>, startedAt = new Date()): BenchReport {
  return {
    bench,
    startedAt: startedAt.toISOString(),
    host: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` },
    rows,
    extra,
  };
}

/** Writes the report as pretty JSON, creating the directory if needed. */
export function writeReport(file: string, report: BenchReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
}
