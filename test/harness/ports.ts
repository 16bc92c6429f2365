import * as fs from 'node:fs';
import * as net from 'node:net';

/**
 * Ports are picked below the kernel's ephemeral range: a port released by this check and bound a
 * moment later by a child process must not meanwhile become the source port of some outgoing
 * connection (every gRPC and etcd client takes those from the ephemeral range), which made an
 * agent fail with EADDRINUSE now and then. Ports already handed out by this process are not
 * handed out again.
 */
const handedOut = new Set<number>();

function ephemeralLow(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low && low > 12000 ? low : 32768;
  } catch {
    return 32768;
  }
}

const RANGE_HIGH = ephemeralLow();
const RANGE_LOW = RANGE_HIGH - 10000;

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** A free TCP port on loopback, below the ephemeral range, not handed out before by this process. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = RANGE_LOW + Math.floor(Math.random() * (RANGE_HIGH - RANGE_LOW));
    if (handedOut.has(port)) continue;
    if (await canListen(port, host)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found between ${RANGE_LOW} and ${RANGE_HIGH} on ${host}`);
}
