// Service addresses around the API's writes, as Kubernetes' service registry does: a create takes
// a cluster IP (unless headless) and, for NodePort and LoadBalancer services, a node port per port;
// an update takes what the change adds and gives back what it drops; a delete gives everything
// back. Whatever a failed write took is given back at once.
import type { KObject, Service } from '../../common/api/types';
import { previousNodePort, usesNodePorts } from '../../common/kinds/service';
import { errorMessage, invalid } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { ObjectWrite, WriteHooks } from '../api/write-hooks';
import type { AllocationPool } from './allocation-pool';
import { type NodePortAllocator, type ServiceIPAllocator, holderName, serviceHolder } from './service-addresses';

interface Taken {
  pool: AllocationPool;
  item: string;
}

function nodePortsOf(svc: Service | undefined): number[] {
  if (!svc || !usesNodePorts(svc)) return [];
  return (svc.spec.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : []));
}

const hasIP = (ip: string | undefined): ip is string => !!ip && ip !== 'None';

export class ServiceAdmission implements WriteHooks {
  constructor(
    private readonly ips: ServiceIPAllocator,
    private readonly ports: NodePortAllocator,
    private readonly log: Logger,
  ) {}

  async check(current: KObject | undefined, next: KObject): Promise<string[]> {
    if (next.kind !== 'Service') return [];
    const svc = next as Service;
    const cur = current as Service | undefined;
    const holder = cur ? serviceHolder(cur) : undefined;
    const problems: string[] = [];
    const ip = svc.spec.clusterIP;
    if (ip === 'None' && usesNodePorts(svc)) problems.push(`spec.clusterIP: Invalid value: "None": may not be set to 'None' for ${svc.spec.type} services`);
    if (hasIP(ip) && ip !== cur?.spec.clusterIP) {
      const outside = this.ips.rangeProblem(ip);
      if (outside) problems.push(outside);
      else if (!(await this.isFree(this.ips.pool, ip, holder))) problems.push(ipTaken(ip));
    }
    if (usesNodePorts(svc)) {
      const mine = new Set(nodePortsOf(cur));
      const seen = new Map<number, string>();
      for (const [i, p] of (svc.spec.ports ?? []).entries()) {
        if (!p.nodePort) continue;
        const proto = p.protocol ?? 'TCP';
        if (seen.get(p.nodePort) === proto) problems.push(`spec.ports[${i}].nodePort: Duplicate value: ${p.nodePort}`);
        seen.set(p.nodePort, proto);
        if (mine.has(p.nodePort)) continue;
        const claim = await this.ports.pool.get(String(p.nodePort));
        if (claim && claim.holder !== holder) problems.push(portTaken(i, p.nodePort, claim.holder));
      }
    }
    return problems;
  }

  async create(obj: KObject, write: ObjectWrite): Promise<KObject> {
    if (obj.kind !== 'Service') return write(obj);
    const svc = structuredClone(obj) as Service;
    // The uid comes with the write: until then the allocations name the service without it.
    const pending = serviceHolder(svc, false);
    const taken: Taken[] = [];
    let created: Service;
    try {
      await this.assign(svc, undefined, pending, taken);
      created = (await write(svc)) as Service;
    } catch (e) {
      await this.giveBack(taken, pending);
      throw e;
    }
    const holder = serviceHolder(created);
    await Promise.all(taken.map((t) => t.pool.transfer(t.item, pending, holder))).catch((e: unknown) =>
      // The repair sweep records the uid later; the addresses are held either way.
      this.log.warn({ service: holderName(holder), err: errorMessage(e) }, 'could not record the new service uid on its allocations'),
    );
    return created;
  }

