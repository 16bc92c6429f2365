import assert from 'node:assert/strict';
import type { Container, Pod } from '../../../common/api/types';
import { podInfoOf } from '../../../controller/scheduler';

const c = (name: string, cpu: string, memory: string, extra: Partial<Container> = {}): Container => ({ name, image: 'x', resources: { requests: { cpu, memory } }, ...extra });
const pod = (containers: Container[], initContainers?: Container[]): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `p${Math.random()}`, namespace: 'default' },
  spec: { containers, ...(initContainers ? { initContainers } : {}) },
});

describe("a pod's effective requests with init containers (as Kubernetes)", () => {
  it('sums the app containers', () => {
    const i = podInfoOf(pod([c('a', '100m', '64Mi'), c('b', '200m', '64Mi')]));
    assert.equal(i.milliCpu, 300);
    assert.equal(i.memory, 128 * 2 ** 20);
  });

  it('takes a plain init container alone when it asks for more than the app containers together', () => {
    const i = podInfoOf(pod([c('app', '100m', '64Mi')], [c('migrate', '1', '32Mi')]));
    assert.equal(i.milliCpu, 1000);
    assert.equal(i.memory, 64 * 2 ** 20);
  });

  it('adds sidecars to the app containers and to every init container that starts after them', () => {
    const sidecar = c('proxy', '50m', '16Mi', { restartPolicy: 'Always' });
    const i = podInfoOf(pod([c('app', '100m', '64Mi')], [c('before', '500m', '8Mi'), sidecar, c('after', '500m', '8Mi')]));
    // Running: app + sidecar = 150m; "after" runs beside the sidecar = 550m; "before" alone = 500m.
    assert.equal(i.milliCpu, 550);
    assert.equal(i.memory, 80 * 2 ** 20);
  });

  it("counts init containers' host ports", () => {
    const i = podInfoOf(pod([c('app', '0', '0')], [c('side', '0', '0', { restartPolicy: 'Always', ports: [{ containerPort: 9000, hostPort: 9000 }] })]));
    assert.deepEqual(i.hostPorts, [{ protocol: 'TCP', port: 9000, hostIP: '' }]);
  });
});
