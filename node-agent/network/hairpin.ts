// Hairpin mode on the pod bridge's ports, so a pod reaching its own service lands back on itself
// (`bridge link set dev VETH hairpin on`, again whenever a container's veth is recreated).
import type { CommandRunner } from './commands';

/** Ports of `bridge` whose hairpin mode is off, from `bridge -d link show` output. */
export function portsWithoutHairpin(bridgeLinkShow: string, bridge: string): string[] {
  const out: string[] = [];
  let current: string | undefined;
  for (const line of bridgeLinkShow.split('\n')) {
    const head = /^\d+:\s+([^@:\s]+)(?:@\S+)?:\s.*\bmaster\s+(\S+)/.exec(line);
    if (head) {
      current = head[2] === bridge ? head[1] : undefined;
      continue;
    }
    if (current && /\bhairpin off\b/.test(line)) out.push(current);
    if (/^\d+:/.test(line)) current = undefined;
  }
  return out;
}

export async function enableHairpin(runner: CommandRunner, bridge: string): Promise<string[]> {
  const ports = portsWithoutHairpin(await runner.run('bridge', ['-d', 'link', 'show']), bridge);
  for (const p of ports) await runner.run('bridge', ['link', 'set', 'dev', p, 'hairpin', 'on']);
  return ports;
}
