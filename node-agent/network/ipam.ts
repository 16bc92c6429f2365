// Pod IP addresses of this node: one per pod (by uid) for the pod's whole life, taken from the
// node's pod CIDR from .2 up (.1 is the gateway, the last address is broadcast). Allocation goes
// round-robin, as the host-local CNI plugin does, so a freed address is not handed straight to
// the next pod while peers may still hold conntrack or ARP entries for the old one.
import { unavailable } from '../../common/errors';
import { addressAt, offsetOf, parseCidr, type Cidr } from './cidr';

export class PodIpAllocator {
  private cidr: Cidr | undefined;
  private readonly byPod = new Map<string, string>();
  private readonly byIp = new Map<string, string>();
  /** Offset of the last address handed out; the next search starts after it. */
  private last = 1;

  /**
   * Sets the subnet. Reservations outside it are dropped and returned (a node given a new CIDR:
   * those pods get a new address when their container is next created).
   */
  setCidr(text: string): string[] {
    const cidr = parseCidr(text);
    this.cidr = cidr;
    const dropped: string[] = [];
    for (const [uid, ip] of this.byPod) {
      const off = offsetOf(cidr, ip);
      if (off === undefined || off < 2 || off >= cidr.size - 1) {
        this.release(uid);
        dropped.push(uid);
      }
    }
    return dropped;
  }

  get subnet(): string | undefined {
    return this.cidr?.text;
  }

  /** Records an address a pod already has (recovered from its containers); first claim wins. */
  reserve(uid: string, ip: string): boolean {
    const holder = this.byIp.get(ip);
    if (holder !== undefined) return holder === uid;
    if (this.cidr) {
      const off = offsetOf(this.cidr, ip);
      if (off === undefined || off < 2 || off >= this.cidr.size - 1) return false;
    }
    this.release(uid);
    this.byPod.set(uid, ip);
    this.byIp.set(ip, uid);
    return true;
  }

  /** The pod's address, allocating one the first time. Throws Unavailable when the subnet is full. */
  allocate(uid: string): string {
    const have = this.byPod.get(uid);
    if (have) return have;
    const cidr = this.cidr;
    if (!cidr) throw unavailable('no pod CIDR yet: cannot give a pod an address');
    const usable = cidr.size - 3; // network, gateway, broadcast
    for (let i = 1; i <= usable; i++) {
      const off = 2 + ((this.last - 2 + i) % usable);
      const ip = addressAt(cidr, off);
      if (this.byIp.has(ip)) continue;
      this.last = off;
      this.byPod.set(uid, ip);
      this.byIp.set(ip, uid);
      return ip;
    }
    throw unavailable(`pod CIDR ${cidr.text} has no free address`);
  }

  get(uid: string): string | undefined {
    return this.byPod.get(uid);
  }

  release(uid: string): void {
    const ip = this.byPod.get(uid);
    if (ip === undefined) return;
    this.byPod.delete(uid);
    this.byIp.delete(ip);
  }

  get size(): number {
    return this.byPod.size;
  }
}
