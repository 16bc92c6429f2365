import assert from 'node:assert/strict';
import { isDirectRoute, planRoutes } from '../../../node-agent/network/route-plan';

const peer = (node: string, address: string, pod_cidr: string, vtep_mac = '') => ({ node, address, pod_cidr, vtep_mac });
const peers = [
  peer('a', '10.1.0.10', '10.244.0.0/24', 'AA:00:00:00:00:0A'),
  peer('b', '10.1.0.11', '10.244.1.0/24', 'aa:00:00:00:00:0b'),
  peer('c', '10.2.0.12', '10.244.2.0/24', 'aa:00:00:00:00:0c'),
];
const sameL2 = (a: string) => a.startsWith('10.1.');

describe('route plan per peer', () => {
  it('uses host-gw for peers on this L2 segment and VXLAN for the others, never a route to itself', () => {
    const plan = planRoutes({ selfNode: 'a', selfPodCidr: '10.244.0.0/24', peers, sameL2, forceVxlan: false });
    assert.deepEqual(plan.routes, [
      { node: 'b', address: '10.1.0.11', podCidr: '10.244.1.0/24', backend: 'host-gw', vtepMac: '' },
      { node: 'c', address: '10.2.0.12', podCidr: '10.244.2.0/24', backend: 'vxlan', vtepMac: 'aa:00:00:00:00:0c' },
    ]);
    assert.deepEqual(plan.skipped, []);
  });

  it('uses VXLAN for every peer when forced', () => {
    const plan = planRoutes({ selfNode: 'c', selfPodCidr: '10.244.2.0/24', peers, sameL2, forceVxlan: true });
    assert.deepEqual(plan.routes.map((r) => [r.node, r.backend, r.vtepMac]), [
      ['a', 'vxlan', 'aa:00:00:00:00:0a'],
      ['b', 'vxlan', 'aa:00:00:00:00:0b'],
    ]);
  });

  it('skips peers it cannot route, saying why', () => {
    const plan = planRoutes({
      selfNode: 'a',
      selfPodCidr: '10.244.0.0/24',
      peers: [
        peer('nocidr', '10.1.0.20', ''),
        peer('far-nomac', '10.9.0.1', '10.244.5.0/24'),
        peer('dup', '10.1.0.21', '10.244.0.0/24'),
        peer('bad', '10.1.0.22', 'nonsense'),
        peer('unknown-l2', '10.7.0.1', '10.244.6.0/24'),
      ],
      sameL2,
      forceVxlan: false,
    });
    assert.deepEqual(plan.routes, []);
    assert.deepEqual(plan.skipped.map((s) => s.node).sort(), ['bad', 'dup', 'far-nomac', 'nocidr', 'unknown-l2']);
    assert.match(plan.skipped.find((s) => s.node === 'far-nomac')!.reason, /no VTEP MAC/);
  });

  it('a peer moving off this L2 segment moves to VXLAN', () => {
    const first = planRoutes({ selfNode: 'a', selfPodCidr: '10.244.0.0/24', peers, sameL2: () => true, forceVxlan: false });
    const later = planRoutes({ selfNode: 'a', selfPodCidr: '10.244.0.0/24', peers, sameL2: () => false, forceVxlan: false });
    assert.deepEqual(first.routes.map((r) => r.backend), ['host-gw', 'host-gw']);
    assert.deepEqual(later.routes.map((r) => r.backend), ['vxlan', 'vxlan']);
  });

  it('reads `ip route get`: a gateway on the way means another L2 segment', () => {
    assert.equal(isDirectRoute('10.1.0.11 dev eth0 src 10.1.0.10 uid 0 \n    cache \n'), true);
    assert.equal(isDirectRoute('10.2.0.12 via 10.1.0.1 dev eth0 src 10.1.0.10 uid 0 \n    cache \n'), false);
    assert.equal(isDirectRoute(''), false);
  });
});
