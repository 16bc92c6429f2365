import assert from 'node:assert/strict';
import { FakeClock } from '../../../common/clock';
import { createLogger } from '../../../common/log';
import { CommandError, type CommandRunner, type RunOptions } from '../../../node-agent/network/commands';
import { IptablesProxier } from '../../../node-agent/network/iptables-proxier';
import { serviceChain } from '../../../node-agent/network/proxy-chain-names';
import { servicePorts } from '../../../node-agent/network/service-ports';
import type { Endpoints } from '../../../common/api/types';
import { byKey, endpoints, service } from './fixtures';

const log = createLogger({ level: 'silent', name: 'proxier-test' });

/** Records commands; iptables-save shows an empty machine; restores fail while `failRestore` is set. */
class FakeRunner implements CommandRunner {
  calls: { cmd: string; args: string[]; input?: string }[] = [];
  failRestore = false;
  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
    this.calls.push({ cmd, args, input: opts.input });
    if (cmd === 'iptables-restore' && this.failRestore) return Promise.reject(new CommandError('iptables-restore', 1, 'line 3 failed'));
    if (cmd === 'iptables-save') return Promise.resolve('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
    return Promise.resolve('');
  }
  commands(): string[] {
    const out = this.calls.map((c) => c.cmd);
    this.calls = [];
    return out;
  }
}

const dns = service('dns', { clusterIP: '10.96.0.53', ports: [{ port: 53, protocol: 'UDP' }] });
const input = (eps: Endpoints[]) => ({ ports: servicePorts([dns], byKey(eps)), nodeAddresses: ['192.168.1.10'], localPodCIDR: '10.244.1.0/24' });

describe('iptables proxier', () => {
  it('reads the tables back only on full syncs; a change in between costs one restore', async () => {
    const runner = new FakeRunner();
    const clock = new FakeClock();
    const p = new IptablesProxier({ runner, log, clock, fullSyncMs: 10_000, routeLocalnet: false });
    await p.sync(input([endpoints('dns', ['10.244.1.2', '10.244.1.3'], [{ port: 53, protocol: 'UDP' }])]));
    assert.deepEqual(runner.commands(), ['iptables-save', 'iptables-restore']);
    clock.advance(1000);
    await p.sync(input([endpoints('dns', ['10.244.1.3'], [{ port: 53, protocol: 'UDP' }])]));
    const [restore, ...rest] = runner.calls;
    assert.deepEqual([restore!.cmd, ...restore!.args], ['iptables-restore', '--noflush', '-w', '5']);
    // The endpoint chain written last time is deleted without reading the tables.
    assert.match(restore!.input!, /^-X KITE-SEP-/m);
    assert.ok(restore!.input!.includes(`:${serviceChain('default/dns', 'UDP')} - [0:0]`));
    // ... and its UDP flows are cut.
    assert.deepEqual(rest.map((c) => [c.cmd, ...c.args]), [['conntrack', '-D', '-p', 'udp', '--orig-dst', '10.96.0.53', '--dst-nat', '10.244.1.2']]);
    runner.commands();
    clock.advance(10_000);
    await p.sync(input([endpoints('dns', ['10.244.1.3'], [{ port: 53, protocol: 'UDP' }])]));
    assert.deepEqual(runner.commands(), ['iptables-save', 'iptables-restore']);
  });

  it('reads the tables again after a failed restore', async () => {
    const runner = new FakeRunner();
    const p = new IptablesProxier({ runner, log, clock: new FakeClock(), routeLocalnet: false });
    const eps = [endpoints('dns', ['10.244.1.2'], [{ port: 53, protocol: 'UDP' }])];
    await p.sync(input(eps));
    runner.commands();
    runner.failRestore = true;
    await assert.rejects(p.sync(input(eps)), /line 3 failed/);
    runner.failRestore = false;
    runner.commands();
    await p.sync(input(eps));
    assert.deepEqual(runner.commands(), ['iptables-save', 'iptables-restore']);
  });
});
