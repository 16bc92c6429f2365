// One valid, defaulted object of every kind, as the API server would store it, for the kind tests.
import type {
  ConfigMap, CronJob, DaemonSet, Deployment, Endpoints, Event, Job, KObject, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, Secret, Service,
  ServiceAccount, StatefulSet, StorageClass,
} from '../../../common/api/types';
import { applyDefaults } from '../../../common/manifest/defaults';

const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', env: [{ name: 'MODE', value: 'a' }] }] } };

export const pod = (): Pod => applyDefaults<Pod>({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25', env: [{ name: 'MODE', value: 'a' }] }], tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }] },
});

export const deployment = (): Deployment => applyDefaults<Deployment>({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: labels }, template },
});

export const replicaSet = (): ReplicaSet => applyDefaults<ReplicaSet>({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc' }, spec: { replicas: 2, selector: { matchLabels: labels }, template },
});

export const daemonSet = (): DaemonSet => applyDefaults<DaemonSet>({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: labels }, template },
});

export const statefulSet = (): StatefulSet => applyDefaults<StatefulSet>({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
  spec: {
    serviceName: 'db', replicas: 3, selector: { matchLabels: labels },
    template: { ...template, spec: { containers: [{ ...template.spec.containers[0]!, volumeMounts: [{ name: 'data', mountPath: '/var/lib/data' }] }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});

export const job = (): Job => applyDefaults<Job>({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' },
  spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' } } },
});

export const cronJob = (): CronJob => applyDefaults<CronJob>({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' },
  spec: { schedule: '0 3 * * *', timeZone: 'Europe/Paris', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'backup', image: 'busybox:1' }], restartPolicy: 'OnFailure' } } } } },
});

export const service = (): Service => applyDefaults<Service>({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: labels, ports: [{ port: 80 }], clusterIP: '10.96.0.10' },
});

export const endpoints = (): Endpoints => applyDefaults<Endpoints>({
  apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' },
  subsets: [{
    addresses: [{ ip: '10.244.1.5', nodeName: 'worker-1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'u1' } }],
    notReadyAddresses: [{ ip: '10.244.2.7' }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  }],
});

export const configMap = (): ConfigMap => applyDefaults<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' }, data: { a: '1' } });

export const secret = (): Secret => applyDefaults<Secret>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { token: 't' } });

export const serviceAccount = (): ServiceAccount => applyDefaults<ServiceAccount>({
  apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' }, secrets: [{ name: 'builder-token' }], imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false,
});

export const namespace = (): Namespace => applyDefaults<Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });

export const node = (): Node => applyDefaults<Node>({
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] },
});

export const event = (): Event => applyDefaults<Event>({
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'web-1.1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web-1' },
  reason: 'Started', message: 'Started container web', type: 'Normal', count: 1, firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:00:00Z',
});

export const persistentVolumeClaim = (): PersistentVolumeClaim => applyDefaults<PersistentVolumeClaim>({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path' },
});

export const persistentVolume = (): PersistentVolume => applyDefaults<PersistentVolume>({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' },
  spec: {
    capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', local: { path: '/mnt/disk1' },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['worker-1'] }] }] } },
  },
});

export const storageClass = (): StorageClass => applyDefaults<StorageClass>({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'rancher.io/local-path',
});

/** One object of every kind, keyed by kind. */
export const ONE_OF_EACH: Readonly<Record<string, () => KObject>> = {
  Pod: pod, Deployment: deployment, ReplicaSet: replicaSet, DaemonSet: daemonSet, StatefulSet: statefulSet, Job: job, CronJob: cronJob, Service: service, Endpoints: endpoints,
  ConfigMap: configMap, Secret: secret, ServiceAccount: serviceAccount, Namespace: namespace, Node: node, Event: event,
  PersistentVolumeClaim: persistentVolumeClaim, PersistentVolume: persistentVolume, StorageClass: storageClass,
};
