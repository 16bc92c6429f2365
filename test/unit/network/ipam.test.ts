import assert from 'node:assert/strict';
import { PodIpAllocator } from '../../../node-agent/network/ipam';

describe('pod IP allocation', () => {
  it('hands out .2 up, one address per pod, the same one when asked again', () => {
    const a = new PodIpAllocator();
    a.setCidr('10.244.3.0/24');
    assert.equal(a.allocate('p1'), '10.244.3.2');
    assert.equal(a.allocate('p2'), '10.244.3.3');
    assert.equal(a.allocate('p1'), '10.244.3.2');
  });

  it('goes round-robin: a released address is not reused at once', () => {
    const a = new PodIpAllocator();
    a.setCidr('10.244.3.0/24');
    a.allocate('p1');
    a.release('p1');
    assert.equal(a.allocate('p2'), '10.244.3.3');
  });

  it('never gives the network, gateway or broadcast address, and says when the subnet is full', () => {
    const a = new PodIpAllocator();
    a.setCidr('10.0.0.0/29'); // .2 to .6 usable
    const got = ['a', 'b', 'c', 'd', 'e'].map((u) => a.allocate(u));
    assert.deepEqual(got, ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    assert.throws(() => a.allocate('f'), /no free address/);
    a.release('c');
    assert.equal(a.allocate('f'), '10.0.0.4');
  });

  it('keeps recovered addresses (reserved before the CIDR is known) and skips them when allocating', () => {
    const a = new PodIpAllocator();
    assert.ok(a.reserve('old', '10.244.3.2'));
    assert.ok(!a.reserve('other', '10.244.3.2'), 'an address has one holder');
    assert.deepEqual(a.setCidr('10.244.3.0/24'), []);
    assert.equal(a.get('old'), '10.244.3.2');
    assert.equal(a.allocate('new'), '10.244.3.3');
  });

  it('drops reservations outside a new CIDR and refuses them afterwards', () => {
    const a = new PodIpAllocator();
    a.reserve('old', '10.244.9.7');
    assert.deepEqual(a.setCidr('10.244.3.0/24'), ['old']);
    assert.equal(a.get('old'), undefined);
    assert.ok(!a.reserve('x', '10.244.4.2'));
    assert.ok(!a.reserve('x', '10.244.3.1'), 'the gateway is not a pod address');
  });

  it('cannot allocate before it has a CIDR', () => {
    assert.throws(() => new PodIpAllocator().allocate('p'), /no pod CIDR/);
  });
});
