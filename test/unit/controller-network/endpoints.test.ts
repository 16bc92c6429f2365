import assert from 'node:assert/strict';
import type { Endpoints, Node, Pod, Service } from '../../../common/api/types';
import { formatEndpoints } from '../../../common/kinds/endpoints';
import { printDescribe } from '../../../cli/print/describe';
import { computeEndpoints, desiredEndpoints, sameEndpoints } from '../../../controller/network/endpoints';
import { loadBalancerIngress, loadBalancerStatus } from '../../../controller/network/load-balancer-controller';

function svc(spec: Partial<Service['spec']> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 's1' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec } };
}

function pod(name: string, ip: string | undefined, o: { ready?: boolean; labels?: Record<string, string>; ns?: string; deleting?: boolean; phase?: string; ports?: { name: string; containerPort: number }[] } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${name}`, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: o.ports }] },
    status: { phase: (o.phase ?? 'Running') as 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  } as Pod;
}

describe('Endpoints computation', () => {
  it('puts ready pods in addresses and unready ones in notReadyAddresses, with targetRef and nodeName, sorted by IP', () => {
    const out = computeEndpoints(svc(), [pod('b', '10.244.1.10'), pod('a', '10.244.1.9'), pod('c', '10.244.2.3', { ready: false })]);
    assert.deepEqual(out.subsets, [{
      addresses: [
        { ip: '10.244.1.9', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'a', namespace: 'default', uid: 'uid-a' } },
        { ip: '10.244.1.10', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'b', namespace: 'default', uid: 'uid-b' } },
      ],
      notReadyAddresses: [{ ip: '10.244.2.3', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'c', namespace: 'default', uid: 'uid-c' } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
  });

  it('publishes unready pods as addresses when the service asks for it (publishNotReadyAddresses)', () => {
    const out = computeEndpoints(svc({ clusterIP: 'None', publishNotReadyAddresses: true }), [pod('a', '10.244.1.9'), pod('b', '10.244.1.10', { ready: false })]);
    assert.deepEqual(out.subsets.map((s) => [s.addresses?.map((a) => a.ip), s.notReadyAddresses]), [[['10.244.1.9', '10.244.1.10'], undefined]]);
  });

  it("sets an address's hostname only for a pod with a hostname whose subdomain is this service (StatefulSet DNS names)", () => {
    const named = (name: string, ip: string, hostname: string | undefined, subdomain: string | undefined, ready = true) => {
      const p = pod(name, ip, { ready });
      return { ...p, spec: { ...p.spec, ...(hostname ? { hostname } : {}), ...(subdomain ? { subdomain } : {}) } };
    };
    const out = computeEndpoints(svc({ clusterIP: 'None' }), [
      named('web-0', '10.244.1.1', 'web-0', 'web'),
      named('other', '10.244.1.2', 'other', 'db'),
      named('nohost', '10.244.1.3', undefined, 'web'),
      named('web-1', '10.244.1.4', 'web-1', 'web', false),
    ]);
    const hostnames = (list: { ip: string; hostname?: string }[] | undefined) => list?.map((a) => [a.ip, a.hostname]);
    assert.deepEqual(hostnames(out.subsets[0]?.addresses), [['10.244.1.1', 'web-0'], ['10.244.1.2', undefined], ['10.244.1.3', undefined]]);
    assert.deepEqual(hostnames(out.subsets[0]?.notReadyAddresses), [['10.244.1.4', 'web-1']]);
  });

  it('leaves out pods without an IP, Terminating, finished, of another namespace or not selected', () => {
    const out = computeEndpoints(svc(), [
      pod('noip', undefined), pod('gone', '10.244.1.2', { deleting: true }), pod('done', '10.244.1.3', { phase: 'Succeeded' }),
      pod('elsewhere', '10.244.1.4', { ns: 'other' }), pod('db', '10.244.1.5', { labels: { app: 'db' } }),
    ]);
    assert.deepEqual(out.subsets, []);
  });

  it('a selector that matches nothing gives no subsets', () => {
    assert.deepEqual(computeEndpoints(svc({ selector: { app: 'nothing' } }), [pod('a', '10.244.1.9')]).subsets, []);
  });

  it('resolves a named targetPort per pod and groups pods by the ports they resolve to', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
    const out = computeEndpoints(s, [
      pod('a', '10.244.1.1', { ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('b', '10.244.1.2', { ports: [{ name: 'web', containerPort: 9090 }] }),
      pod('c', '10.244.1.3', { ports: [{ name: 'metrics', containerPort: 9100 }] }),
    ]);
    assert.deepEqual(out.subsets.map((ss) => [ss.addresses?.map((a) => a.ip), ss.ports?.map((p) => p.port)]), [
      [['10.244.1.1'], [8080]],
      [['10.244.1.2'], [9090]],
    ]);
    assert.deepEqual(out.unresolved, [{ pod: 'c', targetPort: 'web' }], 'the pod without the port name is left out and reported');
  });

  it('takes a numeric targetPort as is', () => {
    const out = computeEndpoints(svc({ ports: [{ port: 80, targetPort: 80, protocol: 'UDP' }] }), [pod('a', '10.244.1.1')]);
    assert.deepEqual(out.subsets[0]!.ports, [{ port: 80, protocol: 'UDP' }]);
  });

  it('builds the Endpoints object named like the service, marked as managed, and compares by content', () => {
    const s = svc();
    const ep = desiredEndpoints(s, computeEndpoints(s, [pod('a', '10.244.1.1')]).subsets);
    assert.equal(ep.metadata.name, 'web');
    assert.equal(ep.metadata.labels?.['kite.io/managed-by'], 'endpoints-controller');
    const stored: Endpoints = { ...structuredClone(ep), metadata: { ...ep.metadata, resourceVersion: '5', uid: 'x' } };
    assert.ok(sameEndpoints(stored, ep));
    assert.ok(!sameEndpoints(stored, desiredEndpoints(s, [])));
  });
});

describe('Endpoints table cell', () => {
  const ep = (n: number): Endpoints => ({
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' },
    subsets: [{ addresses: Array.from({ length: n }, (_, i) => ({ ip: `10.244.${i}.5` })), notReadyAddresses: [{ ip: '10.9.9.9' }], ports: [{ port: 80 }] }],
  });
  it('lists up to three ready addresses with ports, then how many more, as kubectl', () => {
    assert.equal(formatEndpoints(ep(2)), '10.244.0.5:80,10.244.1.5:80');
    assert.equal(formatEndpoints(ep(4)), '10.244.0.5:80,10.244.1.5:80,10.244.2.5:80 + 1 more...');
    assert.equal(formatEndpoints(ep(0)), '<none>', 'unready addresses are not shown');
    assert.equal(formatEndpoints({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'x' } }), '<none>');
  });
});

describe('LoadBalancer ingress', () => {
  const node = (name: string, ip: string, ready = true): Node => ({
    apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {},
    status: { addresses: [{ type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('lists the InternalIP of every Ready node, in address order', () => {
    assert.deepEqual(loadBalancerIngress([node('c', '192.168.1.10'), node('a', '192.168.1.9'), node('b', '192.168.1.11', false)]), [{ ip: '192.168.1.9' }, { ip: '192.168.1.10' }]);
  });

  it('sets the ingress on LoadBalancer services only, and clears it when the type changes', () => {
    const lb = svc({ type: 'LoadBalancer' });
    assert.deepEqual(loadBalancerStatus(lb, [{ ip: '1.2.3.4' }]), { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } });
    const was = { ...svc({ type: 'ClusterIP' }), status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } };
    assert.deepEqual(loadBalancerStatus(was, [{ ip: '1.2.3.4' }]), {});
  });
});

describe('kite describe service with its Endpoints', () => {
  it('shows each port\'s ready endpoints, <none> without any, and the load balancer ingress', () => {
    const s: Service = { ...svc({ type: 'LoadBalancer', clusterIP: '10.96.0.10' }), status: { loadBalancer: { ingress: [{ ip: '192.168.1.9' }] } } };
    const ep = desiredEndpoints(s, computeEndpoints(s, [pod('a', '10.244.1.9'), pod('b', '10.244.2.9', { ready: false })]).subsets);
    const out = printDescribe(s, { events: [], now: Date.now(), extra: { endpoints: ep } });
    assert.match(out, /\nEndpoints:\s+10\.244\.1\.9:8080\n/);
    assert.match(out, /\nLoadBalancer Ingress:\s+192\.168\.1\.9\n/);
    const none = printDescribe(s, { events: [], now: Date.now(), extra: { endpoints: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' } } } });
    assert.match(none, /\nEndpoints:\s+<none>\n/);
  });
});
