import assert from 'node:assert/strict';
import type { Namespace } from '../../../common/api/types';
import { POD_SECURITY_ENFORCE_LABEL } from '../../../common/kinds/namespace';
import { validateObject } from '../../../common/manifest';
import { ensureSystemNamespaces } from '../../../controller/namespaces/namespace-controller';
import { MemoryStore } from '../../../controller/store/memory-store';

const issues = (obj: unknown) => {
  const r = validateObject(obj);
  return { errors: r.errors.map((e) => `${e.path}: ${e.message}`), warnings: r.warnings.map((w) => `${w.path}: ${w.message}`) };
};
const namespace = (labels: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', labels } });
const podWith = (spec: Record<string, unknown>, securityContext?: Record<string, unknown>) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
  spec: { containers: [{ name: 'app', image: 'busybox', ...(securityContext ? { securityContext } : {}) }], ...spec },
});

describe('pod security fields in manifests', () => {
  it('accepts the three levels on a namespace and refuses any other value', () => {
    for (const level of ['privileged', 'baseline', 'restricted']) assert.deepEqual(issues(namespace({ [POD_SECURITY_ENFORCE_LABEL]: level })).errors, []);
    assert.deepEqual(issues(namespace({ [POD_SECURITY_ENFORCE_LABEL]: 'open' })).errors, [
      'metadata.labels["pod-security.kubernetes.io/enforce"]: unsupported value "open": must be one of privileged, baseline, restricted',
    ]);
  });

  it('knows hostPID, hostIPC and the pod securityContext fields Kite applies, and says which have no effect', () => {
    const applied = {
      runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' },
      fsGroup: 2000, fsGroupChangePolicy: 'OnRootMismatch', supplementalGroups: [3000, 3001], supplementalGroupsPolicy: 'Merge',
      sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel/shm_rmid_forced', value: '1' }],
    };
    assert.deepEqual(issues(podWith({ hostPID: true, hostIPC: false, securityContext: applied })), { errors: [], warnings: [] });
    const r = issues(podWith({ securityContext: { seLinuxOptions: { level: 's0:c1' }, windowsOptions: { runAsUserName: 'x' } } }, { seLinuxOptions: { type: 't' } }));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, [
      "spec.containers[0].securityContext.seLinuxOptions: has no effect in Kite: Kite's nodes do not apply SELinux labels to containers",
      "spec.securityContext.seLinuxOptions: has no effect in Kite: Kite's nodes do not apply SELinux labels to containers",
      'spec.securityContext.windowsOptions: has no effect in Kite: Kite runs Linux containers only',
    ]);
    assert.match(issues(podWith({ hostPID: 'yes' })).errors.join('\n'), /spec\.hostPID: must be true or false/);
  });

  it('checks groups, fsGroupChangePolicy and supplementalGroupsPolicy', () => {
    const errors = (securityContext: Record<string, unknown>) => issues(podWith({ securityContext })).errors;
    assert.match(errors({ fsGroup: -1 }).join('\n'), /spec\.securityContext\.fsGroup: /);
    assert.match(errors({ supplementalGroups: [1, 'wheel'] }).join('\n'), /spec\.securityContext\.supplementalGroups\[1\]: /);
    assert.match(errors({ fsGroupChangePolicy: 'Sometimes' }).join('\n'), /unsupported value "Sometimes"/);
    assert.deepEqual(errors({ supplementalGroupsPolicy: 'Strict' }), [
      'spec.securityContext.supplementalGroupsPolicy: Strict is not supported: the container engine always adds the groups the image gives the user (Merge)',
    ]);
  });

  it('allows only the safe sysctls, once each, and none that would reach the node\'s namespaces', () => {
    const errors = (spec: Record<string, unknown>) => issues(podWith(spec)).errors;
    assert.match(errors({ securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }).join('\n'), /sysctls\[0\]\.name: invalid value "kernel\.msgmax": not a safe sysctl/);
    assert.match(errors({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies' }] } }).join('\n'), /sysctls\[0\]\.value: is required/);
    const twice = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '0' }];
    assert.match(errors({ securityContext: { sysctls: twice } }).join('\n'), /duplicate sysctl "net\.ipv4\.tcp_syncookies"/);
    assert.deepEqual(errors({ hostNetwork: true, securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] } }), [
      "spec.securityContext.sysctls[0].name: net.ipv4.tcp_syncookies is not allowed with hostNetwork: it would change the node's network namespace",
    ]);
    assert.deepEqual(errors({ hostIPC: true, securityContext: { sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }] } }), [
      "spec.securityContext.sysctls[0].name: kernel.shm_rmid_forced is not allowed with hostIPC: it would change the node's IPC namespace",
    ]);
  });

  it('checks AppArmor profiles and refuses an unmasked /proc', () => {
    const C = 'spec.containers[0].securityContext';
    assert.deepEqual(issues(podWith({}, { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' }, procMount: 'Default' })).errors, []);
    assert.deepEqual(issues(podWith({}, { appArmorProfile: { type: 'Localhost' } })).errors, [`${C}.appArmorProfile.localhostProfile: is required when type is Localhost`]);
    assert.deepEqual(issues(podWith({}, { appArmorProfile: { type: 'Unconfined', localhostProfile: 'x' } })).errors, [`${C}.appArmorProfile.localhostProfile: may only be set when type is Localhost`]);
    assert.deepEqual(issues(podWith({}, { procMount: 'Unmasked' })).errors, [`${C}.procMount: Unmasked requires hostUsers: false, which Kite does not support`]);
  });

  it('knows allowPrivilegeEscalation, runAsNonRoot and seccompProfile on containers', () => {
    const sc = { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } };
    assert.deepEqual(issues(podWith({}, sc)), { errors: [], warnings: [] });
  });

  it('checks seccomp profiles as Kubernetes does', () => {
    const C = 'spec.containers[0].securityContext.seccompProfile';
    assert.deepEqual(issues(podWith({}, { seccompProfile: { type: 'Localhost' } })).errors, [`${C}.localhostProfile: is required when type is Localhost`]);
    assert.deepEqual(issues(podWith({}, { seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'x' } })).errors, [`${C}.localhostProfile: may only be set when type is Localhost`]);
    assert.match(issues(podWith({}, { seccompProfile: { type: 'Localhost', localhostProfile: '../../etc/x' } })).errors.join('\n'), /must be a relative path without "\.\."/);
    assert.match(issues(podWith({}, { seccompProfile: { type: 'unconfined' } })).errors.join('\n'), /unsupported value "unconfined"/);
  });

  it('refuses a privileged container that says it cannot escalate', () => {
    assert.deepEqual(issues(podWith({}, { privileged: true, allowPrivilegeEscalation: false })).errors, [
      'spec.containers[0].securityContext.allowPrivilegeEscalation: cannot be false when privileged is true',
    ]);
  });
});

