import assert from 'node:assert/strict';
import type { StatefulSet } from '../../../common/api/types';
import { isKiteError } from '../../../common/errors';
import { statefulSetRollout } from '../../../cli/commands/rollout';

function sts(status: StatefulSet['status'], o: { replicas?: number; partition?: number; generation?: number; onDelete?: boolean } = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', generation: o.generation ?? 2 },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: 'db' } },
      template: { spec: { containers: [{ name: 'c', image: 'db:1' }] } },
      updateStrategy: o.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } },
    },
    status,
  };
}

describe('kite rollout status statefulset (kubectl StatefulSetStatusViewer)', () => {
  it('waits for the spec to be observed, then for every pod to be ready', () => {
    assert.deepEqual(statefulSetRollout(sts({ observedGeneration: 1 })), { done: false, line: 'Waiting for statefulset spec update to be observed...' });
    assert.deepEqual(statefulSetRollout(sts({ observedGeneration: 2, readyReplicas: 1 })), { done: false, line: 'Waiting for 2 pods to be ready...' });
  });

  it('waits until the update revision is the current one', () => {
    const waiting = statefulSetRollout(sts({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'db-a', updateRevision: 'db-b' }));
    assert.deepEqual(waiting, { done: false, line: 'waiting for statefulset rolling update to complete 1 pods at revision db-b...' });
    const done = statefulSetRollout(sts({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 3, currentRevision: 'db-b', updateRevision: 'db-b' }));
    assert.deepEqual(done, { done: true, line: 'statefulset rolling update complete 3 pods at revision db-b...' });
  });

  it('with a partition, is done once the pods at and above it are updated', () => {
    const status = { observedGeneration: 2, readyReplicas: 3, currentRevision: 'db-a', updateRevision: 'db-b' };
    assert.deepEqual(statefulSetRollout(sts({ ...status, updatedReplicas: 0 }, { partition: 2 })), { done: false, line: 'Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...' });
    assert.deepEqual(statefulSetRollout(sts({ ...status, updatedReplicas: 1 }, { partition: 2 })), { done: true, line: 'partitioned roll out complete: 1 new pods have been updated...' });
  });

  it('refuses OnDelete sets, as kubectl', () => {
    assert.throws(() => statefulSetRollout(sts({ observedGeneration: 2 }, { onDelete: true })), (e: unknown) => isKiteError(e, 'Invalid') && /only available for RollingUpdate/.test((e as Error).message));
  });
});
