import assert from 'node:assert/strict';
import type { ConfigMap, DaemonSet, Deployment, Job, Namespace, Pod, ReplicaSet, Secret, Service } from '../../../common/api/types';
import { printDescribe, type DescribeOptions } from '../../../cli/print/describe';
import { qosClass } from '../../../cli/print/describe-pod';
import { ago, event, meta, min, node, NOW, runningPod, sec } from './fixtures';

const describe_ = (obj: Parameters<typeof printDescribe>[0], opts: Partial<DescribeOptions> = {}) =>
  printDescribe(obj, { events: [], now: NOW, utcOffsetMinutes: 0, ...opts });
const lineOf = (out: string, prefix: string) => out.split('\n').find((l) => l.trimStart().startsWith(prefix));

describe('printDescribe pod', () => {
  function richPod(): Pod {
    const pod = runningPod('web');
    pod.metadata.labels = { app: 'web', 'pod-template-hash': '5d9f' };
    pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9f', uid: 'u1', controller: true }];
    pod.status!.startTime = ago(5 * min);
    const app = pod.spec.containers[0]!;
    app.ports = [{ containerPort: 80 }];
    app.resources = { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '0.25', memory: '64Mi' } };
    app.env = [
      { name: 'MODE', value: 'prod' },
      { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: true } } },
    ];
    app.volumeMounts = [{ name: 'config', mountPath: '/etc/app', readOnly: true }];
    app.readinessProbe = { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 };
    pod.spec.volumes = [{ name: 'config', configMap: { name: 'cfg' } }];
    pod.status!.containerStatuses = [{
      name: 'app', image: 'nginx:1.25', containerID: 'docker://abc123', imageID: 'sha256:feed', ready: true, restartCount: 1,
      state: { running: { startedAt: '2026-01-10T11:56:00Z' } },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-01-10T11:55:00Z', finishedAt: '2026-01-10T11:55:59Z' } },
    }];
    return pod;
  }

  it('lays out the header fields like kubectl, aligned in one block', () => {
    const out = describe_(richPod());
    assert.ok(out.startsWith(
      'Name:         web\n' +
        'Namespace:    default\n' +
        'Node:         node-1/192.168.1.10\n' +
        'Start Time:   Sat, 10 Jan 2026 11:55:00 +0000\n' +
        'Labels:       app=web\n' +
        '              pod-template-hash=5d9f\n' +
        'Annotations:  <none>\n' +
        'Status:       Running\n' +
        'IP:           10.88.0.5\n' +
        'IPs:\n' +
        '  IP:           10.88.0.5\n' +
        'Controlled By:  ReplicaSet/web-5d9f\n',
    ), out);
  });

  it('describes each container with image, port, state, last state, resources, probes, env and mounts', () => {
    const out = describe_(richPod());
    const start = out.indexOf('Containers:\n');
    const end = out.indexOf('Conditions:\n');
    assert.equal(
      out.slice(start, end),
      'Containers:\n' +
        '  app:\n' +
        '    Container ID:   docker://abc123\n' +
        '    Image:          nginx:1.25\n' +
        '    Image ID:       sha256:feed\n' +
        '    Port:           80/TCP\n' +
        '    Host Port:      0/TCP\n' +
        '    State:          Running\n' +
        '      Started:      Sat, 10 Jan 2026 11:56:00 +0000\n' +
        '    Last State:     Terminated\n' +
        '      Reason:       OOMKilled\n' +
        '      Exit Code:    137\n' +
        '      Started:      Sat, 10 Jan 2026 11:55:00 +0000\n' +
        '      Finished:     Sat, 10 Jan 2026 11:55:59 +0000\n' +
        '    Ready:          True\n' +
        '    Restart Count:  1\n' +
        '    Limits:\n' +
        '      cpu:     500m\n' +
        '      memory:  128Mi\n' +
        '    Requests:\n' +
        '      cpu:      250m\n' +
        '      memory:   64Mi\n' +
        '    Readiness:  http-get http://:80/healthz delay=0s timeout=1s period=5s #success=1 #failure=3\n' +
        '    Environment:\n' +
        "      MODE:         prod\n" +
        "      LEVEL:        <set to the key 'level' of config map 'cfg'>  Optional: false\n" +
        "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>    Optional: true\n" +
        '    Mounts:\n' +
        '      /etc/app from config (ro)\n',
    );
  });

  it('ends with conditions, volumes, QoS, selectors, tolerations and the events table', () => {
    const pod = richPod();
    pod.spec.tolerations = [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }];
    const out = describe_(pod, {
      events: [
        event('Pulled', 'Container image "nginx:1.25" already present', { count: 3, firstTimestamp: ago(4 * min), lastTimestamp: ago(30 * sec), source: { component: 'kite-agent' } }),
        event('Scheduled', 'Successfully assigned default/web to node-1', { firstTimestamp: ago(5 * min), lastTimestamp: ago(5 * min) }),
      ],
    });
    assert.equal(
      out.slice(out.indexOf('Conditions:\n')),
      'Conditions:\n' +
        '  Type    Status\n' +
        '  Ready   True\n' +
        'Volumes:\n' +
        '  config:\n' +
        '    Type:        ConfigMap (a volume populated by a ConfigMap)\n' +
        '    Name:        cfg\n' +
        '    Optional:    false\n' +
        'QoS Class:       Burstable\n' +
        'Node-Selectors:  <none>\n' +
        'Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n' +
        'Events:\n' +
        '  Type    Reason     Age               From        Message\n' +
        '  ----    ------     ----              ----        -------\n' +
        '  Normal  Scheduled  5m                scheduler   Successfully assigned default/web to node-1\n' +
        '  Normal  Pulled     30s (x3 over 4m)  kite-agent  Container image "nginx:1.25" already present\n',
    );
  });

  it('never prints a secret value, only the reference', () => {
    const pod = richPod();
    pod.spec.containers[0]!.env = [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }];
    const out = describe_(pod);
    assert.match(out, /TOKEN:\s+<set to the key 'token' in secret 'api'>/);
  });

  it('prints Events: <none> when there are none', () => {
    assert.match(describe_(runningPod('web')), /\nEvents:\s+<none>\n$/);
  });

  it('shows the scheduler\'s reason for a Pending pod', () => {
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: meta('big'),
      spec: { containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '64' } } }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu.' }] },
    };
    const out = describe_(pod);
    assert.match(lineOf(out, 'Status:') ?? '', /Pending$/);
    assert.match(lineOf(out, 'Reason:') ?? '', /Unschedulable$/);
    assert.match(lineOf(out, 'Message:') ?? '', /0\/2 nodes are available: 2 Insufficient cpu\.$/);
    assert.match(lineOf(out, 'Node:') ?? '', /<none>$/);
  });

  it('prefers the caller\'s pending reason when given', () => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec: { containers: [{ name: 'a', image: 'x' }] }, status: { phase: 'Pending' } };
    assert.match(lineOf(describe_(pod, { extra: { pendingReason: 'no nodes registered' } }), 'Message:') ?? '', /no nodes registered$/);
  });

  it('shows Terminating for a pod being deleted', () => {
    const pod = runningPod('web');
    pod.metadata.deletionTimestamp = ago(1 * sec);
    pod.spec.terminationGracePeriodSeconds = 30;
    const out = describe_(pod);
    assert.match(lineOf(out, 'Status:') ?? '', /Terminating$/);
    assert.match(lineOf(out, 'Termination Grace Period:') ?? '', /30s$/);
  });
});

