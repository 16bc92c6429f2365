// Pod Security Admission over the real API: a real controller process on a real etcd.
import assert from 'node:assert/strict';
import type { Deployment, KObject, Namespace, Pod } from '../../common/api/types';
import type { KiteClient } from '../../common/client';
import { POD_SECURITY_ENFORCE_LABEL } from '../../common/kinds/namespace';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, eventually, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';
import { rejects } from '../harness/assertions';

const PREFIX = '/kite-it-pod-security';

function namespace(name: string, level?: string): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(level ? { labels: { [POD_SECURITY_ENFORCE_LABEL]: level } } : {}) } };
}

function privilegedPod(name: string, namespace?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'main', image: 'busybox:1', securityContext: { privileged: true } }] },
  } as Pod;
}

function hostNetworkDeployment(name: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { hostNetwork: true, containers: [{ name: 'main', image: 'busybox:1' }] } },
    },
  } as Deployment;
}


async function absent(client: KiteClient, kind: string, name: string, ns = ''): Promise<void> {
  await rejects(client.get(kind, name, ns), 'NotFound');
}

describe('Pod Security Admission (integration: etcd + controller)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let client: KiteClient;

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'psa-it', leaderTtlSeconds: 2 });
    client = ctl.client;
  });

  after(async () => {
    await ctl?.stop();
    await etcd?.stop();
  });

  it('refuses a privileged pod in default (baseline) with the field path and the level, and writes nothing', async () => {
    const e = await rejects(client.apply([privilegedPod('root-pod')]), 'Forbidden');
    assert.match(e.message, /Pod "root-pod": violates PodSecurity "baseline": spec\.containers\[0\]\.securityContext\.privileged: privileged containers are not allowed/);
    assert.match(e.message, /namespace "default" enforces "baseline"/);
    await absent(client, 'Pod', 'root-pod', 'default');
  });

  it('refuses the whole apply when one object is refused: the allowed objects beside it are not written either', async () => {
    const fine: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'beside-refused' }, data: { k: 'v' } };
    await rejects(client.apply([fine, privilegedPod('root-pod-2')]), 'Forbidden');
    await absent(client, 'ConfigMap', 'beside-refused', 'default');
    // A dry run is refused the same way.
    await rejects(client.apply([privilegedPod('root-pod-3')], true), 'Forbidden');
  });

  it('accepts a privileged pod in a namespace labelled privileged, also when the same apply creates it', async () => {
    await client.apply([namespace('ops', 'privileged')]);
    await client.apply([privilegedPod('root-pod', 'ops')]);
    assert.equal((await client.get<Pod>('Pod', 'root-pod', 'ops')).spec.containers[0]?.securityContext?.privileged, true);
    await client.apply([namespace('ops-new', 'privileged'), privilegedPod('root-pod', 'ops-new')]);
    await client.get('Pod', 'root-pod', 'ops-new');
  });

  it('refuses a hostNetwork Deployment naming its template path', async () => {
    const e = await rejects(client.apply([hostNetworkDeployment('hostnet')]), 'Forbidden');
    // (Over gRPC the details follow the message, one per line.)
    assert.equal(e.message.split('\n')[0], 'Deployment "hostnet": violates PodSecurity "baseline": spec.template.spec.hostNetwork: host networking is not allowed (namespace "default" enforces "baseline")');
    await absent(client, 'Deployment', 'hostnet', 'default');
  });

  it('refuses an update that makes a Deployment\'s template privileged', async () => {
    const plain = hostNetworkDeployment('to-update');
    delete plain.spec.template.spec.hostNetwork;
    await client.apply([plain]);
    const stored = await client.get<Deployment>('Deployment', 'to-update', 'default');
    stored.spec.template.spec.containers[0]!.securityContext = { capabilities: { add: ['SYS_ADMIN'] } };
    const e = await rejects(client.update(stored), 'Forbidden');
    assert.match(e.message, /spec\.template\.spec\.containers\[0\]\.securityContext\.capabilities\.add: adding SYS_ADMIN is not allowed/);
    assert.equal((await client.get<Deployment>('Deployment', 'to-update', 'default')).spec.template.spec.containers[0]?.securityContext, undefined);
  });

  it('allows a privileged pod in kube-system, which is created privileged', async () => {
    const ns = await eventually(() => client.get<Namespace>('Namespace', 'kube-system').catch(() => undefined), 10_000, 'kube-system exists');
    assert.equal(ns.metadata.labels?.[POD_SECURITY_ENFORCE_LABEL], 'privileged');
    await client.apply([privilegedPod('system-agent', 'kube-system')]);
    await client.get('Pod', 'system-agent', 'kube-system');
  });

  it('refuses a namespace with an invalid level, and a restricted namespace refuses a plain pod', async () => {
    const e = await rejects(client.apply([namespace('bad-level', 'open')]), 'Invalid');
    assert.match(e.message + e.details.join('\n'), /metadata\.labels\["pod-security\.kubernetes\.io\/enforce"\]: unsupported value "open": must be one of privileged, baseline, restricted/);
    await absent(client, 'Namespace', 'bad-level');
    await client.apply([namespace('locked', 'restricted')]);
    const plain = privilegedPod('plain', 'locked');
    delete plain.spec.containers[0]!.securityContext;
    const refused = await rejects(client.apply([plain]), 'Forbidden');
    assert.match(refused.message, /violates PodSecurity "restricted": .*allowPrivilegeEscalation: must be false/);
  });
});
