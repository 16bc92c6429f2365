// IPv4 CIDR arithmetic for the pod network: parsing, the n-th address, membership.
import { invalid } from '../../common/errors';

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  /** Addresses in the block (including network and broadcast). */
  size: number;
  text: string;
}

export function ipToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw invalid(`"${ip}" is not an IPv4 address`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw invalid(`"${ip}" is not an IPv4 address`);
    n = n * 256 + Number(p);
  }
  return n;
}

export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(text: string): Cidr {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m || Number(m[2]) > 32) throw invalid(`"${text}" is not an IPv4 CIDR (a.b.c.d/n)`);
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  const base = ipToNumber(m[1]!) - (ipToNumber(m[1]!) % size);
  return { base, prefix, size, text: `${numberToIp(base)}/${prefix}` };
}

/** The address `offset` places into the block (0 is the network address). */
export function addressAt(c: Cidr, offset: number): string {
  if (offset < 0 || offset >= c.size) throw invalid(`offset ${offset} is outside ${c.text}`);
  return numberToIp(c.base + offset);
}

export function offsetOf(c: Cidr, ip: string): number | undefined {
  const off = ipToNumber(ip) - c.base;
  return off >= 0 && off < c.size ? off : undefined;
}

export const contains = (c: Cidr, ip: string): boolean => offsetOf(c, ip) !== undefined;

/** The gateway of a pod subnet: its first usable address (.1). */
export const gatewayOf = (c: Cidr): string => addressAt(c, 1);
