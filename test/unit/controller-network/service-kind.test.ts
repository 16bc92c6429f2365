import assert from 'node:assert/strict';
import type { Service } from '../../../common/api/types';
import { requireKind } from '../../../common/kinds/registry';
import { externalIPs } from '../../../common/kinds/service';
import { keepSystemFields } from '../../../common/kinds/system-fields';

const svc = (type: Service['spec']['type'], ports: Service['spec']['ports']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type, selector: { app: 'web' }, ports } });

describe('Service node ports on re-apply', () => {
  const def = requireKind('Service');

  it('keeps allocated node ports a manifest omits, matched by port and protocol', () => {
    const existing = svc('NodePort', [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }]);
    const desired = svc('NodePort', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'http', port: 80, protocol: 'TCP' }]);
    const out = keepSystemFields(def, existing, desired) as Service;
    assert.deepEqual(out.spec.ports!.map((p) => p.nodePort), [30053, 30080]);
    assert.equal(desired.spec.ports![0]!.nodePort, undefined, 'the argument is not changed');
  });

  it('lets a manifest that names a node port win, and does not hand the same port to two ports', () => {
    const existing = svc('NodePort', [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }]);
    const desired = svc('NodePort', [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30099 }, { name: 'alt', port: 8080, protocol: 'TCP' }]);
    const out = keepSystemFields(def, existing, desired) as Service;
    assert.deepEqual(out.spec.ports!.map((p) => p.nodePort), [30099, undefined]);
  });

  it('keeps none when the service becomes ClusterIP', () => {
    const existing = svc('NodePort', [{ port: 80, protocol: 'TCP', nodePort: 30080 }]);
    const out = keepSystemFields(def, existing, svc('ClusterIP', [{ port: 80, protocol: 'TCP' }])) as Service;
    assert.equal(out.spec.ports![0]!.nodePort, undefined);
  });
});

describe('Service EXTERNAL-IP', () => {
  it('is the load balancer ingress, <pending> before it, <none> for other types', () => {
    const lb = svc('LoadBalancer', [{ port: 80 }]);
    assert.equal(externalIPs(lb), '<pending>');
    assert.equal(externalIPs({ ...lb, status: { loadBalancer: { ingress: [{ ip: '192.168.1.9' }, { ip: '192.168.1.10' }] } } }), '192.168.1.9,192.168.1.10');
    assert.equal(externalIPs(svc('NodePort', [{ port: 80 }])), '<none>');
    const row = requireKind('Service').table.cells({ ...lb, status: { loadBalancer: { ingress: [{ ip: '192.168.1.9' }] } } }, Date.now());
    assert.equal(row[3], '192.168.1.9');
  });
});