describe('qosClass', () => {
  it('is Guaranteed when limits equal requests, BestEffort without any, else Burstable', () => {
    assert.equal(qosClass([{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }]), 'Guaranteed');
    assert.equal(qosClass([{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } } }]), 'Guaranteed');
    assert.equal(qosClass([{ name: 'a', image: 'x' }]), 'BestEffort');
    assert.equal(qosClass([{ name: 'a', image: 'x', resources: { requests: { cpu: '100m' } } }]), 'Burstable');
    assert.equal(qosClass([{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }]), 'Burstable');
  });
});

describe('printDescribe node', () => {
  it('shows conditions, addresses, capacity and the pods and resources allocated on it', () => {
    const n = node('node-1', { spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } });
    const a = runningPod('web');
    a.spec.containers[0]!.resources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } };
    const b = runningPod('db');
    b.spec.containers[0]!.resources = { limits: { cpu: '1500m', memory: '512Mi' } };
    const finished = runningPod('job-x');
    finished.status!.phase = 'Succeeded';
    finished.spec.containers[0]!.resources = { requests: { cpu: '4' } };
    const out = describe_(n, { extra: { pods: [a, b, finished] } });

    assert.match(lineOf(out, 'Taints:') ?? '', /node.kubernetes.io\/unschedulable:NoSchedule$/);
    assert.match(lineOf(out, 'Unschedulable:') ?? '', /true$/);
    assert.match(out, /\n  Ready   True    Sat, 10 Jan 2026 11:59:50 \+0000   Wed, 07 Jan 2026 12:00:00 \+0000   AgentReady   agent is posting ready status\n/);
    assert.match(out, /\nAddresses:\n  InternalIP:  192.168.1.10\n  Hostname:    node-1\n/);
    assert.match(out, /\nAllocatable:\n  cpu:\s+4\n  memory:\s+8Gi\n  pods:\s+110\n/);
    assert.match(lineOf(out, 'Non-terminated Pods:') ?? '', /\(2 in total\)$/);
    assert.match(out, /\n  default\s+web\s+500m \(12%\)\s+1 \(25%\)\s+1Gi \(12%\)\s+2Gi \(25%\)\s+5m\n/);
    assert.ok(!out.includes('job-x'), 'terminated pods are not listed');
    const allocated = out.slice(out.indexOf('Allocated resources:'), out.indexOf('Events:'));
    assert.equal(
      allocated,
      'Allocated resources:\n' +
        '  (Total limits may be over 100 percent, i.e., overcommitted.)\n' +
        '  Resource  Requests      Limits\n' +
        '  --------  --------      ------\n' +
        '  cpu       2 (50%)       2500m (62%)\n' +
        '  memory    1536Mi (18%)  2560Mi (31%)\n',
    );
  });

  it('leaves out the pods sections when the caller gave no pods', () => {
    const out = describe_(node('node-1'));
    assert.ok(!out.includes('Allocated resources'));
    assert.match(out, /System Info:\n  Kernel Version:\s+6.1.0-18-amd64\n/);
  });
});

