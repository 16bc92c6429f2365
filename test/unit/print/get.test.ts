import assert from 'node:assert/strict';
import type {
  ConfigMap, DaemonSet, Deployment, Job, KObject, Namespace, Pod, ReplicaSet, Secret, Service,
} from '../../../common/api/types';
import { noResourcesMessage, printGet } from '../../../cli/print/get';
import { ago, day, event, hour, meta, min, node, NOW, runningPod, sec } from './fixtures';

const lines = (out: string) => out.trimEnd().split('\n');
/** Cells of a kubectl table line (columns are separated by at least 3 spaces). */
const cells = (line: string | undefined) => (line ?? '').split(/ {3,}/);
const get = (kind: string, objs: KObject[], extra: { wide?: boolean; allNamespaces?: boolean } = {}) =>
  printGet(kind, objs, { now: NOW, ...extra });

function podWith(status: Partial<NonNullable<Pod['status']>>, extra: Partial<Pod> = {}): Pod {
  const p = runningPod('web', extra);
  p.status = { ...p.status, ...status };
  return p;
}

describe('printGet pods', () => {
  it('prints NAME READY STATUS RESTARTS AGE for a running pod', () => {
    assert.deepEqual(lines(get('pods', [runningPod('web')])), [
      'NAME   READY   STATUS    RESTARTS   AGE',
      'web    1/1     Running   0          5m',
    ]);
  });

  it('accepts any name for the kind (po, pod, Pod)', () => {
    assert.equal(get('po', [runningPod('web')]), get('Pod', [runningPod('web')]));
  });

  it('adds IP and NODE with wide, <none> when unscheduled', () => {
    const pending = runningPod('pending', { spec: { containers: [{ name: 'app', image: 'x' }] }, status: { phase: 'Pending' } });
    const out = lines(get('pods', [runningPod('web'), pending], { wide: true }));
    assert.deepEqual(cells(out[0]), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
    assert.deepEqual(cells(out[1]).slice(5), ['10.88.0.5', 'node-1']);
    assert.deepEqual(cells(out[2]), ['pending', '0/1', 'Pending', '0', '5m', '<none>', '<none>']);
  });

  it('leads with NAMESPACE for all namespaces', () => {
    const other = runningPod('db');
    other.metadata.namespace = 'prod';
    const out = lines(get('pods', [runningPod('web'), other], { allNamespaces: true }));
    assert.deepEqual(cells(out[0]), ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(cells(out[2]).slice(0, 2), ['prod', 'db']);
  });

  const statusOf = (pod: Pod) => cells(lines(get('pods', [pod]))[1])[2];

  it('shows a waiting reason such as CrashLoopBackOff, ErrImagePull or ContainerCreating', () => {
    for (const reason of ['CrashLoopBackOff', 'ErrImagePull', 'ContainerCreating']) {
      const pod = podWith({
        phase: reason === 'ContainerCreating' ? 'Pending' : 'Running',
        containerStatuses: [{ name: 'app', image: 'x', ready: false, restartCount: 0, state: { waiting: { reason } } }],
      });
      assert.equal(statusOf(pod), reason);
    }
  });

  it('shows the termination reason: Completed, Error, OOMKilled', () => {
    const term = (exitCode: number, reason?: string) =>
      podWith({ phase: 'Failed', containerStatuses: [{ name: 'app', image: 'x', ready: false, restartCount: 0, state: { terminated: { exitCode, reason } } }] });
    assert.equal(statusOf(term(137, 'OOMKilled')), 'OOMKilled');
    assert.equal(statusOf(term(0, 'Completed')), 'Completed');
    // The agent may leave the reason out; the kubelet's names are derived from the exit code.
    assert.equal(statusOf(term(0)), 'Completed');
    assert.equal(statusOf(term(2)), 'Error');
  });

  it('shows Terminating for a pod being deleted, but not for a finished one', () => {
    const deleting = runningPod('web');
    deleting.metadata.deletionTimestamp = ago(1 * sec);
    assert.equal(statusOf(deleting), 'Terminating');
    const done = podWith({ phase: 'Succeeded', containerStatuses: [{ name: 'app', image: 'x', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    done.metadata.deletionTimestamp = ago(1 * sec);
    assert.equal(statusOf(done), 'Completed');
  });

  it('shows the first container\'s reason when several are unhealthy, and counts only ready running containers', () => {
    const pod = runningPod('web');
    pod.spec.containers.push({ name: 'sidecar', image: 'y' }, { name: 'third', image: 'z' });
    pod.status!.containerStatuses = [
      { name: 'app', image: 'x', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      { name: 'sidecar', image: 'y', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } },
      { name: 'third', image: 'z', ready: true, restartCount: 0, state: { running: {} } },
    ];
    const row = cells(lines(get('pods', [pod]))[1]);
    assert.equal(row[1], '1/3');
    assert.equal(row[2], 'CrashLoopBackOff');
  });

  it('says Running, not Completed, when one container exited and another still runs', () => {
    const pod = runningPod('web');
    pod.spec.containers.push({ name: 'init-like', image: 'y' });
    pod.status!.containerStatuses = [
      { name: 'app', image: 'x', ready: true, restartCount: 0, state: { running: {} } },
      { name: 'init-like', image: 'y', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ];
    assert.equal(statusOf(pod), 'Running');
  });

  it('shows restarts with the time since the last one, summed over containers', () => {
    const pod = runningPod('web');
    pod.spec.containers.push({ name: 'b', image: 'y' });
    pod.status!.containerStatuses = [
      { name: 'app', image: 'x', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * min) } } },
      { name: 'b', image: 'y', ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * min) } } },
    ];
    assert.equal(cells(lines(get('pods', [pod]))[1])[3], '3 (2m ago)');
  });

  it('shows a bare restart count when no termination time is known', () => {
    const pod = runningPod('web');
    pod.status!.containerStatuses![0]!.restartCount = 4;
    assert.equal(cells(lines(get('pods', [pod]))[1])[3], '4');
  });
});

describe('printGet workloads', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'log', image: 'fluent:2' }] } };

  it('prints deployments with READY as ready/desired, and wide containers, images and selector', () => {
    const d: Deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    assert.deepEqual(lines(get('deploy', [d], { wide: true })), [
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES                SELECTOR',
      'web    2/3     3            2           5m    app,log      nginx:1.25,fluent:2   app=web',
    ]);
  });

  it('prints replicasets as DESIRED CURRENT READY AGE', () => {
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-5d9f'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 3, readyReplicas: 1 },
    };
    assert.deepEqual(lines(get('rs', [rs])), ['NAME       DESIRED   CURRENT   READY   AGE', 'web-5d9f   3         3         1       5m']);
  });

  it('prints daemonsets with their NODE SELECTOR', () => {
    const ds: DaemonSet = {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent'),
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { ...template.spec, nodeSelector: { disk: 'ssd', 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 },
    };
    const out = lines(get('ds', [ds]));
    assert.deepEqual(cells(out[0]), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    assert.deepEqual(cells(out[1]), ['agent', '2', '2', '1', '2', '1', 'disk=ssd,kubernetes.io/os=linux', '5m']);
  });

  it('prints jobs with STATUS, COMPLETIONS and DURATION like kubectl 1.28+', () => {
    const job = (name: string, spec: Partial<Job['spec']>, status: Job['status']): Job => ({
      apiVersion: 'batch/v1', kind: 'Job', metadata: meta(name), spec: { template, ...spec }, status,
    });
    const out = lines(get('jobs', [
      job('done', { completions: 3 }, { succeeded: 3, startTime: ago(4 * min), completionTime: ago(3 * min), conditions: [{ type: 'Complete', status: 'True' }] }),
      job('running', { parallelism: 2 }, { active: 2, startTime: ago(90 * sec) }),
      job('failed', {}, { failed: 7, startTime: ago(2 * hour), conditions: [{ type: 'Failed', status: 'True' }] }),
      job('new', {}, {}),
    ]));
    assert.deepEqual(cells(out[0]), ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    assert.deepEqual(cells(out[1]), ['done', 'Complete', '3/3', '60s', '5m']);
    assert.deepEqual(cells(out[2]), ['running', 'Running', '0/1 of 2', '90s', '5m']);
    assert.deepEqual(cells(out[3]), ['failed', 'Failed', '0/1', '120m', '5m']);
    assert.equal(out[4], 'new       Running    0/1                      5m');
  });
});

describe('printGet services and config', () => {
  it('prints services with ports and node ports', () => {
    const svc = (name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec });
    const out = lines(get('svc', [
      svc('web', { clusterIP: '10.96.0.10', ports: [{ port: 80, targetPort: 8080 }, { port: 443, protocol: 'TCP' }] }),
      svc('edge', { type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080, protocol: 'UDP' }] }),
      svc('bare', {}),
    ], { wide: true }));
    assert.deepEqual(cells(out[0]), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    assert.deepEqual(cells(out[1]), ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,443/TCP', '5m', '<none>']);
    assert.deepEqual(cells(out[2]).slice(0, 5), ['edge', 'NodePort', '10.96.0.11', '<none>', '80:30080/UDP']);
    assert.deepEqual(cells(out[3]).slice(0, 5), ['bare', 'ClusterIP', '<none>', '<none>', '<none>']);
  });

  it('counts configmap and secret keys', () => {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    assert.deepEqual(lines(get('cm', [cm])), ['NAME   DATA   AGE', 'cfg    3      5m']);
    const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: meta('creds'), data: { user: 'YWRtaW4=' }, stringData: { pass: 'x', user: 'y' } };
    assert.deepEqual(lines(get('secrets', [secret])), ['NAME    TYPE     DATA   AGE', 'creds   Opaque   2      5m']);
  });

  it('prints namespaces as Active, or Terminating while deleted', () => {
    const ns = (name: string, deleting = false): Namespace => ({
      apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: ago(2 * day), ...(deleting ? { deletionTimestamp: ago(1 * sec) } : {}) },
    });
    assert.deepEqual(lines(get('ns', [ns('default'), ns('old', true)])), [
      'NAME      STATUS        AGE',
      'default   Active        2d',
      'old       Terminating   2d',
    ]);
  });
});

