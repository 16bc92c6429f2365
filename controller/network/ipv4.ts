// IPv4 addresses and CIDR ranges as 32-bit numbers: parsing (through ipaddr.js, which knows every
// odd spelling of an address), containment, overlap, the nth address of a range and its /24
// subnets. Only IPv4: Kite's pod network and service ranges are IPv4-only.
import ipaddr from 'ipaddr.js';
import { invalid } from '../../common/errors';

/** A CIDR range: its network address (host bits zero) and prefix length. */
export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

/** How many addresses a range holds (2^(32-prefix)). */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** "a.b.c.d/n" in canonical form (network address, not whatever host bits were written). */
export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The address as a number, or undefined when it is not a dotted-quad IPv4 address. */
export function parseIPv4(text: string): number | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  const bytes = ipaddr.IPv4.parse(text).toByteArray();
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/**
 * Parses "a.b.c.d/n". Host bits must be zero ("10.244.1.0/16" is refused: it almost always means a
 * typo). `what` names the value in errors ("--cluster-cidr").
 */
export function parseCidr(text: string, what: string): Cidr {
  const trimmed = text.trim();
  if (ipaddr.IPv6.isValidCIDR(trimmed) || ipaddr.IPv6.isValid(trimmed)) {
    throw invalid(`${what} "${text}" is an IPv6 range; only IPv4 is supported`);
  }
  const slash = trimmed.indexOf('/');
  const addr = slash < 0 ? undefined : parseIPv4(trimmed.slice(0, slash));
  const prefixText = slash < 0 ? '' : trimmed.slice(slash + 1);
  const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (addr === undefined || !(prefix >= 0 && prefix <= 32)) {
    throw invalid(`${what} "${text}" is not a valid IPv4 CIDR (expected a.b.c.d/n, e.g. 10.244.0.0/16)`);
  }
  const base = networkOf(addr, prefix);
  if (base !== addr) throw invalid(`${what} "${text}" has host bits set; did you mean ${formatCidr({ base, prefix })}?`);
  return { base, prefix };
}

function networkOf(addr: number, prefix: number): number {
  if (prefix === 0) return 0;
  return (addr & (~0 << (32 - prefix))) >>> 0;
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return networkOf(ip, c.prefix) === c.base;
}

/** Two ranges overlap exactly when one contains the other's network address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b.base) || cidrContains(b, a.base);
}

/** The address at offset n within the range (0 is the network address). */
export function nthAddress(c: Cidr, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= cidrSize(c)) throw invalid(`offset ${n} is outside ${formatCidr(c)}`);
  return (c.base + n) >>> 0;
}

/** The offset of an address within the range, or undefined when it lies outside. */
export function offsetOf(c: Cidr, ip: number): number | undefined {
  return cidrContains(c, ip) ? ip - c.base : undefined;
}

/** How many /24 subnets the range splits into (0 when it is smaller than a /24). */
export function subnet24Count(c: Cidr): number {
  return c.prefix > 24 ? 0 : 2 ** (24 - c.prefix);
}

/** The i-th /24 subnet of the range. */
export function subnet24(c: Cidr, i: number): Cidr {
  if (!Number.isInteger(i) || i < 0 || i >= subnet24Count(c)) throw invalid(`subnet ${i} is outside ${formatCidr(c)}`);
  return { base: (c.base + i * 256) >>> 0, prefix: 24 };
}