describe('printDescribe deployment', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } };
  const deployment: Deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...meta('web'), uid: 'd1', creationTimestamp: '2026-01-10T11:55:00Z' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
    status: { replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] },
  };
  const rs = (name: string, image: string, replicas: number, revision: string): ReplicaSet => ({
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { ...meta(name), annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name.slice(4) } }, spec: { containers: [{ name: 'app', image }] } } },
    status: { replicas },
  });

  it('prints replicas, strategy, template, conditions and old/new replica sets', () => {
    const out = describe_(deployment, { extra: { replicaSets: [rs('web-aaa', 'nginx:1.24', 0, '1'), rs('web-bbb', 'nginx:1.25', 2, '2'), rs('web-ccc', 'nginx:1.26', 2, '3')] } });
    assert.equal(
      out,
      'Name:                   web\n' +
        'Namespace:              default\n' +
        'CreationTimestamp:      Sat, 10 Jan 2026 11:55:00 +0000\n' +
        'Labels:                 <none>\n' +
        'Annotations:            <none>\n' +
        'Selector:               app=web\n' +
        'Replicas:               3 desired | 2 updated | 4 total | 3 available | 1 unavailable\n' +
        'StrategyType:           RollingUpdate\n' +
        'MinReadySeconds:        0\n' +
        'RollingUpdateStrategy:  25% max unavailable, 25% max surge\n' +
        'Pod Template:\n' +
        '  Labels:  app=web\n' +
        '  Containers:\n' +
        '   app:\n' +
        '    Image:         nginx:1.26\n' +
        '    Port:          <none>\n' +
        '    Host Port:     <none>\n' +
        '    Environment:   <none>\n' +
        '    Mounts:        <none>\n' +
        '  Volumes:         <none>\n' +
        '  Node-Selectors:  <none>\n' +
        '  Tolerations:     <none>\n' +
        'Conditions:\n' +
        '  Type           Status  Reason\n' +
        '  ----           ------  ------\n' +
        '  Available      True    MinimumReplicasAvailable\n' +
        '  Progressing    True    ReplicaSetUpdated\n' +
        'OldReplicaSets:  web-bbb (2/2 replicas created)\n' +
        'NewReplicaSet:   web-ccc (2/2 replicas created)\n' +
        'Events:          <none>\n',
    );
  });

  it('shows the configured rolling update bounds and <none> without replica sets', () => {
    const d: Deployment = { ...deployment, spec: { ...deployment.spec, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } };
    const out = describe_(d, { extra: { replicaSets: [] } });
    assert.match(lineOf(out, 'RollingUpdateStrategy:') ?? '', /0 max unavailable, 1 max surge$/);
    assert.match(lineOf(out, 'NewReplicaSet:') ?? '', /<none>$/);
  });
});

