// What the whole host uses, as `kubectl top node` shows it: CPU from /proc/stat (busy time between
// two samples) and memory in use (MemTotal - MemAvailable from /proc/meminfo).
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export class HostUsage {
  private last: { busy: number; total: number } | undefined;
  private cpuMillis = 0;

  /** Takes a sample; CPU is the rate since the previous one (0 on the first). */
  sample(): { cpuMillis: number; memoryBytes: number } {
    try {
      const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
      const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
      const total = fields.reduce((a, b) => a + b, 0);
      const busy = total - idle;
      if (this.last && total > this.last.total) {
        this.cpuMillis = Math.round(((busy - this.last.busy) / (total - this.last.total)) * os.cpus().length * 1000);
      }
      this.last = { busy, total };
      const meminfo = readFileSync('/proc/meminfo', 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
      return { cpuMillis: this.cpuMillis, memoryBytes: Math.max(0, kb('MemTotal') - kb('MemAvailable')) };
    } catch {
      return { cpuMillis: 0, memoryBytes: os.totalmem() - os.freemem() };
    }
  }
}
