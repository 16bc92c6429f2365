// kube-proxy's iptables mode on this node: each sync reads the current tables (iptables-save),
// writes every KITE-* service chain in ONE atomic `iptables-restore --noflush`, then deletes the
// UDP conntrack entries of endpoints that left and turns hairpin on for the pod bridge's ports.
import { promises as fs } from 'node:fs';
import type { Logger } from '../../common/log';
import { errorMessage } from '../../common/errors';
import type { CommandRunner } from './commands';
import { buildProxyRules, type ProxyRulesInput } from './proxy-rules';
import { cleanupText, parseIptablesSave, restoreText } from './proxy-restore';
import { staleConntrackDeletes } from './stale-conntrack';
import { enableHairpin } from './hairpin';
import type { ServiceProxier } from './proxier';
import type { ServicePortInfo } from './service-ports';

export interface IptablesProxierOptions {
  runner: CommandRunner;
  log: Logger;
  /** The pod bridge: its ports need hairpin so a pod can reach itself through its service. */
  bridge: string;
}

/** NodePorts answer on 127.0.0.1 too: the kernel must route DNATed loopback traffic. */
const ROUTE_LOCALNET = '/proc/sys/net/ipv4/conf/all/route_localnet';

export class IptablesProxier implements ServiceProxier {
  private previous: ServicePortInfo[] = [];
  private warnedConntrack = false;
  private sysctlDone = false;

  constructor(private readonly opts: IptablesProxierOptions) {}

  async sync(input: ProxyRulesInput): Promise<void> {
    const { runner } = this.opts;
    if (!this.sysctlDone) {
      await fs.writeFile(ROUTE_LOCALNET, '1').catch((e: unknown) => this.opts.log.warn({ err: errorMessage(e) }, 'cannot set route_localnet: NodePorts will not answer on 127.0.0.1'));
      this.sysctlDone = true;
    }
    const saved = parseIptablesSave(await runner.run('iptables-save', []));
    await runner.run('iptables-restore', ['--noflush', '-w', '5'], { input: restoreText(buildProxyRules(input), saved), timeoutMs: 30_000 });
    await this.deleteStaleConntrack(input);
    await this.hairpin();
  }

  private async deleteStaleConntrack(input: ProxyRulesInput): Promise<void> {
    const deletes = staleConntrackDeletes(this.previous, input.ports, input.nodeAddresses);
    this.previous = input.ports;
    for (const args of deletes) {
      try {
        await this.opts.runner.run('conntrack', args);
      } catch (e) {
        // Exit 1 with "0 flow entries have been deleted" is the common case; a missing binary is not.
        const msg = errorMessage(e);
        if (/ENOENT|not found/i.test(msg) && !this.warnedConntrack) {
          this.warnedConntrack = true;
          this.opts.log.warn({ err: msg }, 'conntrack is not installed: stale UDP flows to removed endpoints are not cleared');
        }
      }
    }
  }

  /** Hairpin on the pod bridge's ports (pods that became endpoints since the last sync). */
  private async hairpin(): Promise<void> {
    try {
      await enableHairpin(this.opts.runner, this.opts.bridge);
    } catch (e) {
      this.opts.log.debug({ err: errorMessage(e) }, 'cannot set hairpin on the pod bridge (not up yet?)');
    }
  }

  async cleanup(): Promise<void> {
    const text = cleanupText(parseIptablesSave(await this.opts.runner.run('iptables-save', [])));
    if (text) await this.opts.runner.run('iptables-restore', ['--noflush', '-w', '5'], { input: text, timeoutMs: 30_000 });
    this.previous = [];
  }
}
