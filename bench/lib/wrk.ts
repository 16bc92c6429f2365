// Runs Debian's wrk and reads its result through a Lua `done` hook (exact percentiles from wrk's own
// histogram, not the rounded text report). `prefix` places wrk somewhere else, e.g. a pod's network
// namespace: ['nsenter', '--net=/proc/PID/ns/net'].
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface WrkOptions {
  prefix: string[];
  url: string;
  threads: number;
  connections: number;
  seconds: number;
}

export interface WrkResult {
  requests: number;
  durationMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connect, read, write, timeout and non-2xx/3xx errors together. */
  errors: number;
}

const MARK = 'KITE_WRK';
const DONE_HOOK = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${MARK} {"requests":%.0f,"durationUs":%.0f,"p50Us":%.0f,"p99Us":%.0f,"errors":%.0f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

let scriptFile: string | undefined;
function doneScript(): string {
  if (!scriptFile) {
    scriptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kite-wrk-')), 'done.lua');
    fs.writeFileSync(scriptFile, DONE_HOOK);
    process.once('exit', () => fs.rmSync(path.dirname(scriptFile!), { recursive: true, force: true }));
  }
  return scriptFile;
}

/** Parses the line the done hook prints; throws with wrk's output when it is missing. */
export function parseWrkOutput(out: string): WrkResult {
  const line = out.split('\n').find((l) => l.startsWith(MARK + ' '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line.slice(MARK.length + 1)) as { requests: number; durationUs: number; p50Us: number; p99Us: number; errors: number };
  const durationMs = r.durationUs / 1000;
  return {
    requests: r.requests,
    durationMs,
    perSecond: durationMs > 0 ? Math.round((r.requests / durationMs) * 1000) : 0,
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    errors: r.errors,
  };
}

export function runWrk(o: WrkOptions): Promise<WrkResult> {
  const args = [...o.prefix, 'wrk', '-t', String(o.threads), '-c', String(o.connections), '-d', `${o.seconds}s`, '--timeout', '2s', '-s', doneScript(), o.url];
  return new Promise((resolve, reject) =>
    execFile(args[0]!, args.slice(1), { timeout: (o.seconds + 30) * 1000 }, (e, stdout, stderr) => {
      if (e) return reject(new Error(`${args.join(' ')}: ${stderr || e.message}`));
      try {
        resolve(parseWrkOutput(String(stdout)));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    }),
  );
}
