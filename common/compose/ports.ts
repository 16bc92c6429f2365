// Compose port mappings, every form: 80, "80", "8080:80", "127.0.0.1:8080:80/udp", "[::1]:80:80",
// "8000-8001:9000-9001", "9090-9091:8080" and the long syntax {target, published, host_ip, protocol}.
import { invalid } from '../errors';

export interface PortMapping {
  /** The container port. */
  target: number;
  /** The port published on the hosts; undefined: none chosen (Kite publishes the target port). */
  published?: number;
  hostIp?: string;
  protocol: 'TCP' | 'UDP';
  /** The long syntax's name. */
  name?: string;
}

function portNumber(s: string, spec: string): number {
  if (!/^\d+$/.test(s)) throw invalid(`port mapping "${spec}": "${s}" is not a port number`);
  const n = Number(s);
  if (n < 1 || n > 65535) throw invalid(`port mapping "${spec}": ${n} is not a port number (1-65535)`);
  return n;
}

/** "8000" -> [8000]; "8000-8002" -> [8000, 8001, 8002]. */
function portRange(s: string, spec: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(s);
  if (!m) return [portNumber(s, spec)];
  const from = portNumber(m[1]!, spec);
  const to = portNumber(m[2]!, spec);
  if (to < from) throw invalid(`port mapping "${spec}": the range ${s} ends before it starts`);
  if (to - from >= 1000) throw invalid(`port mapping "${spec}": the range ${s} has more than 1000 ports`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function protocolOf(s: string | undefined, spec: string): 'TCP' | 'UDP' {
  const p = (s ?? 'tcp').toLowerCase();
  if (p === 'tcp') return 'TCP';
  if (p === 'udp') return 'UDP';
  throw invalid(`port mapping "${spec}": protocol "${s}" is not supported (tcp or udp)`);
}

/** Pairs published with target ports: equal-length ranges pair up; one published range over one target... */
function pair(targets: number[], published: number[] | undefined, spec: string): { target: number; published?: number }[] {
  if (!published) return targets.map((target) => ({ target }));
  if (published.length === targets.length) return targets.map((target, i) => ({ target, published: published[i] }));
  if (targets.length === 1) {
    // "9090-9091:8080": Compose picks one free port of the range; Kite needs one, so the first.
    return [{ target: targets[0]!, published: published[0] }];
  }
  throw invalid(`port mapping "${spec}": the published range and the container range differ in length`);
}

function parseShort(spec: string): PortMapping[] {
  const [addrPorts, proto, extra] = spec.split('/');
  if (extra !== undefined) throw invalid(`port mapping "${spec}": more than one "/"`);
  const protocol = protocolOf(proto, spec);
  let rest = addrPorts ?? '';
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2]!;
  }
  const parts = rest.split(':');
  if (!hostIp && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || parts.length === 0) throw invalid(`port mapping "${spec}": expected [[IP:]PUBLISHED:]TARGET[/PROTOCOL]`);
  const target = parts.pop()!;
  const publishedPart = parts.pop();
  const published = publishedPart === undefined || publishedPart === '' ? undefined : portRange(publishedPart, spec);
  return pair(portRange(target, spec), published, spec).map((p) => ({ ...p, protocol, ...(hostIp ? { hostIp } : {}) }));
}

function parseLong(o: Record<string, unknown>): PortMapping[] {
  const spec = JSON.stringify(o);
  const target = portRange(String(o.target ?? ''), spec);
  const published = o.published === undefined || o.published === '' ? undefined : portRange(String(o.published), spec);
  const protocol = protocolOf(o.protocol === undefined ? undefined : String(o.protocol), spec);
  return pair(target, published, spec).map((p) => ({
    ...p,
    protocol,
    ...(o.host_ip ? { hostIp: String(o.host_ip) } : {}),
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
  }));
}

/** One `ports` entry -> the port mappings it stands for (a range stands for several). Throws `invalid`. */
export function parsePortSpec(entry: string | number | Record<string, unknown>): PortMapping[] {
  if (typeof entry === 'number') return parseShort(String(entry));
  if (typeof entry === 'string') return parseShort(entry.trim());
  return parseLong(entry);
}

/** An `expose` entry: "80", 80, "8000-8010", "53/udp". */
export function parseExpose(entry: string | number): { port: number; protocol: 'TCP' | 'UDP' }[] {
  const spec = String(entry);
  const [ports, proto] = spec.split('/');
  const protocol = protocolOf(proto, spec);
  return portRange(ports ?? '', spec).map((port) => ({ port, protocol }));
}
