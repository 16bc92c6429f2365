import assert from 'node:assert/strict';
import type { ConfigMap, KObject } from '../../../common/api/types';
import { IMMUTABLE, immutableIssues } from '../../../common/kinds/immutable';
import { requireKind } from '../../../common/kinds/registry';
import { configMap, daemonSet, deployment, event, job, namespace, node, pod, replicaSet, secret, service } from './fixtures';

/** The issues an update from `current` to `edit(copy of current)` raises, as "path: message". */
function issues<T extends KObject>(current: T, edit: (next: T) => void): string[] {
  const next = structuredClone(current);
  edit(next);
  return immutableIssues(requireKind(current.kind), current, next).map((i) => `${i.path}: ${i.message}`);
}

describe('immutable fields', () => {
  for (const [kind, make] of [['Deployment', deployment], ['ReplicaSet', replicaSet], ['DaemonSet', daemonSet]] as const) {
    describe(kind, () => {
      it('refuses a change of spec.selector', () => {
        const obj = make();
        assert.deepEqual(issues(obj, (n) => { n.spec.selector = { matchLabels: { app: 'other' } }; }), [`spec.selector: ${IMMUTABLE}`]);
        assert.deepEqual(issues(obj, (n) => { n.spec.selector.matchExpressions = [{ key: 'tier', operator: 'Exists' }]; }), [`spec.selector: ${IMMUTABLE}`]);
      });
      it('allows template and other spec changes, and the same selector written in another key order', () => {
        const obj = make();
        obj.spec.selector = { matchLabels: { app: 'web', tier: 'front' } };
        assert.deepEqual(issues(obj, (n) => {
          n.spec.selector = { matchLabels: { tier: 'front', app: 'web' } };
          n.spec.template.spec.containers[0]!.image = 'nginx:1.26';
          n.spec.minReadySeconds = 5;
        }), []);
      });
    });
  }

  describe('Job', () => {
    it('refuses changes of spec.selector and spec.template, one issue each', () => {
      const j = job();
      assert.deepEqual(issues(j, (n) => { n.spec.template.spec.containers[0]!.image = 'perl:5.36'; }), [`spec.template: ${IMMUTABLE}`]);
      assert.deepEqual(
        issues(j, (n) => {
          n.spec.selector = { matchLabels: { 'job-name': 'other' } };
          n.spec.template.metadata = { labels: { 'job-name': 'other' } };
        }),
        [`spec.selector: ${IMMUTABLE}`, `spec.template: ${IMMUTABLE}`],
      );
    });
    it('allows parallelism, completions and deadlines to change', () => {
      assert.deepEqual(issues(job(), (n) => { n.spec.parallelism = 3; n.spec.completions = 5; n.spec.activeDeadlineSeconds = 60; }), []);
    });
  });

  describe('Pod', () => {
    const podRule = /^spec: pod updates may not change fields other than spec\.containers\[\*\]\.image, spec\.activeDeadlineSeconds or spec\.tolerations \(only additions to existing tolerations\)/;

    it('allows a new container image', () => {
      assert.deepEqual(issues(pod(), (n) => { n.spec.containers[0]!.image = 'nginx:1.26'; }), []);
    });
    it('refuses any other spec change, naming the first field that differs', () => {
      const env = issues(pod(), (n) => { n.spec.containers[0]!.env = [{ name: 'MODE', value: 'b' }]; });
      assert.equal(env.length, 1);
      assert.match(env[0]!, podRule);
      assert.match(env[0]!, /spec\.containers\[0\]\.env\[0\]\.value differs$/);
      assert.match(issues(pod(), (n) => { n.spec.restartPolicy = 'Never'; })[0]!, /spec\.restartPolicy differs$/);
      assert.match(issues(pod(), (n) => { n.spec.containers.push({ name: 'side', image: 'busybox' }); })[0]!, /spec\.containers differs$/);
    });
    it('refuses moving the pod to another node (binding is not an update)', () => {
      const bound = pod();
      bound.spec.nodeName = 'worker-1';
      assert.match(issues(bound, (n) => { n.spec.nodeName = 'worker-2'; })[0]!, /spec\.nodeName differs$/);
    });
    it('lets activeDeadlineSeconds be set or lowered, never raised or removed', () => {
      type WithDeadline = { activeDeadlineSeconds?: number };
      const p = pod();
      assert.deepEqual(issues(p, (n) => { (n.spec as WithDeadline).activeDeadlineSeconds = 100; }), []);
      (p.spec as WithDeadline).activeDeadlineSeconds = 100;
      assert.deepEqual(issues(p, (n) => { (n.spec as WithDeadline).activeDeadlineSeconds = 50; }), []);
      assert.deepEqual(issues(p, (n) => { (n.spec as WithDeadline).activeDeadlineSeconds = 101; }), ['spec.activeDeadlineSeconds: must be less than or equal to previous value']);
      assert.deepEqual(issues(p, (n) => { delete (n.spec as WithDeadline).activeDeadlineSeconds; }), ['spec.activeDeadlineSeconds: must not update from a positive integer to nil value']);
    });
    it('lets tolerations be added, but not removed or changed (except tolerationSeconds, as Kubernetes)', () => {
      assert.deepEqual(issues(pod(), (n) => { n.spec.tolerations!.push({ key: 'gpu', operator: 'Exists' }); }), []);
      const removed = 'spec.tolerations: existing toleration can not be modified except its tolerationSeconds';
      assert.deepEqual(issues(pod(), (n) => { n.spec.tolerations = []; }), [removed]);
      assert.deepEqual(issues(pod(), (n) => { n.spec.tolerations![0]!.value = 'db'; }), [removed]);
      const p = pod();
      p.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }];
      assert.deepEqual(issues(p, (n) => { n.spec.tolerations![0]!.tolerationSeconds = 60; }), []);
    });
    it('leaves metadata and status alone', () => {
      assert.deepEqual(issues(pod(), (n) => { n.metadata.labels = { a: 'b' }; n.status = { phase: 'Running' }; }), []);
    });
  });

  describe('Service', () => {
    it('refuses a change of an allocated clusterIP', () => {
      assert.deepEqual(issues(service(), (n) => { n.spec.clusterIP = '10.96.0.11'; }), [`spec.clusterIP: ${IMMUTABLE}`]);
      assert.deepEqual(issues(service(), (n) => { n.spec.clusterIP = 'None'; }), [`spec.clusterIP: ${IMMUTABLE}`]);
    });
    it('allows an update that leaves clusterIP empty (it keeps the old one) and port changes', () => {
      assert.deepEqual(issues(service(), (n) => { n.spec.clusterIP = ''; n.spec.ports = [{ port: 8080, protocol: 'TCP', targetPort: 8080 }]; }), []);
      assert.deepEqual(issues(service(), (n) => { delete n.spec.clusterIP; }), []);
    });
    it('allows the first allocation', () => {
      const s = service();
      delete s.spec.clusterIP;
      assert.deepEqual(issues(s, (n) => { n.spec.clusterIP = '10.96.0.12'; }), []);
    });
  });

  describe('ConfigMaps and Secrets marked immutable', () => {
    it('refuse changes to their data and to the mark once it is set, as Kubernetes', () => {
      const cm: ConfigMap = { ...configMap(), immutable: true };
      assert.deepEqual(issues(cm, (n) => { n.data = { b: '2' }; }), ['data: field is immutable when `immutable` is set']);
      assert.deepEqual(issues(cm, (n) => { delete n.immutable; }), ['immutable: field is immutable when `immutable` is set']);
      assert.deepEqual(issues(cm, (n) => { n.metadata.labels = { v: '2' }; }), []);
      const s = { ...secret(), immutable: true };
      assert.deepEqual(issues(s, (n) => { n.data = { other: 'eA==' }; }), ['data: field is immutable when `immutable` is set']);
      // Marking is allowed; a Secret's type never changes.
      assert.deepEqual(issues(configMap(), (n) => { n.immutable = true; }), []);
      assert.deepEqual(issues(secret(), (n) => { n.type = 'kubernetes.io/tls'; }), [`type: ${IMMUTABLE}`]);
    });
  });

  describe('kinds without immutable fields', () => {
    it('allow any change: ConfigMap, Secret data, Namespace, Node, Event', () => {
      assert.deepEqual(issues(configMap(), (n) => { n.data = { b: '2' }; }), []);
      assert.deepEqual(issues(secret(), (n) => { n.data = { other: 'eA==' }; }), []);
      assert.deepEqual(issues(namespace(), (n) => { n.metadata.labels = { team: 'a' }; }), []);
      assert.deepEqual(issues(node(), (n) => { n.spec.taints = []; n.spec.unschedulable = false; }), []);
      assert.deepEqual(issues(event(), (n) => { n.count = 2; n.message = 'again'; }), []);
    });
  });
});