  async update(current: KObject, next: KObject, write: ObjectWrite): Promise<KObject> {
    if (next.kind !== 'Service') return write(next);
    const cur = current as Service;
    const svc = structuredClone(next) as Service;
    const holder = serviceHolder(cur);
    const taken: Taken[] = [];
    let written: Service;
    try {
      await this.assign(svc, cur, holder, taken);
      written = (await write(svc)) as Service;
    } catch (e) {
      await this.giveBack(taken, holder);
      throw e;
    }
    const kept = new Set(nodePortsOf(written));
    const dropped = nodePortsOf(cur).filter((p) => !kept.has(p));
    await Promise.all(dropped.map((p) => this.ports.pool.release(String(p), holder))).catch((e: unknown) =>
      this.log.warn({ service: holderName(holder), err: errorMessage(e) }, 'could not release node ports; the repair sweep will'),
    );
    return written;
  }

  async removed(obj: KObject): Promise<void> {
    if (obj.kind !== 'Service') return;
    const svc = obj as Service;
    const holder = serviceHolder(svc);
    const releases = nodePortsOf(svc).map((p) => this.ports.pool.release(String(p), holder));
    if (hasIP(svc.spec.clusterIP)) releases.push(this.ips.pool.release(svc.spec.clusterIP, holder));
    await Promise.all(releases);
  }

  /** Fills in and claims the cluster IP and node ports `svc` needs beyond what `current` holds. */
  private async assign(svc: Service, current: Service | undefined, holder: string, taken: Taken[]): Promise<void> {
    const problems = await this.check(current, svc);
    if (problems.length) throw invalid(`Service "${svc.metadata.name}" is invalid: ${problems[0]}`, problems);
    const spec = svc.spec;
    if (spec.clusterIP !== 'None') {
      if (!spec.clusterIP) {
        spec.clusterIP = await this.ips.allocate(holder);
        taken.push({ pool: this.ips.pool, item: spec.clusterIP });
      } else if (spec.clusterIP !== current?.spec.clusterIP) {
        if (!(await this.ips.pool.claim(spec.clusterIP, holder))) throw invalid(ipTaken(spec.clusterIP));
        taken.push({ pool: this.ips.pool, item: spec.clusterIP });
      }
    }
    const ports = spec.ports ?? [];
    if (!usesNodePorts(svc)) {
      for (const p of ports) delete p.nodePort;
      return;
    }
    const held = new Set(nodePortsOf(current));
    const requested = new Set(ports.flatMap((p) => (p.nodePort ? [p.nodePort] : [])));
    for (const p of ports) {
      if (p.nodePort) continue;
      const before = previousNodePort(current, p);
      if (before !== undefined && !requested.has(before)) {
        p.nodePort = before;
        requested.add(before);
      }
    }
    const claimedNow = new Set<number>();
    for (const [i, p] of ports.entries()) {
      if (p.nodePort) {
        if (held.has(p.nodePort) || claimedNow.has(p.nodePort)) continue;
        if (!(await this.ports.pool.claim(String(p.nodePort), holder))) {
          const claim = await this.ports.pool.get(String(p.nodePort));
          throw invalid(portTaken(i, p.nodePort, claim?.holder ?? 'another service'));
        }
      } else {
        p.nodePort = await this.ports.allocate(holder);
      }
      claimedNow.add(p.nodePort);
      taken.push({ pool: this.ports.pool, item: String(p.nodePort) });
    }
  }

  private async giveBack(taken: readonly Taken[], holder: string): Promise<void> {
    await Promise.all(taken.map((t) => t.pool.release(t.item, holder))).catch((e: unknown) =>
      this.log.warn({ service: holderName(holder), err: errorMessage(e) }, 'could not give back addresses of a failed write; the repair sweep will'),
    );
  }

  private async isFree(pool: AllocationPool, item: string, holder: string | undefined): Promise<boolean> {
    const claim = await pool.get(item);
    return !claim || claim.holder === holder;
  }
}

function ipTaken(ip: string): string {
  return `spec.clusterIP: Invalid value: "${ip}": provided IP is already allocated`;
}

function portTaken(index: number, port: number, holder: string): string {
  return `spec.ports[${index}].nodePort: Invalid value: ${port}: provided port is already allocated (by service ${holderName(holder)})`;
}
