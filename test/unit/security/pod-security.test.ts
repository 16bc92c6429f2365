import assert from 'node:assert/strict';
import type { Container, KObject, Namespace, PodSpec } from '../../../common/api/types';
import { isKiteError } from '../../../common/errors';
import { POD_SECURITY_ENFORCE_LABEL, type PodSecurityLevel } from '../../../common/kinds/namespace';
import { podSpecOf, podSpecPath } from '../../../common/kinds/pod-spec-path';
import { KINDS } from '../../../common/kinds/registry';
import { PodSecurityGate } from '../../../controller/api/pod-security-gate';
import { podSecurityViolations } from '../../../controller/security/pod-security';
import { MemoryStore } from '../../../controller/store/memory-store';
import { daemonSet, deployment, job, pod, replicaSet } from '../kinds/fixtures';

const container = (more: Partial<Container> = {}): Container => ({ name: 'app', image: 'busybox', ...more });
const spec = (more: Partial<PodSpec> = {}, c: Partial<Container> = {}): PodSpec => ({ containers: [container(c)], ...more });

/** A container that meets restricted: what a hardened manifest says. */
const hardened: Partial<Container> = {
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } },
};
const hardenedSpec = (more: Partial<PodSpec> = {}, sc: Container['securityContext'] = {}): PodSpec =>
  spec(more, { securityContext: { ...hardened.securityContext, ...sc } });

const paths = (level: PodSecurityLevel, s: PodSpec, prefix = 'spec') => podSecurityViolations(level, s, prefix).map((v) => v.path);

