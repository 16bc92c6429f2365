// kube-proxy's iptables mode on this node: each sync writes every KITE-* service chain in ONE
// atomic `iptables-restore --noflush`, then deletes the UDP conntrack entries of endpoints that
// left. A full sync first reads the tables (iptables-save) to find stale chains and repair the
// jumps from the built-in chains; syncs in between (readiness changes) skip that read, since
// this process wrote the chains that exist, so a change costs one command. (Hairpin mode on the
// bridge ports is the pod network's: it sets it whenever a container starts.)
import { promises as fs } from 'node:fs';
import type { Logger } from '../../common/log';
import { errorMessage } from '../../common/errors';
import type { CommandRunner } from './commands';
import { buildProxyRules, type ProxyRules, type ProxyRulesInput } from './proxy-rules';
import { systemClock, type Clock } from '../../common/clock';
import { incrementalRestoreText, parseIptablesSave, restoreText } from './proxy-restore';
import { staleConntrackDeletes } from './stale-conntrack';
import type { ServiceProxier } from './proxier';
import type { ServicePortInfo } from './service-ports';

export interface IptablesProxierOptions {
  runner: CommandRunner;
  log: Logger;
  clock?: Clock;
  /** How often a sync reads the tables back to repair what others changed (default 10 s). */
  fullSyncMs?: number;
  /** Set net.ipv4.conf.all.route_localnet=1 (default true; tests outside a namespace say false). */
  routeLocalnet?: boolean;
}

/** NodePorts answer on 127.0.0.1 too: the kernel must route DNATed loopback traffic. */
const ROUTE_LOCALNET = '/proc/sys/net/ipv4/conf/all/route_localnet';

export class IptablesProxier implements ServiceProxier {
  private previous: ServicePortInfo[] = [];
  private warnedConntrack = false;
  /** What the last successful restore wrote, and when the tables were last read back. */
  private written: ProxyRules | undefined;
  private lastFullAt = -Infinity;
  private sysctlDone = false;

  constructor(private readonly opts: IptablesProxierOptions) {}

  async sync(input: ProxyRulesInput): Promise<void> {
    const { runner } = this.opts;
    if (!this.sysctlDone && this.opts.routeLocalnet !== false) {
      await fs.writeFile(ROUTE_LOCALNET, '1').catch((e: unknown) => this.opts.log.warn({ err: errorMessage(e) }, 'cannot set route_localnet: NodePorts will not answer on 127.0.0.1'));
      this.sysctlDone = true;
    }
    const wanted = buildProxyRules(input);
    const clock = this.opts.clock ?? systemClock;
    const full = !this.written || clock.now() - this.lastFullAt >= (this.opts.fullSyncMs ?? 10_000);
    const text = full ? restoreText(wanted, parseIptablesSave(await runner.run('iptables-save', []))) : incrementalRestoreText(wanted, this.written!);
    if (full) this.lastFullAt = clock.now();
    this.written = undefined; // a failed restore leaves the tables unknown: read them next time
    await runner.run('iptables-restore', ['--noflush', '-w', '5'], { input: text, timeoutMs: 30_000 });
    this.written = wanted;
    await this.deleteStaleConntrack(input);
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
}
