import assert from 'node:assert/strict';
import { isKiteError } from '../../../common/errors';
import { cidrContains, cidrSize, cidrsOverlap, formatCidr, formatIPv4, nthAddress, offsetOf, parseCidr, parseIPv4, subnet24, subnet24Count } from '../../../controller/network/ipv4';
import { networkPlan } from '../../../controller/network/network-config';

const cidr = (s: string) => parseCidr(s, 'test');

describe('IPv4 ranges', () => {
  it('parses addresses and prints them back; refuses what is not a dotted quad', () => {
    assert.equal(formatIPv4(parseIPv4('10.244.3.7')!), '10.244.3.7');
    assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
    for (const bad of ['10.244.3', '10.244.3.256', '::1', 'web', '']) assert.equal(parseIPv4(bad), undefined, bad);
  });

  it('parses a CIDR into its network and size', () => {
    const c = cidr('10.96.0.0/12');
    assert.equal(formatCidr(c), '10.96.0.0/12');
    assert.equal(cidrSize(c), 2 ** 20);
    assert.equal(cidrSize(cidr('0.0.0.0/0')), 2 ** 32);
  });

  it('refuses host bits, IPv6 and garbage with the name of the value', () => {
    assert.throws(() => cidr('10.244.1.0/16'), (e: unknown) => isKiteError(e, 'Invalid') && /test "10.244.1.0\/16" has host bits set; did you mean 10.244.0.0\/16/.test(e.message));
    assert.throws(() => cidr('fd00::/108'), /only IPv4 is supported/);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/x', 'ten/8']) assert.throws(() => cidr(bad), /not a valid IPv4 CIDR/, bad);
  });

  it('knows containment and overlap at the edges of a range', () => {
    const c = cidr('10.244.0.0/16');
    assert.ok(cidrContains(c, parseIPv4('10.244.0.0')!));
    assert.ok(cidrContains(c, parseIPv4('10.244.255.255')!));
    assert.ok(!cidrContains(c, parseIPv4('10.245.0.0')!));
    assert.ok(!cidrContains(c, parseIPv4('10.243.255.255')!));
    assert.ok(cidrsOverlap(c, cidr('10.244.7.0/24')), 'a subnet overlaps its range');
    assert.ok(cidrsOverlap(cidr('10.0.0.0/8'), c), 'a range overlaps what it contains');
    assert.ok(!cidrsOverlap(c, cidr('10.96.0.0/12')));
    assert.ok(!cidrsOverlap(cidr('10.244.0.0/24'), cidr('10.244.1.0/24')), 'neighbours do not overlap');
  });

  it('gives the nth address and the offset of an address', () => {
    const c = cidr('10.96.0.0/12');
    assert.equal(formatIPv4(nthAddress(c, 1)), '10.96.0.1');
    assert.equal(formatIPv4(nthAddress(c, 256)), '10.96.1.0');
    assert.equal(formatIPv4(nthAddress(c, cidrSize(c) - 1)), '10.111.255.255');
    assert.throws(() => nthAddress(c, cidrSize(c)), /outside/);
    assert.equal(offsetOf(c, parseIPv4('10.96.1.0')!), 256);
    assert.equal(offsetOf(c, parseIPv4('10.112.0.0')!), undefined);
  });

  it('splits a range into /24 subnets', () => {
    const c = cidr('10.244.0.0/16');
    assert.equal(subnet24Count(c), 256);
    assert.equal(formatCidr(subnet24(c, 0)), '10.244.0.0/24');
    assert.equal(formatCidr(subnet24(c, 255)), '10.244.255.0/24');
    assert.throws(() => subnet24(c, 256), /outside/);
    assert.equal(subnet24Count(cidr('10.0.0.0/24')), 1);
    assert.equal(subnet24Count(cidr('10.0.0.0/25')), 0);
  });
});

describe('network plan (--cluster-cidr, --service-cidr)', () => {
  it('takes the Kubernetes defaults', () => {
    assert.deepEqual(networkPlan().config, { clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', clusterDomain: 'cluster.local' });
  });

  it('refuses overlapping ranges naming both flags', () => {
    assert.throws(() => networkPlan('10.96.0.0/16', '10.96.0.0/12'), /--cluster-cidr 10.96.0.0\/16 and --service-cidr 10.96.0.0\/12 overlap/);
  });

  it('refuses a cluster CIDR smaller than a /24, IPv6, and invalid text', () => {
    assert.throws(() => networkPlan('10.244.0.0/25'), /--cluster-cidr 10.244.0.0\/25 is smaller than a \/24/);
    assert.throws(() => networkPlan(undefined, 'fd00::/108'), /--service-cidr "fd00::\/108" is an IPv6 range; only IPv4 is supported/);
    assert.throws(() => networkPlan('10.244.0.0'), /--cluster-cidr "10.244.0.0" is not a valid IPv4 CIDR/);
    assert.throws(() => networkPlan(undefined, '10.96.0.0/31'), /--service-cidr 10.96.0.0\/31 is too small/);
  });

  it('accepts a /24 cluster CIDR (one node)', () => {
    assert.equal(networkPlan('192.168.5.0/24', '10.96.0.0/12').config.clusterCIDR, '192.168.5.0/24');
  });
});