describe('podSecurityViolations (Pod Security Standards)', () => {
  const C = 'spec.containers[0]';
  // [what, spec, paths refused under baseline (and so under restricted)]
  const baselineCases: [string, PodSpec, string[]][] = [
    ['hostNetwork', spec({ hostNetwork: true }), ['spec.hostNetwork']],
    ['hostPID', spec({ hostPID: true }), ['spec.hostPID']],
    ['hostIPC', spec({ hostIPC: true }), ['spec.hostIPC']],
    ['a privileged container', spec({}, { securityContext: { privileged: true } }), [`${C}.securityContext.privileged`]],
    ['a hostPath volume', spec({ volumes: [{ name: 'v', emptyDir: {} }, { name: 'root', hostPath: { path: '/' } }] }), ['spec.volumes[1].hostPath']],
    ['an added capability beyond the default set', spec({}, { securityContext: { capabilities: { add: ['CHOWN', 'SYS_ADMIN', 'NET_RAW'] } } }), [`${C}.securityContext.capabilities.add`]],
    ['a host port below 1024', spec({}, { ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 80 }] }), [`${C}.ports[1].hostPort`]],
    ['seccomp Unconfined at pod level', spec({ securityContext: { seccompProfile: { type: 'Unconfined' } } }), ['spec.securityContext.seccompProfile.type']],
    ['seccomp Unconfined in a container', spec({}, { securityContext: { seccompProfile: { type: 'Unconfined' } } }), [`${C}.securityContext.seccompProfile.type`]],
    ['AppArmor Unconfined at pod level', spec({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }), ['spec.securityContext.appArmorProfile.type']],
    ['AppArmor Unconfined in a container', spec({}, { securityContext: { appArmorProfile: { type: 'Unconfined' } } }), [`${C}.securityContext.appArmorProfile.type`]],
  ];
  for (const [what, s, refused] of baselineCases) {
    it(`baseline refuses ${what}; privileged allows it`, () => {
      assert.deepEqual(paths('baseline', s), refused);
      assert.deepEqual(paths('privileged', s), []);
      for (const p of refused) assert.ok(paths('restricted', s).includes(p), `restricted must refuse ${p} too`);
    });
  }

  it('baseline allows the default pod, the default capabilities, high host ports and false host flags', () => {
    assert.deepEqual(paths('baseline', spec()), []);
    const s = spec(
      { hostNetwork: false, hostPID: false, hostIPC: false, volumes: [{ name: 'c', configMap: { name: 'c' } }], securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
      { ports: [{ containerPort: 80, hostPort: 1024 }], securityContext: { privileged: false, capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN', 'KILL'], drop: ['NET_RAW'] } } },
    );
    assert.deepEqual(paths('baseline', s), []);
  });

  it('names the level\'s reasons: the container, the capability, the port', () => {
    const [cap] = podSecurityViolations('baseline', spec({}, { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }), 'spec');
    assert.match(cap!.message, /adding SYS_ADMIN is not allowed \(container "app"/);
    const [port] = podSecurityViolations('baseline', spec({}, { ports: [{ containerPort: 80, hostPort: 443 }] }), 'spec');
    assert.match(port!.message, /host port 443 is below 1024/);
    const [net] = podSecurityViolations('baseline', spec({ hostNetwork: true }), 'spec');
    assert.equal(net!.message, 'host networking is not allowed');
  });

  it('restricted allows a hardened pod', () => {
    assert.deepEqual(paths('restricted', hardenedSpec()), []);
    // The pod-level runAsNonRoot and seccomp profile cover containers that do not set their own.
    const podLevel = spec(
      { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }, volumes: [{ name: 's', secret: { secretName: 's' } }, { name: 'e', emptyDir: {} }] },
      { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } },
    );
    assert.deepEqual(paths('restricted', podLevel), []);
  });

  const RC = `${C}.securityContext`;
  // [what, spec, paths refused under restricted only]
  const restrictedCases: [string, PodSpec, string[]][] = [
    ['a container that may escalate', hardenedSpec({}, { allowPrivilegeEscalation: undefined }), [`${RC}.allowPrivilegeEscalation`]],
    ['allowPrivilegeEscalation true', hardenedSpec({}, { allowPrivilegeEscalation: true }), [`${RC}.allowPrivilegeEscalation`]],
    ['no runAsNonRoot anywhere', hardenedSpec({}, { runAsNonRoot: undefined }), [`${RC}.runAsNonRoot`]],
    ['a container runAsNonRoot false under a pod-level true', hardenedSpec({ securityContext: { runAsNonRoot: true } }, { runAsNonRoot: false }), [`${RC}.runAsNonRoot`]],
    ['runAsUser 0 in a container', hardenedSpec({}, { runAsUser: 0 }), [`${RC}.runAsUser`]],
    ['runAsUser 0 for the pod', hardenedSpec({ securityContext: { runAsUser: 0 } }), ['spec.securityContext.runAsUser']],
    ['no seccomp profile anywhere', hardenedSpec({}, { seccompProfile: undefined }), [`${RC}.seccompProfile.type`]],
    ['capabilities not dropping ALL', hardenedSpec({}, { capabilities: { drop: ['NET_RAW'] } }), [`${RC}.capabilities.drop`]],
    ['a default capability other than NET_BIND_SERVICE added', hardenedSpec({}, { capabilities: { drop: ['ALL'], add: ['CHOWN'] } }), [`${RC}.capabilities.add`]],
    ['an nfs volume (a persistentVolumeClaim is fine)', hardenedSpec({ volumes: [{ name: 'p', persistentVolumeClaim: { claimName: 'x' } } as never, { name: 'n', nfs: { server: 'h', path: '/' } } as never] }), ['spec.volumes[1].nfs']],
  ];
  for (const [what, s, refused] of restrictedCases) {
    it(`restricted refuses ${what}; baseline allows it`, () => {
      assert.deepEqual(paths('restricted', s), refused);
      assert.deepEqual(paths('baseline', s), []);
    });
  }

  it('checks every container and names each', () => {
    const s: PodSpec = { containers: [container({ name: 'a' }), container({ name: 'b', securityContext: { privileged: true } }), container({ name: 'c', securityContext: { privileged: true } })] };
    assert.deepEqual(paths('baseline', s), ['spec.containers[1].securityContext.privileged', 'spec.containers[2].securityContext.privileged']);
    assert.equal(paths('restricted', s).filter((p) => p.endsWith('.allowPrivilegeEscalation')).length, 3);
  });

  it('reports paths under the prefix it is given', () => {
    assert.deepEqual(paths('baseline', spec({ hostNetwork: true }, { securityContext: { privileged: true } }), 'spec.template.spec'), [
      'spec.template.spec.hostNetwork',
      'spec.template.spec.containers[0].securityContext.privileged',
    ]);
  });
});