describe('printGet nodes', () => {
  it('prints STATUS and ROLES as kubectl', () => {
    const cordoned = node('node-2', { spec: { unschedulable: true } });
    cordoned.metadata.labels = { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' };
    const down = node('node-3');
    down.status!.conditions = [{ type: 'Ready', status: 'Unknown' }];
    const unknown = node('node-4');
    unknown.status!.conditions = [];
    const out = lines(get('nodes', [node('node-1'), cordoned, down, unknown]));
    assert.deepEqual(cells(out[0]), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.deepEqual(cells(out[1]), ['node-1', 'Ready', '<none>', '3d', 'v0.1.0']);
    assert.deepEqual(cells(out[2]), ['node-2', 'Ready,SchedulingDisabled', 'control-plane,worker', '3d', 'v0.1.0']);
    assert.equal(cells(out[3])[1], 'NotReady');
    assert.equal(cells(out[4])[1], 'Unknown');
  });

  it('adds internal IP, OS, kernel and runtime with wide', () => {
    const out = lines(get('no', [node('node-1')], { wide: true }));
    assert.deepEqual(cells(out[0]).slice(5), ['INTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    assert.deepEqual(cells(out[1]).slice(5), ['192.168.1.10', 'linux', '6.1.0-18-amd64', 'docker://24.0.7']);
  });
});

describe('printGet events', () => {
  it('prints LAST SEEN TYPE REASON OBJECT MESSAGE, oldest first', () => {
    const out = lines(get('events', [
      event('BackOff', 'Back-off restarting failed container', { type: 'Warning', lastTimestamp: ago(30 * sec) }),
      event('Scheduled', 'Successfully assigned default/web to node-1', { lastTimestamp: ago(3 * min) }),
    ]));
    assert.deepEqual(out, [
      'LAST SEEN   TYPE      REASON      OBJECT    MESSAGE',
      '3m          Normal    Scheduled   pod/web   Successfully assigned default/web to node-1',
      '30s         Warning   BackOff     pod/web   Back-off restarting failed container',
    ]);
  });
});

describe('empty lists', () => {
  it('print nothing, leaving the caller to print noResourcesMessage', () => {
    assert.equal(get('pods', []), '');
    assert.equal(noResourcesMessage('default'), 'No resources found in default namespace.');
    assert.equal(noResourcesMessage(undefined), 'No resources found');
  });
});

describe('unknown kinds', () => {
  it('fall back to NAME and AGE', () => {
    const obj: KObject = { apiVersion: 'x/v1', kind: 'Widget', metadata: meta('w') };
    assert.deepEqual(lines(get('widgets', [obj])), ['NAME   AGE', 'w      5m']);
  });
});