describe('printDescribe job', () => {
  it('prints completions, timing and pod statuses', () => {
    const job: Job = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi'),
      spec: { completions: 3, parallelism: 1, backoffLimit: 6, template: { spec: { containers: [{ name: 'pi', image: 'perl', command: ['perl', '-e', 'print 1'] }], restartPolicy: 'Never' } } },
      status: { succeeded: 3, startTime: '2026-01-10T11:56:00Z', completionTime: '2026-01-10T11:57:30Z' },
    };
    const out = describe_(job);
    assert.match(lineOf(out, 'Completions:') ?? '', /3$/);
    assert.match(lineOf(out, 'Duration:') ?? '', /90s$/);
    assert.match(lineOf(out, 'Pods Statuses:') ?? '', /0 Active \/ 3 Succeeded \/ 0 Failed$/);
    assert.match(out, /    Command:\n      perl\n      -e\n      print 1\n/);
  });
});

describe('printDescribe service', () => {
  it('prints ports with target ports and the endpoints of ready pods', () => {
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'web', nodePort: 30080 }] } };
    const ready = runningPod('a');
    ready.spec.containers[0]!.ports = [{ name: 'web', containerPort: 8080 }];
    const notReady = runningPod('b');
    notReady.status!.conditions = [{ type: 'Ready', status: 'False' }];
    const out = describe_(svc, { extra: { pods: [ready, notReady] } });
    assert.match(lineOf(out, 'Selector:') ?? '', /app=web$/);
    assert.match(lineOf(out, 'Port:') ?? '', /http\s+80\/TCP$/);
    assert.match(lineOf(out, 'TargetPort:') ?? '', /web\/TCP$/);
    assert.match(lineOf(out, 'NodePort:') ?? '', /http\s+30080\/TCP$/);
    assert.match(lineOf(out, 'Endpoints:') ?? '', /\s10\.88\.0\.5:8080$/);
  });
});

describe('printDescribe configmap and secret', () => {
  it('prints configmap data in full', () => {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg'), data: { 'b.conf': 'x=1\ny=2', a: '3' } };
    assert.equal(
      describe_(cm),
      'Name:         cfg\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\n' +
        'Data\n====\na:\n----\n3\n\nb.conf:\n----\nx=1\ny=2\n\n\nBinaryData\n====\n\nEvents:  <none>\n',
    );
  });

  it('prints secret sizes, never values', () => {
    const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: meta('db'), type: 'Opaque', data: { password: Buffer.from('hunter22').toString('base64') }, stringData: { user: 'admin' } };
    const out = describe_(secret);
    assert.match(out, /\nType:  Opaque\n\nData\n====\npassword:  8 bytes\nuser:      5 bytes\n$/);
    assert.ok(!out.includes('hunter22') && !out.includes('admin') && !out.includes(secret.data!.password!));
  });
});

describe('printDescribe replicaset, daemonset and namespace', () => {
  const template = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }], nodeSelector: { disk: 'ssd' } } };

  it('prints a replicaset\'s owner, replicas and pod statuses', () => {
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { ...meta('web-5d9f'), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd', controller: true }] },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 2 },
    };
    const pending = runningPod('p2');
    pending.status!.phase = 'Pending';
    const out = describe_(rs, { extra: { pods: [runningPod('p1'), pending] } });
    assert.match(lineOf(out, 'Controlled By:') ?? '', /Deployment\/web$/);
    assert.match(lineOf(out, 'Replicas:') ?? '', /2 current \/ 2 desired$/);
    assert.match(lineOf(out, 'Pods Status:') ?? '', /1 Running \/ 1 Waiting \/ 0 Succeeded \/ 0 Failed$/);
    assert.match(lineOf(out, 'Node-Selectors:') ?? '', /disk=ssd$/);
  });

  it('prints a daemonset\'s scheduling counts', () => {
    const ds: DaemonSet = {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent'),
      spec: { selector: { matchLabels: { app: 'agent' } }, template },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1, numberMisscheduled: 0 },
    };
    const out = describe_(ds);
    assert.match(out, /\nNode-Selector:\s+disk=ssd\n/);
    assert.match(out, /\nDesired Number of Nodes Scheduled: 3\nCurrent Number of Nodes Scheduled: 2\n/);
    assert.match(out, /\nNumber of Nodes Scheduled with Available Pods: 1\n/);
  });

  it('prints a namespace\'s status without events', () => {
    const out = describe_({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { team: 'a' } } } as Namespace);
    assert.equal(out, 'Name:         prod\nLabels:       team=a\nAnnotations:  <none>\nStatus:       Active\n');
  });
});
