// Validation of spec.initContainers and native sidecars (container restartPolicy), as Kubernetes has it.
import assert from 'node:assert/strict';
import { validateObject } from '../../../common/manifest/validate';
import { podSecurityViolations } from '../../../controller/security/pod-security';
import { referencedConfig } from '../../../controller/dispatcher/bundle';
import type { Pod } from '../../../common/api/types';

type Json = Record<string, unknown>;
const probe = { exec: { command: ['true'] } };

function pod(inits: Json[], extra: Json = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { initContainers: inits, containers: [{ name: 'app', image: 'busybox:1.36' }], volumes: [{ name: 'work', emptyDir: {} }], ...extra },
  };
}
const errorsOf = (obj: unknown) => validateObject(obj).errors.map((e) => `${e.path}: ${e.message}`);
const warningsOf = (obj: unknown) => validateObject(obj).warnings.map((e) => `${e.path}: ${e.message}`);

describe('initContainers validation', () => {
  it('accepts init containers and sidecars without a "not supported" warning', () => {
    const p = pod([
      { name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo 1 >> /work/log'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
      { name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always', readinessProbe: probe, startupProbe: probe, livenessProbe: probe },
    ]);
    assert.deepEqual(errorsOf(p), []);
    assert.deepEqual(warningsOf(p), []);
  });

  it('validates init containers with the container schema', () => {
    assert.deepEqual(errorsOf(pod([{ name: 'Bad_Name', image: 'busybox' }])).filter((e) => e.startsWith('spec.initContainers[0].name')).length, 1);
    assert.ok(errorsOf(pod([{ name: 'x' }])).some((e) => e.startsWith('spec.initContainers[0].image')));
  });

  it('refuses probes on init containers that are not sidecars', () => {
    const errs = errorsOf(pod([{ name: 'setup', image: 'busybox', livenessProbe: probe, readinessProbe: probe, startupProbe: probe }]));
    for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      assert.ok(errs.includes(`spec.initContainers[0].${p}: may not be set for init containers without restartPolicy Always`), errs.join('\n'));
    }
  });

  it('allows only Always as a container restartPolicy, and only on init containers', () => {
    assert.deepEqual(errorsOf(pod([{ name: 'setup', image: 'busybox', restartPolicy: 'OnFailure' }])), ['spec.initContainers[0].restartPolicy: must be Always (a sidecar) or unset, got "OnFailure"']);
    const app = pod([], { containers: [{ name: 'app', image: 'busybox', restartPolicy: 'Always' }] });
    assert.deepEqual(errorsOf(app), ['spec.containers[0].restartPolicy: may only be set on init containers (restartPolicy Always makes a sidecar)']);
  });

  it('refuses a container name used by both an init and an app container, naming both paths', () => {
    assert.deepEqual(errorsOf(pod([{ name: 'app', image: 'busybox' }])), ['spec.containers[0].name: duplicate container name "app" (also spec.initContainers[0])']);
    assert.deepEqual(errorsOf(pod([{ name: 'a', image: 'busybox' }, { name: 'a', image: 'busybox' }])), ['spec.initContainers[1].name: duplicate container name "a" (also spec.initContainers[0])']);
  });

  it('requires init containers to mount declared volumes', () => {
    assert.deepEqual(errorsOf(pod([{ name: 'setup', image: 'busybox', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }])), [
      'spec.initContainers[0].volumeMounts[0].name: volume "nope" is not declared in spec.volumes',
    ]);
  });

  it('checks init containers in a workload template too', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: (pod([{ name: 'setup', image: 'busybox', readinessProbe: probe }]) as { spec: Json }).spec } },
    };
    assert.deepEqual(errorsOf(deployment), ['spec.template.spec.initContainers[0].readinessProbe: may not be set for init containers without restartPolicy Always']);
  });
});

describe('init containers beyond validation', () => {
  const typed = (inits: Json[]) => pod(inits) as unknown as Pod;
  it('Pod Security checks init containers (a privileged init container is refused by baseline)', () => {
    const issues = podSecurityViolations('baseline', typed([{ name: 'setup', image: 'busybox', securityContext: { privileged: true } }]).spec, 'spec');
    assert.ok(issues.some((i) => i.path.startsWith('spec.initContainers[0]')), JSON.stringify(issues));
  });
  it("sends the ConfigMaps and Secrets init containers reference with the pod's assignment", () => {
    const refs = referencedConfig(typed([{ name: 'setup', image: 'busybox', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }], envFrom: [{ secretRef: { name: 's' } }] }]));
    assert.ok(refs.configMaps.has('cm'));
    assert.ok(refs.secrets.has('s'));
  });
});
