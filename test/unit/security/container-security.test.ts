import assert from 'node:assert/strict';
import type { Container, Pod, PodSpec } from '../../../common/api/types';
import { containerSecurity, nonRootProblem, securityHostConfig } from '../../../node-agent/executor/container-security';

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

  it('passes capabilities and a read-only root filesystem through', () => {
    const s = sec({}, { securityContext: { readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } } });
    assert.equal(s.readonlyRootfs, true);
    assert.deepEqual(s.capAdd, ['NET_ADMIN']);
    assert.deepEqual(s.capDrop, ['ALL']);
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
    assert.deepEqual([host.CapAdd, host.CapDrop], [['NET_ADMIN'], ['ALL']]);
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
