// Turning heartbeat usage into Node and Pod `status.usage` (what `kite top` shows), and deciding
// when that is worth a write: at most once per interval per object, and only when the numbers
// moved meaningfully, so thousands of idle pods cost no etcd writes.
import type { Heartbeat__Output } from '../../common/generated/kite/v1/Heartbeat';
import type { PodUsage__Output } from '../../common/generated/kite/v1/PodUsage';

export interface Usage {
  cpu: string;
  memory: string;
}

export interface NodeUsageStatus extends Usage {
  timestamp: string;
}

/** Minimum time between two usage writes of one object. */
export const USAGE_WRITE_INTERVAL_MS = 10_000;

/** Millicores and bytes as quantities the CLI parses ("12m", "2048Ki"). */
export function usageQuantities(cpuMillis: number, memoryBytes: number): Usage {
  return { cpu: `${Math.max(0, Math.round(cpuMillis))}m`, memory: `${Math.max(0, Math.round(memoryBytes / 1024))}Ki` };
}

function parseUsage(u: Usage): { millis: number; bytes: number } {
  return { millis: Number(u.cpu.replace(/m$/, '')) || 0, bytes: (Number(u.memory.replace(/Ki$/, '')) || 0) * 1024 };
}

/** True when `next` differs from `prev` by more than noise: 5m or 10% of CPU, 1 MiB or 5% of memory. */
export function changedMeaningfully(prev: Usage | undefined, next: Usage): boolean {
  if (!prev) return true;
  const a = parseUsage(prev);
  const b = parseUsage(next);
  const cpuMoved = Math.abs(a.millis - b.millis) > Math.max(5, a.millis * 0.1);
  const memMoved = Math.abs(a.bytes - b.bytes) > Math.max(1024 * 1024, a.bytes * 0.05);
  return cpuMoved || memMoved;
}

interface CpuSample {
  seconds: number;
  at: number;
  millis: number;
}

/**
 * Per-pod CPU rate from the cumulative seconds agents report. Agents re-send the same sample
 * with every heartbeat between their own refreshes, so the rate is taken over samples at least
 * `minSpanMs` apart (and the last rate kept in between).
 */
export class PodCpuRates {
  private readonly samples = new Map<string, CpuSample>();

  constructor(private readonly minSpanMs = USAGE_WRITE_INTERVAL_MS) {}

  /** Returns millicores for the pod, or undefined until two samples far enough apart are known. */
  observe(uid: string, cpuSeconds: number, now: number): number | undefined {
    const prev = this.samples.get(uid);
    if (!prev) {
      this.samples.set(uid, { seconds: cpuSeconds, at: now, millis: NaN });
      return undefined;
    }
    if (now - prev.at < this.minSpanMs) return Number.isNaN(prev.millis) ? undefined : prev.millis;
    // A restarted container starts its counter from zero: treat a decrease as a fresh start.
    const millis = cpuSeconds >= prev.seconds ? ((cpuSeconds - prev.seconds) / ((now - prev.at) / 1000)) * 1000 : 0;
    this.samples.set(uid, { seconds: cpuSeconds, at: now, millis });
    return millis;
  }

  forget(uid: string): void {
    this.samples.delete(uid);
  }
}

/** Remembers what was last written per object, to rate-limit and de-noise usage writes. */
export class UsageWriteGate {
  private readonly written = new Map<string, { usage: Usage; at: number }>();

  constructor(private readonly intervalMs = USAGE_WRITE_INTERVAL_MS) {}

  /** True when `usage` should be written for `key` now; `current` is what the object holds. */
  shouldWrite(key: string, usage: Usage, current: Usage | undefined, now: number): boolean {
    const last = this.written.get(key);
    if (last && now - last.at < this.intervalMs) return false;
    return changedMeaningfully(current ?? last?.usage, usage);
  }

  markWritten(key: string, usage: Usage, now: number): void {
    this.written.set(key, { usage, at: now });
  }

  forget(key: string): void {
    this.written.delete(key);
  }
}

export function nodeUsageFromHeartbeat(hb: Heartbeat__Output, now: number): NodeUsageStatus {
  return { ...usageQuantities(Number(hb.cpu_usage_millis), Number(hb.memory_usage_bytes)), timestamp: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

/** Sums a pod's containers: cumulative CPU seconds and working-set bytes. */
export function podTotals(p: PodUsage__Output): { cpuSeconds: number; memoryBytes: number } {
  let cpuSeconds = 0;
  let memoryBytes = 0;
  for (const c of p.containers ?? []) {
    cpuSeconds += Number(c.cpu_seconds ?? 0);
    memoryBytes += Number(c.memory_working_set_bytes ?? 0);
  }
  return { cpuSeconds, memoryBytes };
}
