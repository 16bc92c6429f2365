import assert from 'node:assert/strict';
import { portsWithoutHairpin } from '../../../node-agent/network/hairpin';

describe('hairpin on the pod bridge', () => {
  it('finds the pod bridge ports whose hairpin mode is off', () => {
    const out = [
      '12: veth1a@if11: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 master kite0 state forwarding priority 32 cost 2 ',
      '    hairpin off guard off root_block off fastleave off learning on flood on ',
      '14: veth2b@if13: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 master kite0 state forwarding priority 32 cost 2 ',
      '    hairpin on guard off root_block off fastleave off learning on flood on ',
      '16: veth3c@if15: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master docker0 state forwarding priority 32 cost 2 ',
      '    hairpin off guard off root_block off ',
      '18: veth4d@if17: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 master kite0 state forwarding priority 32 cost 2 ',
      '    hairpin off guard off ',
    ].join('\n');
    assert.deepEqual(portsWithoutHairpin(out, 'kite0'), ['veth1a', 'veth4d']);
  });
});
