import assert from 'node:assert/strict';
import type { Pod, StatefulSet } from '../../../common/api/types';
import { printDescribe } from '../../../cli/print/describe';

const sts: StatefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: {
    serviceName: 'nginx',
    replicas: 3,
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
    volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '1Gi' } } } }],
  },
  status: { replicas: 2 },
};
const running = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [] }, status: { phase: 'Running' } });

describe('kite describe statefulset', () => {
  it("prints replicas, the update strategy with its partition, pods status and the volume claims, as kubectl", () => {
    const out = printDescribe(sts, { events: [], now: Date.parse('2024-01-01T00:10:00Z'), utcOffsetMinutes: 0, extra: { pods: [running('web-0'), running('web-1')] } });
    assert.match(out, /^Name:\s+web$/m);
    assert.match(out, /^Selector:\s+app=nginx$/m);
    assert.match(out, /^Replicas:\s+3 desired \| 2 total$/m);
    assert.match(out, /^Update Strategy:\s+RollingUpdate\n\s+Partition:\s+1$/m);
    assert.match(out, /^Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    assert.match(out, /^Pod Template:$/m);
    assert.match(out, /^Volume Claims:\n\s+Name:\s+www\n\s+StorageClass:\s+local-path\n[\s\S]*?\s+Capacity:\s+1Gi\n\s+Access Modes:\s+\[ReadWriteOnce\]$/m);
  });
});
