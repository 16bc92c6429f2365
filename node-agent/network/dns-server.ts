// The node's DNS server for its pods: UDP and TCP on the pod network gateway, port 53, in the
// host's namespace. Cluster names are answered from the ServiceCache (dns-records.ts); every
// other query is relayed byte for byte to the host's resolvers (from /etc/resolv.conf, never to
// ourselves), UDP to UDP and TCP to TCP, trying the next resolver on timeout.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import type { Logger } from '../../common/log';
import { errorMessage } from '../../common/errors';
import { resolveQuestion, type ServiceLookup } from './dns-records';

export interface DnsServerOptions {
  address: string;
  /** 53 in production; 0 picks a free port (tests), the same for UDP and TCP. */
  port: number;
  domain: string;
  lookup: ServiceLookup;
  /** Resolvers for names outside the cluster ("ip" or "ip:port"). */
  upstreams: string[];
  log: Logger;
  forwardTimeoutMs?: number;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;
/** Classic DNS-over-UDP limit without EDNS. */
const UDP_LIMIT = 512;

/** Nameservers of a resolv.conf, without the addresses given (our own: never forward to ourselves). */
export function upstreamsFromResolvConf(text: string, exclude: string[]): string[] {
  return text
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((ip): ip is string => !!ip && net.isIPv4(ip) && !exclude.includes(ip));
}

const hostPort = (u: string): { host: string; port: number } => {
  const i = u.lastIndexOf(':');
  return i > 0 && net.isIPv4(u.slice(0, i)) ? { host: u.slice(0, i), port: Number(u.slice(i + 1)) } : { host: u, port: 53 };
};

/** Our answer to a query, or undefined to forward it. */
function answerQuery(req: DecodedPacket, domain: string, lookup: ServiceLookup, maxSize: number): Buffer | undefined {
  const q = req.questions?.[0];
  if (!q || req.type !== 'query') return undefined;
  const res = resolveQuestion(q, domain, lookup);
  if (res.kind === 'forward') return undefined;
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | ((req.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE | RCODE[res.rcode];
  const base = { type: 'response' as const, id: req.id, questions: [q] };
  const full = dnsPacket.encode({ ...base, flags, answers: res.answers, additionals: res.additionals });
  if (full.length <= maxSize) return full;
  // Too big for this transport: say so, and the client retries over TCP.
  return dnsPacket.encode({ ...base, flags: flags | dnsPacket.TRUNCATED_RESPONSE, answers: [] });
}

function servfail(req: DecodedPacket): Buffer | undefined {
  try {
    return dnsPacket.encode({ type: 'response', id: req.id, flags: dnsPacket.RECURSION_AVAILABLE | RCODE.SERVFAIL, questions: req.questions });
  } catch {
    return undefined;
  }
}

/** The UDP payload size the client accepts (EDNS0), at least 512. */
function udpLimit(req: DecodedPacket): number {
  const opt = req.additionals?.find((a) => a.type === 'OPT');
  return opt && 'udpPayloadSize' in opt ? Math.max(UDP_LIMIT, Math.min(4096, Number(opt.udpPayloadSize))) : UDP_LIMIT;
}

/** DNS over TCP: each message is prefixed by its 16-bit length. */
function tcpFrame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

/** The first whole length-prefixed message in buf, if it has arrived. */
function tcpUnframe(buf: Buffer): Buffer | undefined {
  return buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0) ? buf.subarray(2, 2 + buf.readUInt16BE(0)) : undefined;
}

export class DnsServer {
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  private readonly tcpSockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly opts: DnsServerOptions) {}

  async start(): Promise<void> {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.opts.port, this.opts.address, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    udp.on('error', (e) => this.opts.log.warn({ err: errorMessage(e) }, 'DNS UDP socket error'));
    udp.on('message', (msg, rinfo) => void this.onUdp(udp, msg, rinfo));
    this.udp = udp;
    this.port = udp.address().port;
    const tcp = net.createServer((s) => this.onTcp(s));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(this.port, this.opts.address, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      udp.close();
      this.udp = undefined;
      throw e;
    }
    this.tcp = tcp;
  }

  async stop(): Promise<void> {
    const udp = this.udp;
    this.udp = undefined;
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
    for (const s of this.tcpSockets) s.destroy();
    const tcp = this.tcp;
    this.tcp = undefined;
    if (tcp) await new Promise<void>((r) => tcp.close(() => r()));
  }

  private async onUdp(udp: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {
    const reply = await this.handle(msg, 'udp');
    if (reply && this.udp === udp) udp.send(reply, rinfo.port, rinfo.address);
  }

  private onTcp(socket: net.Socket): void {
    this.tcpSockets.add(socket);
    socket.on('close', () => this.tcpSockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(10_000, () => socket.destroy());
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      // A connection may carry several messages.
      for (let msg = tcpUnframe(buf); msg; msg = tcpUnframe(buf)) {
        buf = buf.subarray(2 + msg.length);
        void this.handle(msg, 'tcp').then((reply) => {
          if (reply && !socket.destroyed) socket.write(tcpFrame(reply));
        });
      }
    });
  }

  private async handle(msg: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let req: DecodedPacket;
    let local: Buffer | undefined;
    try {
      req = dnsPacket.decode(msg);
      local = answerQuery(req, this.opts.domain, this.opts.lookup, transport === 'udp' ? udpLimit(req) : 65_535);
    } catch {
      return undefined; // not a DNS message: drop it, as resolvers do
    }
    if (local) return local;
    try {
      return await this.forward(msg, transport);
    } catch (e) {
      this.opts.log.debug({ err: errorMessage(e) }, 'DNS forward failed');
      return servfail(req);
    }
  }

  /** Relays to each upstream in turn, over the query's own transport, until one answers. */
  private async forward(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer> {
    let last: unknown = new Error('no upstream DNS servers (/etc/resolv.conf)');
    for (const u of this.opts.upstreams) {
      try {
        return await (transport === 'udp' ? this.udpExchange(hostPort(u), query) : this.tcpExchange(hostPort(u), query));
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }

  private udpExchange(to: { host: string; port: number }, query: Buffer): Promise<Buffer> {
    const timeoutMs = this.opts.forwardTimeoutMs ?? 2000;
    return new Promise((resolve, reject) => {
      // A socket per query: a fresh random source port, and replies cannot be confused.
      const s = dgram.createSocket('udp4');
      const done = (err: Error | undefined, reply?: Buffer) => {
        clearTimeout(timer);
        s.close();
        if (err) reject(err);
        else resolve(reply!);
      };
      const timer = setTimeout(() => done(new Error(`DNS upstream ${to.host}:${to.port} timed out`)), timeoutMs);
      s.on('error', (e) => done(e));
      s.on('message', (reply, rinfo) => {
        if (rinfo.address === to.host && reply.length >= 2 && reply.readUInt16BE(0) === query.readUInt16BE(0)) done(undefined, reply);
      });
      s.send(query, to.port, to.host);
    });
  }

  private tcpExchange(to: { host: string; port: number }, query: Buffer): Promise<Buffer> {
    const timeoutMs = this.opts.forwardTimeoutMs ?? 2000;
    return new Promise((resolve, reject) => {
      const s = net.connect(to.port, to.host);
      let buf = Buffer.alloc(0);
      const done = (err: Error | undefined, reply?: Buffer) => {
        s.destroy();
        if (err) reject(err);
        else resolve(reply!);
      };
      s.setTimeout(timeoutMs, () => done(new Error(`DNS upstream ${to.host}:${to.port} timed out`)));
      s.on('error', (e) => done(e));
      s.on('connect', () => s.write(tcpFrame(query)));
      s.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        const reply = tcpUnframe(buf);
        if (reply) done(undefined, reply);
      });
      s.on('close', () => done(new Error(`DNS upstream ${to.host}:${to.port} closed the connection`)));
    });
  }
}
