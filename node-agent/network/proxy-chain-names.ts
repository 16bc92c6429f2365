// Names of the per-service and per-endpoint chains, as kube-proxy makes them: a prefix and the
// first 16 base32 characters of a SHA-256 over the service port name, protocol (and endpoint), so
// a name is the same after a restart and on every node, and fits iptables' 28-character limit.
import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 of the first 10 bytes: exactly 16 characters. */
function base32Of10(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < 10; i++) {
    value = (value << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** Names are recomputed on every sync: remember them (bounded, so churn cannot grow it forever). */
const memo = new Map<string, string>();
const MEMO_LIMIT = 100_000;

function hash16(s: string): string {
  let h = memo.get(s);
  if (h === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    h = base32Of10(createHash('sha256').update(s).digest());
    memo.set(s, h);
  }
  return h;
}

/** KITE-SVC-…: load-balances one service port over its endpoints. */
export const serviceChain = (portName: string, protocol: string) => `KITE-SVC-${hash16(portName + protocol.toLowerCase())}`;

/** KITE-EXT-…: traffic from outside (node ports, load-balancer addresses): masquerade, then the service. */
export const externalChain = (portName: string, protocol: string) => `KITE-EXT-${hash16(portName + protocol.toLowerCase())}`;

/** KITE-SEP-…: one endpoint of one service port ("ip:port"). */
export const endpointChain = (portName: string, protocol: string, endpoint: string) => `KITE-SEP-${hash16(portName + protocol.toLowerCase() + endpoint)}`;

/** Prefixes of the chains a sync creates per service; others with these prefixes are stale. */
export const PER_SERVICE_PREFIXES = ['KITE-SVC-', 'KITE-EXT-', 'KITE-SEP-'];
