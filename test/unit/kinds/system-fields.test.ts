import assert from 'node:assert/strict';
import { requireKind } from '../../../common/kinds/registry';
import { keepSystemFields } from '../../../common/kinds/system-fields';
import { deployment, node, pod, service } from './fixtures';

describe('system fields', () => {
  it('lists exactly the fields the system sets after creation', () => {
    assert.deepEqual(requireKind('Pod').systemFields, ['spec.nodeName']);
    assert.deepEqual(requireKind('Node').systemFields, ['spec.unschedulable', 'spec.taints', 'spec.podCIDR', 'spec.podCIDRs']);
    assert.deepEqual(requireKind('Service').systemFields, ['spec.clusterIP']);
    assert.equal(requireKind('Deployment').systemFields, undefined);
  });

  it("keeps a pod's nodeName when the applied manifest omits it, without changing either argument", () => {
    const existing = pod();
    existing.spec.nodeName = 'worker-1';
    const desired = pod();
    desired.spec.containers[0]!.image = 'nginx:1.26';
    const before = structuredClone(desired);
    const out = keepSystemFields(requireKind('Pod'), existing, desired);
    assert.equal(out.spec.nodeName, 'worker-1');
    assert.equal(out.spec.containers[0]!.image, 'nginx:1.26', 'the rest comes from the manifest');
    assert.deepEqual(desired, before);
    assert.equal(existing.spec.nodeName, 'worker-1');
  });

  it('lets a manifest that names the field win', () => {
    const existing = pod();
    existing.spec.nodeName = 'worker-1';
    const desired = pod();
    desired.spec.nodeName = 'worker-2';
    assert.equal(keepSystemFields(requireKind('Pod'), existing, desired).spec.nodeName, 'worker-2');
  });

  it("keeps a node's taints and cordon when omitted, but not over an explicit false or empty list", () => {
    const existing = node();
    const bare = node();
    delete bare.spec.taints;
    delete bare.spec.unschedulable;
    const out = keepSystemFields(requireKind('Node'), existing, bare);
    assert.equal(out.spec.unschedulable, true);
    assert.deepEqual(out.spec.taints, existing.spec.taints);
    assert.notEqual(out.spec.taints, existing.spec.taints, 'copied, not shared');

    const explicit = node();
    explicit.spec.unschedulable = false;
    explicit.spec.taints = [];
    const kept = keepSystemFields(requireKind('Node'), existing, explicit);
    assert.equal(kept.spec.unschedulable, false);
    assert.deepEqual(kept.spec.taints, []);
  });

  it("keeps a service's clusterIP when the manifest leaves it out or empty", () => {
    const existing = service();
    for (const clusterIP of [undefined, '']) {
      const desired = service();
      desired.spec.clusterIP = clusterIP;
      assert.equal(keepSystemFields(requireKind('Service'), existing, desired).spec.clusterIP, '10.96.0.10');
    }
  });

  it('changes nothing for kinds without system fields', () => {
    const existing = deployment();
    existing.spec.replicas = 5;
    const desired = deployment();
    delete desired.spec.replicas;
    assert.deepEqual(keepSystemFields(requireKind('Deployment'), existing, desired), desired);
  });
});
