import assert from 'node:assert/strict';
import { FakeClock } from '../../../common/clock';
import { createLogger } from '../../../common/log';
import { RecordingProxier } from '../../../node-agent/network/proxier';
import { ServiceNetwork, interfaceAddresses } from '../../../node-agent/network/service-network';
import { parseCidr } from '../../../node-agent/network/cidr';
import { endpoints, service } from './fixtures';
import * as dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { freePort } from '../../harness/ports';

const log = createLogger({ level: 'silent', name: 'svc-net-test' });
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};
const NET = { pod_cidr: '10.244.3.0/24', cluster_cidr: '10.244.0.0/16', service_cidr: '10.96.0.0/12', cluster_domain: 'cluster.local' };

describe('services on a node (composition)', () => {
  const make = () => {
    const clock = new FakeClock();
    const proxier = new RecordingProxier();
    const sn = new ServiceNetwork({ proxier, log, clock, dns: false, nodeAddress: '192.168.5.10' });
    return { clock, proxier, sn };
  };

  it('does not program anything before both the pod network and a full service list are known', async () => {
    const { clock, proxier, sn } = make();
    sn.apply(false, [service('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })], [], [], []);
    sn.configure(NET);
    clock.advance(1000);
    await settle();
    assert.equal(proxier.syncs, 0, 'an incremental update alone could wipe rules after an agent restart');
    sn.apply(true, [service('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })], [endpoints('web', ['10.244.3.4'], [{ port: 80 }])], [], []);
    clock.advance(0);
    await settle();
    assert.equal(proxier.syncs, 1);
    assert.equal(proxier.last?.localPodCIDR, '10.244.3.0/24');
    assert.deepEqual(proxier.last?.nodeAddresses, ['192.168.5.10']);
    assert.deepEqual(proxier.last?.ports.map((p) => [p.name, p.endpoints.map((e) => e.ip)]), [['default/web', ['10.244.3.4']]]);
    await sn.stop();
  });

  it('applies a readiness change within the minimum interval, coalescing a burst', async () => {
    const { clock, proxier, sn } = make();
    sn.configure(NET);
    sn.apply(true, [service('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })], [endpoints('web', ['10.244.3.4', '10.244.3.5'], [{ port: 80 }])], [], []);
    clock.advance(0);
    await settle();
    for (let i = 0; i < 5; i++) sn.apply(false, [], [endpoints('web', ['10.244.3.4'], [{ port: 80 }], { notReady: ['10.244.3.5'] })], [], []);
    clock.advance(50);
    await settle();
    assert.equal(proxier.syncs, 2);
    assert.deepEqual(proxier.last?.ports[0]?.endpoints.map((e) => e.ip), ['10.244.3.4']);
    await sn.stop();
  });

  it('serves DNS from its cache on the pod network gateway once configured', async () => {
    const port = await freePort('127.0.9.1');
    const sn = new ServiceNetwork({ proxier: new RecordingProxier(), log, dns: true, dnsPort: port, resolvConf: '/nonexistent', nodeAddress: '192.168.5.10' });
    sn.apply(true, [service('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })], [], [], []);
    // A loopback "pod CIDR" so the gateway (.1) is an address this test can bind.
    sn.configure({ ...NET, pod_cidr: '127.0.9.0/24', cluster_cidr: '127.0.0.0/8' });
    try {
      const answer = await new Promise<dnsPacket.DecodedPacket>((resolve, reject) => {
        const s = dgram.createSocket('udp4');
        const t = setTimeout(() => reject(new Error('no DNS answer')), 3000);
        s.on('message', (m) => {
          clearTimeout(t);
          s.close();
          resolve(dnsPacket.decode(m));
        });
        // The server starts asynchronously: ask until it answers.
        const ask = () => s.send(dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name: 'web.default.svc.cluster.local' }] }), port, '127.0.9.1');
        const again = setInterval(ask, 100);
        s.on('close', () => clearInterval(again));
        ask();
      });
      assert.deepEqual(answer.answers?.map((a) => (a.type === 'A' ? a.data : undefined)), ['10.96.0.10']);
      assert.equal(sn.dnsAddress, '127.0.9.1');
    } finally {
      await sn.stop();
    }
  });

  it('hands out the service variables of the pod\'s namespace only', () => {
    const { sn } = make();
    sn.apply(true, [service('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] }), service('other', { clusterIP: '10.96.0.11', ports: [{ port: 81 }] }, 'prod')], [], [], []);
    assert.equal(sn.serviceEnv('default').WEB_SERVICE_HOST, '10.96.0.10');
    assert.equal(sn.serviceEnv('default').OTHER_SERVICE_HOST, undefined);
    assert.equal(sn.serviceEnv('prod').OTHER_SERVICE_PORT, '81');
  });

  it('takes node addresses from real interfaces, not loopback, bridges or pod addresses', () => {
    const info = (address: string, internal = false) => ({ address, internal, family: 'IPv4' as const, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` });
    const got = interfaceAddresses({ lo: [info('127.0.0.1', true)], eth0: [info('192.168.5.10')], docker0: [info('172.17.0.1')], kite0: [info('10.244.3.1')], 'kite.vx': [info('10.244.3.0')] }, parseCidr('10.244.0.0/16'));
    assert.deepEqual(got, ['192.168.5.10']);
  });
});
