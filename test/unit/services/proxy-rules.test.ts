import assert from 'node:assert/strict';
import { buildProxyRules, probability, type ProxyRules } from '../../../node-agent/network/proxy-rules';
import { endpointChain, externalChain, serviceChain } from '../../../node-agent/network/proxy-chain-names';
import { servicePorts } from '../../../node-agent/network/service-ports';
import type { Endpoints, Service } from '../../../common/api/types';
import { byKey, endpoints, service } from './fixtures';

const POD_CIDR = '10.244.1.0/24';
const rulesFor = (services: Service[], eps: Endpoints[], nodeAddresses = ['192.168.1.10']): ProxyRules =>
  buildProxyRules({ ports: servicePorts(services, byKey(eps)), nodeAddresses, localPodCIDR: POD_CIDR });
const chainRules = (r: string[], chain: string) => r.filter((l) => l.startsWith(`-A ${chain} `));

describe('service proxy rules (kube-proxy iptables mode)', () => {
  const web = service('web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  const webEps = endpoints('web', ['10.244.2.5', '10.244.1.7', '10.244.3.9'], [{ name: 'http', port: 8080 }], { notReady: ['10.244.1.99'] });

  it('spreads a ClusterIP over 3 ready endpoints with probabilities 1/3, 1/2, then unconditionally', () => {
    const { nat } = rulesFor([web], [webEps]);
    const svc = serviceChain('default/web:http', 'TCP');
    assert.ok(nat.rules.includes(`-A KITE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http" -j ${svc}`));
    const sepOf = (ip: string) => endpointChain('default/web:http', 'TCP', `${ip}:8080`);
    assert.deepEqual(chainRules(nat.rules, svc), [
      `-A ${svc} ! -s ${POD_CIDR} -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KITE-MARK-MASQ`,
      `-A ${svc} -m statistic --mode random --probability 0.3333333333 -j ${sepOf('10.244.1.7')}`,
      `-A ${svc} -m statistic --mode random --probability 0.5000000000 -j ${sepOf('10.244.2.5')}`,
      `-A ${svc} -j ${sepOf('10.244.3.9')}`,
    ]);
    // Each endpoint chain SNATs hairpin traffic and DNATs to the target port; unready pods get nothing.
    assert.deepEqual(chainRules(nat.rules, sepOf('10.244.2.5')), [
      `-A ${sepOf('10.244.2.5')} -s 10.244.2.5/32 -j KITE-MARK-MASQ`,
      `-A ${sepOf('10.244.2.5')} -p tcp -m tcp -j DNAT --to-destination 10.244.2.5:8080`,
    ]);
    assert.ok(!nat.rules.some((l) => l.includes('10.244.1.99')));
    for (const c of [svc, sepOf('10.244.1.7'), sepOf('10.244.2.5'), sepOf('10.244.3.9')]) assert.ok(nat.chains.includes(c), c);
  });

  it('names chains by a stable hash that fits iptables\' limit and differs per port and endpoint', () => {
    const a = serviceChain('default/web:http', 'TCP');
    assert.equal(a, serviceChain('default/web:http', 'TCP'));
    assert.match(a, /^KITE-SVC-[A-Z2-7]{16}$/);
    assert.ok(a.length <= 28);
    assert.notEqual(a, serviceChain('default/web:http', 'UDP'));
    assert.notEqual(a, serviceChain('default/web:https', 'TCP'));
    assert.notEqual(endpointChain('default/web:http', 'TCP', '10.0.0.1:80'), endpointChain('default/web:http', 'TCP', '10.0.0.2:80'));
    assert.equal(probability(3), '0.3333333333');
  });

  it('gives a headless service no rules at all', () => {
    const headless = service('db', { clusterIP: 'None', ports: [{ port: 5432 }] });
    const r = rulesFor([headless], [endpoints('db', ['10.244.1.4'], [{ port: 5432 }])]);
    assert.ok(!r.nat.rules.some((l) => l.includes('default/db') || l.includes('10.244.1.4')));
    assert.ok(!r.filter.rules.some((l) => l.includes('default/db')));
    assert.ok(!r.nat.chains.some((c) => c.startsWith('KITE-SVC-')));
  });

  it('rejects at once a service port with no ready endpoint (filter table), with no nat rules for it', () => {
    const r = rulesFor([web], [endpoints('web', [], [{ name: 'http', port: 8080 }], { notReady: ['10.244.1.5'] })]);
    assert.deepEqual(chainRules(r.filter.rules, 'KITE-SERVICES'), [
      '-A KITE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http" -j REJECT --reject-with icmp-port-unreachable',
    ]);
    assert.ok(!r.nat.rules.some((l) => l.includes('10.96.0.10')));
    // Same without any Endpoints object (a selector that matches nothing).
    assert.equal(chainRules(rulesFor([web], []).filter.rules, 'KITE-SERVICES').length, 1);
  });

  it('opens a NodePort on local addresses: marked for masquerade, then the service chain', () => {
    const np = service('np', { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ port: 80, nodePort: 30080 }] });
    const { nat } = rulesFor([np], [endpoints('np', ['10.244.1.3'], [{ port: 80 }])]);
    const svc = serviceChain('default/np', 'TCP');
    const ext = externalChain('default/np', 'TCP');
    assert.ok(nat.rules.includes(`-A KITE-NODEPORTS -p tcp -m tcp --dport 30080 -m comment --comment "default/np" -j ${ext}`));
    assert.deepEqual(chainRules(nat.rules, ext), [`-A ${ext} -j KITE-MARK-MASQ`, `-A ${ext} -j ${svc}`]);
    // The jump to node ports comes last in KITE-SERVICES: it matches every local destination.
    assert.equal(chainRules(nat.rules, 'KITE-SERVICES').at(-1), '-A KITE-SERVICES -m addrtype --dst-type LOCAL -m comment --comment "kite service nodeports" -j KITE-NODEPORTS');
    // A ClusterIP service's nodePort field (left over) opens nothing.
    const plain = service('plain', { clusterIP: '10.96.0.21', ports: [{ port: 80, nodePort: 30081 }] });
    assert.ok(!chainRules(rulesFor([plain], [endpoints('plain', ['10.244.1.3'], [{ port: 80 }])]).nat.rules, 'KITE-NODEPORTS').length);
  });

  it('answers a LoadBalancer port on its node port, its ingress addresses and this node\'s own address', () => {
    const lb = service('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.30', ports: [{ port: 8080, nodePort: 31000 }] }, 'default', {
      loadBalancer: { ingress: [{ ip: '192.168.1.10' }, { ip: '192.168.1.11' }] },
    });
    const { nat } = rulesFor([lb], [endpoints('lb', ['10.244.1.3'], [{ port: 80 }])], ['192.168.1.10']);
    const ext = externalChain('default/lb', 'TCP');
    const dests = chainRules(nat.rules, 'KITE-SERVICES').filter((l) => l.endsWith(`-j ${ext}`)).map((l) => /-d (\S+)/.exec(l)?.[1]);
    assert.deepEqual(dests, ['192.168.1.10/32', '192.168.1.11/32']);
    assert.ok(nat.rules.some((l) => l.includes('--dport 31000') && l.endsWith(`-j ${ext}`)));
    // Without endpoints, all four entrances (virtual IP, two addresses, node port) reject.
    const r = rulesFor([lb], [], ['192.168.1.10']).filter.rules;
    assert.equal(r.filter((l) => l.includes("REJECT")).length, 4);
    assert.ok(r.some((l) => l.includes('--dst-type LOCAL') && l.includes('--dport 31000') && l.includes('REJECT')));
  });

  it('keeps ClientIP affinity with -m recent, as kube-proxy', () => {
    const sticky = service('sticky', { clusterIP: '10.96.0.40', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] });
    const { nat } = rulesFor([sticky], [endpoints('sticky', ['10.244.1.3', '10.244.2.3'], [{ port: 80 }])]);
    const svc = serviceChain('default/sticky', 'TCP');
    const seps = ['10.244.1.3', '10.244.2.3'].map((ip) => endpointChain('default/sticky', 'TCP', `${ip}:80`));
    const rules = chainRules(nat.rules, svc);
    // Recent clients first, back to their endpoint; only then the random spread.
    assert.equal(rules[1], `-A ${svc} -m recent --name ${seps[0]} --rcheck --seconds 10800 --reap -j ${seps[0]}`);
    assert.equal(rules[2], `-A ${svc} -m recent --name ${seps[1]} --rcheck --seconds 10800 --reap -j ${seps[1]}`);
    assert.match(rules[3]!, /--probability 0\.5000000000/);
    assert.ok(nat.rules.includes(`-A ${seps[0]} -p tcp -m tcp -m recent --name ${seps[0]} --set -j DNAT --to-destination 10.244.1.3:80`));
  });

  it('matches endpoint ports by name and protocol, and skips malformed addresses', () => {
    const multi = service('multi', { clusterIP: '10.96.0.50', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] });
    const eps = endpoints('multi', ['10.244.1.3', '1.2.3.4; rm -rf /'], [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'dns-tcp', port: 5354, protocol: 'TCP' }]);
    const { nat } = rulesFor([multi], [eps]);
    assert.ok(nat.rules.includes(`-A ${endpointChain('default/multi:dns', 'UDP', '10.244.1.3:5353')} -p udp -m udp -j DNAT --to-destination 10.244.1.3:5353`));
    assert.ok(nat.rules.includes(`-A ${endpointChain('default/multi:dns-tcp', 'TCP', '10.244.1.3:5354')} -p tcp -m tcp -j DNAT --to-destination 10.244.1.3:5354`));
    assert.ok(!nat.rules.some((l) => l.includes('rm -rf')));
  });

  it('masquerades marked traffic in KITE-POSTROUTING and accepts it in KITE-FORWARD', () => {
    const { nat, filter } = rulesFor([], []);
    assert.deepEqual(chainRules(nat.rules, 'KITE-POSTROUTING'), [
      '-A KITE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KITE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A KITE-POSTROUTING -m comment --comment "kite service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]);
    assert.deepEqual(chainRules(nat.rules, 'KITE-MARK-MASQ'), ['-A KITE-MARK-MASQ -j MARK --or-mark 0x4000']);
    assert.ok(chainRules(filter.rules, 'KITE-FORWARD')[0]!.includes('--mark 0x4000/0x4000'));
  });

  it('grows linearly: 1,000 services x 10 endpoints give one chain per service and per endpoint', () => {
    const services: Service[] = [];
    const eps: Endpoints[] = [];
    for (let i = 0; i < 1000; i++) {
      services.push(service(`s${i}`, { clusterIP: `10.96.${i >> 8}.${i & 255}`, ports: [{ port: 80 }] }));
      eps.push(endpoints(`s${i}`, Array.from({ length: 10 }, (_, j) => `10.244.${j}.${(i % 250) + 1}`), [{ port: 8080 }]));
    }
    const { nat } = rulesFor(services, eps);
    assert.equal(nat.chains.filter((c) => c.startsWith('KITE-SVC-')).length, 1000);
    assert.equal(nat.chains.filter((c) => c.startsWith('KITE-SEP-')).length, 10_000);
    assert.equal(new Set(nat.chains).size, nat.chains.length, 'chain names are unique');
  });
});
