// `kite-agent --cleanup`: removes everything the pod network (and the service proxy's KITE-*
// chains) put on this host: routes, the VXLAN device, KITE-* chains and the jumps into them, and
// the `kite` Docker network when no container uses it. Pods are not touched.
import type Docker from 'dockerode';
import { errorMessage } from '../../common/errors';
import type { CommandRunner } from './commands';
import { removeStaleRoutes } from './backend';
import { VxlanBackend, VXLAN_DEVICE } from './vxlan';
import { cleanupRules, parseIptablesSave } from './pod-iptables';
import { DockerBridgeNetwork, POD_NETWORK_NAME } from './docker-network';

export interface CleanupReport {
  done: string[];
  problems: string[];
}

export async function cleanupPodNetwork(runner: CommandRunner, docker: Docker | undefined): Promise<CleanupReport> {
  const r: CleanupReport = { done: [], problems: [] };
  const step = async (what: string, fn: () => Promise<string | undefined>) => {
    try {
      const note = await fn();
      if (note) r.done.push(note);
    } catch (e) {
      r.problems.push(`${what}: ${errorMessage(e)}`);
    }
  };
  await step('routes', async () => {
    const removed = await removeStaleRoutes(runner, new Set());
    return removed.length ? `removed routes ${removed.join(', ')}` : undefined;
  });
  await step(VXLAN_DEVICE, async () => ((await new VxlanBackend(runner).removeDevice()) ? `removed ${VXLAN_DEVICE}` : undefined));
  await step('iptables', async () => {
    const text = cleanupRules(parseIptablesSave(await runner.run('iptables-save', [])));
    if (!text) return undefined;
    await runner.run('iptables-restore', ['--noflush', '-w', '5'], { input: text });
    return 'removed KITE-* iptables chains and jumps';
  });
  if (docker) {
    await step(`Docker network ${POD_NETWORK_NAME}`, async () => {
      const res = await new DockerBridgeNetwork(docker).removeIfEmpty();
      if (res === 'in use') throw new Error('containers still use it; it stays');
      return res === 'removed' ? `removed Docker network ${POD_NETWORK_NAME}` : undefined;
    });
  }
  return r;
}