describe('system namespaces and their levels', () => {
  const level = (ns: Namespace | undefined) => ns?.metadata.labels?.[POD_SECURITY_ENFORCE_LABEL];

  it('creates kube-system privileged and leaves the others at the default', async () => {
    const store = new MemoryStore();
    await ensureSystemNamespaces(store);
    assert.equal(level(await store.get<Namespace>('Namespace', '', 'kube-system')), 'privileged');
    assert.equal(level(await store.get<Namespace>('Namespace', '', 'default')), undefined);
  });

  it('labels an existing kube-system that lacks the label, keeping its other labels, and keeps a level someone set', async () => {
    const store = new MemoryStore();
    await store.create<Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: { team: 'infra' } }, spec: {} });
    await ensureSystemNamespaces(store);
    const ns = await store.get<Namespace>('Namespace', '', 'kube-system');
    assert.deepEqual(ns?.metadata.labels, { team: 'infra', [POD_SECURITY_ENFORCE_LABEL]: 'privileged' });
    await store.update<Namespace>({ ...ns!, metadata: { ...ns!.metadata, labels: { [POD_SECURITY_ENFORCE_LABEL]: 'baseline' } } });
    await ensureSystemNamespaces(store);
    assert.equal(level(await store.get<Namespace>('Namespace', '', 'kube-system')), 'baseline');
  });
});
