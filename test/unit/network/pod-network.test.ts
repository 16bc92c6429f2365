import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import { LABELS, type ManagedContainer } from '../../../node-agent/executor/types';
import { PodNetwork } from '../../../node-agent/network/pod-network';

const pod = (uid: string, namespace = 'shop'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, namespace, uid }, spec: { containers: [] } });
const net = { pod_cidr: '10.244.7.0/24', cluster_cidr: '10.244.0.0/16', service_cidr: '10.96.0.0/12', cluster_domain: 'cluster.local' };
const flush = () => new Promise((r) => setImmediate(r));

describe('pod network (addresses only, as on hollow nodes)', () => {
  let clock: FakeClock;
  let pn: PodNetwork;
  beforeEach(() => {
    clock = new FakeClock();
    pn = new PodNetwork({ mode: 'addresses-only', nodeName: 'n1', log: silentLogger, clock, waitMs: 5000 });
  });

  it('makes pods wait for the pod CIDR, then places them with a fixed IP and the cluster DNS', async () => {
    let placed: Awaited<ReturnType<PodNetwork['placement']>> | 'pending' = 'pending';
    const p = pn.placement(pod('a')).then((x) => (placed = x));
    await flush();
    assert.equal(placed, 'pending', 'no pod CIDR yet: the pod waits');
    pn.welcomed();
    pn.configure(net);
    await p;
    assert.deepEqual(placed, {
      network: 'kite',
      ip: '10.244.7.2',
      dns: { servers: ['10.244.7.1'], search: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    });
    assert.equal((await pn.placement(pod('a')))!.ip, '10.244.7.2', 'the same pod keeps its address');
    assert.equal((await pn.placement(pod('b')))!.ip, '10.244.7.3');
  });

  it('fails the create (to be retried) when the CIDR does not come in time', async () => {
    const p = pn.placement(pod('a'));
    await flush();
    clock.advance(5000);
    await assert.rejects(p, /pod network not set up yet/);
  });

  it('uses the default bridge when the controller gives no pod network', async () => {
    pn.welcomed();
    await flush();
    assert.equal(await pn.placement(pod('a')), undefined);
  });

  it('says why when the controller gave this node no pod CIDR', async () => {
    pn.configure({ ...net, pod_cidr: '' });
    await assert.rejects(pn.placement(pod('a')), /no.* pod CIDR/);
  });

  it('keeps recovered pods\' addresses across an agent restart and releases removed pods\' ones', async () => {
    const adopted = { podUid: 'old', labels: { [LABELS.podIP]: '10.244.7.2' } } as unknown as ManagedContainer;
    pn.recover([adopted]);
    pn.configure(net);
    assert.equal((await pn.placement(pod('old')))!.ip, '10.244.7.2');
    assert.equal((await pn.placement(pod('new')))!.ip, '10.244.7.3');
    pn.release('old');
    assert.equal(pn.podIP('old'), undefined);
  });
});
