import assert from 'node:assert/strict';
import type { Container, Pod, PodSpec } from '../../../common/api/types';
import { capabilityName, containerSecurity, nonRootProblem, podSysctls, securityHostConfig } from '../../../node-agent/executor/container-security';

const podOf = (spec: Partial<PodSpec> = {}, c: Partial<Container> = {}): { pod: Pod; container: Container } => {
  const container: Container = { name: 'app', image: 'busybox', ...c };
  return { pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [container], ...spec } } as Pod, container };
};
const sec = (spec: Partial<PodSpec> = {}, c: Partial<Container> = {}) => {
  const { pod, container } = podOf(spec, c);
  return containerSecurity(pod, container);
};

describe('containerSecurity (pod security settings to the engine)', () => {
  it('runs every plain container with no-new-privileges, unprivileged, on its own PID and IPC namespaces', () => {
    const s = sec();
    assert.deepEqual(s.securityOpt, ['no-new-privileges']);
    assert.equal(s.privileged, false);
    assert.equal(s.pidMode, undefined);
    assert.equal(s.ipcMode, undefined);
    assert.equal(s.user, undefined);
    assert.deepEqual(sec({}, { securityContext: { allowPrivilegeEscalation: false } }).securityOpt, ['no-new-privileges']);
  });

  it('drops no-new-privileges only for privileged containers or allowPrivilegeEscalation: true', () => {
    assert.deepEqual(sec({}, { securityContext: { privileged: true } }).securityOpt, []);
    assert.equal(sec({}, { securityContext: { privileged: true } }).privileged, true);
    assert.deepEqual(sec({}, { securityContext: { allowPrivilegeEscalation: true } }).securityOpt, []);
  });

  it('maps hostPID and hostIPC to the host\'s namespaces', () => {
    const s = sec({ hostPID: true, hostIPC: true });
    assert.equal(s.pidMode, 'host');
    assert.equal(s.ipcMode, 'host');
    assert.equal(sec({ hostPID: false }).pidMode, undefined);
  });

  it('takes user, group, runAsNonRoot and seccomp from the pod unless the container sets its own', () => {
    const pod = { securityContext: { runAsUser: 1000, runAsGroup: 2000, runAsNonRoot: true, seccompProfile: { type: 'Unconfined' as const } } };
    const s = sec(pod);
    assert.equal(s.user, '1000:2000');
    assert.equal(s.uid, 1000);
    assert.equal(s.runAsNonRoot, true);
    assert.deepEqual(s.securityOpt, ['no-new-privileges', 'seccomp=unconfined']);
    const own = sec(pod, { securityContext: { runAsUser: 7, runAsNonRoot: false, seccompProfile: { type: 'Localhost', localhostProfile: 'audit.json' } } });
    assert.equal(own.user, '7:2000');
    assert.equal(own.runAsNonRoot, false);
    assert.deepEqual(own.securityOpt, ['no-new-privileges']);
    assert.equal(own.seccompLocalhost, 'audit.json');
    assert.deepEqual(sec({}, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }).securityOpt, ['no-new-privileges']);
  });

  it('passes capabilities (in the engine\'s spelling) and a read-only root filesystem through', () => {
    const s = sec({}, { securityContext: { readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN', 'CAP_SYS_TIME', 'chown'], drop: ['ALL'] } } });
    assert.equal(s.readonlyRootfs, true);
    assert.deepEqual(s.capAdd, ['CAP_NET_ADMIN', 'CAP_SYS_TIME', 'CAP_CHOWN']);
    assert.deepEqual(s.capDrop, ['ALL']);
    assert.deepEqual(['all', ' cap_kill ', 'CAP_KILL', 'kill'].map(capabilityName), ['ALL', 'CAP_KILL', 'CAP_KILL', 'CAP_KILL']);
  });

  it('runs a uid without runAsGroup as "uid", so the engine takes its group from the image (else 0), as the kubelet', () => {
    assert.equal(sec({ securityContext: { runAsUser: 1000 } }).user, '1000');
    assert.equal(sec({ securityContext: { runAsGroup: 5 } }).user, undefined, 'a group alone keeps the image\'s user');
  });

  it('adds the pod\'s supplementalGroups and then its fsGroup to every container\'s groups', () => {
    const spec = { securityContext: { supplementalGroups: [3000, 3001], fsGroup: 2000 } };
    assert.deepEqual(sec(spec).groupAdd, ['3000', '3001', '2000']);
    assert.deepEqual(sec(spec, { securityContext: { runAsUser: 7 } }).groupAdd, ['3000', '3001', '2000']);
    assert.deepEqual(sec({ securityContext: { supplementalGroups: [2000], fsGroup: 2000 } }).groupAdd, ['2000']);
    assert.equal(sec().groupAdd, undefined);
  });

  it('maps AppArmor profiles to the engine\'s, the container\'s over the pod\'s', () => {
    const pod = { securityContext: { appArmorProfile: { type: 'RuntimeDefault' as const } } };
    assert.deepEqual(sec(pod).securityOpt, ['no-new-privileges', 'apparmor=docker-default']);
    assert.deepEqual(sec(pod, { securityContext: { appArmorProfile: { type: 'Unconfined' } } }).securityOpt, ['no-new-privileges', 'apparmor=unconfined']);
    assert.deepEqual(sec({}, { securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' } } }).securityOpt, ['no-new-privileges', 'apparmor=k8s-nginx']);
  });
});

describe('podSysctls (the pod\'s sysctls to the namespace owners)', () => {
  const { pod } = podOf({ securityContext: { sysctls: [{ name: 'net/ipv4/tcp_syncookies', value: '0' }, { name: 'kernel.shm_rmid_forced', value: '1' }] } });
  it('gives the network owner every sysctl and other containers only those of their own IPC namespace', () => {
    assert.deepEqual(podSysctls(pod, true), { 'net.ipv4.tcp_syncookies': '0', 'kernel.shm_rmid_forced': '1' });
    assert.deepEqual(podSysctls(pod, false), { 'kernel.shm_rmid_forced': '1' });
  });
  it('never sets a network sysctl on the host\'s network, and nothing when there are none', () => {
    assert.deepEqual(podSysctls({ ...pod, spec: { ...pod.spec, hostNetwork: true } }, true), { 'kernel.shm_rmid_forced': '1' });
    assert.equal(podSysctls(podOf().pod, true), undefined);
  });
});

describe('securityHostConfig (the engine\'s HostConfig)', () => {
  it('sets SecurityOpt no-new-privileges on a plain container and nothing host-wide', () => {
    assert.deepEqual(securityHostConfig(sec()), { Privileged: false, ReadonlyRootfs: false, SecurityOpt: ['no-new-privileges'] });
  });
  it('gives a privileged container no SecurityOpt, and hostPID/hostIPC the host\'s PidMode/IpcMode', () => {
    assert.deepEqual(securityHostConfig(sec({ hostPID: true, hostIPC: true }, { securityContext: { privileged: true } })), {
      Privileged: true, ReadonlyRootfs: false, PidMode: 'host', IpcMode: 'host',
    });
  });
  it('passes a Localhost seccomp profile\'s content and capabilities', () => {
    const s = sec({}, { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' }, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } } });
    const host = securityHostConfig(s, '{"defaultAction":"SCMP_ACT_ALLOW"}');
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges', 'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']);
    assert.deepEqual([host.CapAdd, host.CapDrop], [['CAP_NET_ADMIN'], ['ALL']]);
  });
  it('passes the extra groups as GroupAdd', () => {
    assert.deepEqual(securityHostConfig(sec({ securityContext: { supplementalGroups: [10], fsGroup: 20 } })).GroupAdd, ['10', '20']);
  });
});

describe('nonRootProblem (the kubelet\'s runAsNonRoot check)', () => {
  const nonRoot = (uid?: number) => sec({}, { securityContext: { runAsNonRoot: true, ...(uid !== undefined ? { runAsUser: uid } : {}) } });
  it('lets a container that does not ask start whatever the image', () => {
    assert.equal(nonRootProblem(sec(), ''), undefined);
  });
  it('decides by the uid asked for, without looking at the image', () => {
    assert.equal(nonRootProblem(nonRoot(1000), undefined), undefined);
    assert.match(nonRootProblem(nonRoot(0), undefined)!, /runAsUser breaks non-root policy/);
  });
  it('refuses an image running as root or as a name, and allows a numeric non-root user', () => {
    for (const user of ['', 'root', '0', '0:0', undefined]) assert.match(nonRootProblem(nonRoot(), user)!, /image will run as root/, String(user));
    assert.match(nonRootProblem(nonRoot(), 'nobody')!, /non-numeric user \(nobody\)/);
    assert.equal(nonRootProblem(nonRoot(), '65534'), undefined);
    assert.equal(nonRootProblem(nonRoot(), '1000:1000'), undefined);
  });
});
