// Reading the service rules every test host has programmed: `iptables-save -t nat` inside the
// host's network namespace, polled until each host's rules say what is wanted.
import { execFile } from 'node:child_process';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function natRulesIn(netns: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('nsenter', [`--net=/var/run/netns/${netns}`, 'iptables-save', '-t', 'nat'], { timeout: 10_000, maxBuffer: 64 << 20 }, (e, out, err) =>
      e ? reject(new Error(`iptables-save in ${netns}: ${err || e.message}`)) : resolve(String(out)),
    ),
  );
}

/** Whether some KITE-SEP chain DNATs to `ip` (the pod is in rotation on that node). */
export function dnatsTo(save: string, ip: string): boolean {
  return save.split('\n').some((l) => l.startsWith('-A KITE-SEP-') && l.includes(`--to-destination ${ip}:`));
}

/**
 * Polls every namespace every `intervalMs` until `want` holds for each; returns, per namespace,
 * the wall-clock time (Date.now(), comparable with other processes' timestamps) of the read that
 * first satisfied it. A read's time is when it finished: an upper bound, never early.
 */
export async function pollUntilEvery(netnses: string[], want: (save: string) => boolean, intervalMs: number, timeoutMs: number): Promise<number[]> {
  const seen: (number | undefined)[] = netnses.map(() => undefined);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const round = Date.now();
    await Promise.all(
      netnses.map(async (ns, i) => {
        if (seen[i] !== undefined) return;
        const save = await natRulesIn(ns);
        if (want(save)) seen[i] = Date.now();
      }),
    );
    if (seen.every((t) => t !== undefined)) return seen as number[];
    if (Date.now() > deadline) throw new Error(`rules not as wanted after ${timeoutMs} ms in ${netnses.filter((_, i) => seen[i] === undefined).join(', ')}`);
    await delay(Math.max(0, intervalMs - (Date.now() - round)));
  }
}