describe('pod spec paths through the kinds', () => {
  it('finds the pod spec of Pod and of every workload, and none for other kinds', () => {
    const expected: Record<string, string> = { Pod: 'spec', Deployment: 'spec.template.spec', ReplicaSet: 'spec.template.spec', DaemonSet: 'spec.template.spec', Job: 'spec.template.spec', StatefulSet: 'spec.template.spec', CronJob: 'spec.jobTemplate.spec.template.spec' };
    for (const def of KINDS) assert.equal(podSpecPath(def), expected[def.kind], def.kind);
  });

  it('gives Pod, Deployment and Job violations their own field paths', () => {
    const cases: [KObject, string][] = [[pod(), 'spec'], [deployment(), 'spec.template.spec'], [job(), 'spec.template.spec'], [daemonSet(), 'spec.template.spec'], [replicaSet(), 'spec.template.spec']];
    for (const [obj, prefix] of cases) {
      const found = podSpecOf(obj)!;
      assert.equal(found.path, prefix);
      found.spec.hostNetwork = true;
      assert.deepEqual(podSecurityViolations('baseline', found.spec, found.path).map((v) => v.path), [`${prefix}.hostNetwork`], obj.kind);
    }
    assert.equal(podSpecOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), undefined);
  });
});

describe('PodSecurityGate', () => {
  const ns = (name: string, level?: string): Namespace => ({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(level ? { labels: { [POD_SECURITY_ENFORCE_LABEL]: level } } : {}) }, spec: {},
  });
  const privilegedPod = (namespace: string, name = 'p') => {
    const p = pod();
    p.metadata = { name, namespace };
    p.spec.containers[0]!.securityContext = { privileged: true };
    return p;
  };
  async function storeWith(...namespaces: Namespace[]) {
    const store = new MemoryStore();
    for (const n of namespaces) await store.create(n);
    return store;
  }
  const forbidden = (re: RegExp) => (e: unknown) => isKiteError(e, 'Forbidden') && re.test(e.message);

  it('refuses a privileged pod where the namespace has no label (baseline), naming path, level and namespace', async () => {
    const gate = new PodSecurityGate(await storeWith(ns('default')));
    await assert.rejects(
      gate.check([{ object: privilegedPod('default', 'root') }]),
      forbidden(/^Pod "root": violates PodSecurity "baseline": spec\.containers\[0\]\.securityContext\.privileged: privileged containers are not allowed \(container "web"\) \(namespace "default" enforces "baseline"\)$/),
    );
  });

  it('allows it in a namespace labelled privileged, and reads restricted from the label', async () => {
    const gate = new PodSecurityGate(await storeWith(ns('ops', 'privileged'), ns('locked', 'restricted')));
    await gate.check([{ object: privilegedPod('ops') }]);
    await assert.rejects(gate.check([{ object: { ...pod(), metadata: { name: 'plain', namespace: 'locked' } } }]), forbidden(/violates PodSecurity "restricted": .*allowPrivilegeEscalation/));
  });

  it('takes the level of a namespace the same request creates or relabels from the request', async () => {
    const gate = new PodSecurityGate(await storeWith(ns('ops')));
    await gate.check([{ object: privilegedPod('new') }, { object: privilegedPod('ops') }], [ns('new', 'privileged'), ns('ops', 'privileged')]);
    await assert.rejects(gate.check([{ object: privilegedPod('ops') }], [ns('ops', 'baseline')]), forbidden(/"baseline"/));
  });

  it('names every refused object of a set', async () => {
    const gate = new PodSecurityGate(await storeWith(ns('default')));
    const d = deployment();
    d.metadata.namespace = 'default';
    d.spec.template.spec.hostNetwork = true;
    await assert.rejects(gate.check([{ object: privilegedPod('default') }, { object: d }]), (e: unknown) => {
      assert.ok(isKiteError(e, 'Forbidden'));
      assert.equal(e.details.length, 2);
      assert.match(e.details[1]!, /^Deployment "web": violates PodSecurity "baseline": spec\.template\.spec\.hostNetwork: host networking is not allowed \(namespace "default" enforces "baseline"\)$/);
      return true;
    });
  });

  it('does not check an update that leaves the pod spec as it was', async () => {
    const gate = new PodSecurityGate(await storeWith(ns('default')));
    const before = privilegedPod('default');
    const relabelled = { ...before, metadata: { ...before.metadata, labels: { tier: 'x' } } };
    await gate.check([{ object: relabelled, existing: before }]);
    const changed = privilegedPod('default');
    changed.spec.containers[0]!.image = 'other';
    await assert.rejects(gate.check([{ object: changed, existing: before }]), forbidden(/privileged/));
  });

  it('ignores kinds without a pod spec', async () => {
    const gate = new PodSecurityGate(await storeWith());
    await gate.check([{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } } }]);
  });
});
