// The VXLAN backend, as flannel's: one device (VNI 1, UDP 4789, no learning) whose address is
// this node's pod network address /32; per peer a route to its pod subnet via its network
// address on the device (onlink), a permanent neighbour entry with the peer's VTEP MAC, and a
// forwarding entry sending that MAC to the peer's node address.
import type { CommandRunner } from './commands';
import { KITE_ROUTE_PROTO, type RouteBackend } from './backend';
import { addressAt, parseCidr } from './cidr';
import type { PeerRoute } from './route-plan';

export const VXLAN_DEVICE = 'kite.vx';
export const VXLAN_VNI = '1';
export const VXLAN_PORT = '4789';
/** 1500 minus the VXLAN encapsulation (50 bytes): the MTU of pods when VXLAN may carry them. */
export const VXLAN_MTU = 1450;

const networkAddress = (cidr: string) => addressAt(parseCidr(cidr), 0);

export class VxlanBackend implements RouteBackend {
  readonly kind = 'vxlan' as const;
  constructor(private readonly runner: CommandRunner) {}

  /** Whether the device exists. */
  async exists(): Promise<boolean> {
    try {
      await this.runner.run('ip', ['-o', 'link', 'show', 'dev', VXLAN_DEVICE]);
      return true;
    } catch {
      return false;
    }
  }

  /** Creates the device when missing, brings it up, and returns its MAC (the VTEP MAC peers need). */
  async ensureDevice(localAddress: string | undefined): Promise<string> {
    if (!(await this.exists())) {
      const local = localAddress ? ['local', localAddress] : [];
      await this.runner.run('ip', ['link', 'add', VXLAN_DEVICE, 'mtu', String(VXLAN_MTU), 'type', 'vxlan', 'id', VXLAN_VNI, ...local, 'dstport', VXLAN_PORT, 'nolearning']);
    }
    await this.runner.run('ip', ['link', 'set', VXLAN_DEVICE, 'up']);
    const out = await this.runner.run('ip', ['-o', 'link', 'show', 'dev', VXLAN_DEVICE]);
    const mac = /link\/ether\s+([0-9a-f:]{17})/i.exec(out)?.[1];
    if (!mac) throw new Error(`cannot read the MAC of ${VXLAN_DEVICE} from: ${out.trim()}`);
    return mac.toLowerCase();
  }

  /** Gives the device this node's pod network address (/32), dropping any other. */
  async setAddress(podCidr: string): Promise<void> {
    const want = `${networkAddress(podCidr)}/32`;
    const out = await this.runner.run('ip', ['-4', '-o', 'addr', 'show', 'dev', VXLAN_DEVICE]);
    const have = [...out.matchAll(/\sinet\s+(\S+)/g)].map((m) => m[1]!);
    for (const a of have) if (a !== want) await this.runner.run('ip', ['addr', 'del', a, 'dev', VXLAN_DEVICE]);
    if (!have.includes(want)) await this.runner.run('ip', ['addr', 'add', want, 'dev', VXLAN_DEVICE]);
  }

  async program(peers: PeerRoute[]): Promise<void> {
    const wantNeigh = new Map(peers.map((p) => [networkAddress(p.podCidr), p.vtepMac]));
    const wantFdb = new Map(peers.map((p) => [p.vtepMac, p.address]));
    for (const p of peers) {
      const gw = networkAddress(p.podCidr);
      await this.runner.run('ip', ['neigh', 'replace', gw, 'lladdr', p.vtepMac, 'dev', VXLAN_DEVICE, 'nud', 'permanent']);
      await this.runner.run('bridge', ['fdb', 'replace', p.vtepMac, 'dev', VXLAN_DEVICE, 'dst', p.address, 'self', 'permanent']);
      await this.runner.run('ip', ['route', 'replace', p.podCidr, 'via', gw, 'dev', VXLAN_DEVICE, 'onlink', 'proto', KITE_ROUTE_PROTO]);
    }
    // Peers that left (or moved to host-gw): their neighbour and forwarding entries go.
    const neigh = await this.runner.run('ip', ['-4', 'neigh', 'show', 'dev', VXLAN_DEVICE]);
    for (const line of neigh.split('\n')) {
      const ip = line.trim().split(/\s+/)[0];
      if (ip && !wantNeigh.has(ip)) await this.runner.run('ip', ['neigh', 'del', ip, 'dev', VXLAN_DEVICE]);
    }
    const fdb = await this.runner.run('bridge', ['fdb', 'show', 'dev', VXLAN_DEVICE]);
    for (const line of fdb.split('\n')) {
      const m = /^([0-9a-f:]{17})\s.*\bdst\s+(\S+)/i.exec(line.trim());
      if (!m) continue;
      const [, mac, dst] = m;
      if (wantFdb.get(mac!.toLowerCase()) !== dst) await this.runner.run('bridge', ['fdb', 'del', mac!, 'dev', VXLAN_DEVICE, 'dst', dst!, 'self']);
    }
  }

  async removeDevice(): Promise<boolean> {
    if (!(await this.exists())) return false;
    await this.runner.run('ip', ['link', 'del', VXLAN_DEVICE]);
    return true;
  }
}
