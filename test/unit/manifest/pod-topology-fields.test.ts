// Validation of inter-pod affinity/anti-affinity and topologySpreadConstraints, as Kubernetes has it.
import assert from 'node:assert/strict';
import { validateObject } from '../../../common/manifest/validate';

type Json = Record<string, unknown>;

function pod(spec: Json): Json {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...spec } };
}
const errorsOf = (obj: unknown) => validateObject(obj).errors.map((e) => `${e.path}: ${e.message}`);
const warningsOf = (obj: unknown) => validateObject(obj).warnings.map((e) => `${e.path}: ${e.message}`);

const term = (more: Json = {}): Json => ({ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', ...more });
const antiRequired = (t: Json) => pod({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } } });
const affinityPreferred = (w: Json) => pod({ affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [w] } } });
const constraint = (more: Json = {}): Json => ({ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...more });
const spread = (...cs: Json[]) => pod({ topologySpreadConstraints: cs });

const ANTI = 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]';
const PREF = 'spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]';
const TSC = 'spec.topologySpreadConstraints';

describe('inter-pod affinity and topology spread validation', () => {
  it('accepts complete rules without a "not supported" warning', () => {
    const p = pod({
      affinity: {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaces: ['db'], matchLabelKeys: ['pod-template-hash'] })] },
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaceSelector: {}, mismatchLabelKeys: ['tenant'] })],
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term({ topologyKey: 'topology.kubernetes.io/zone' }) }],
        },
      },
      topologySpreadConstraints: [
        constraint({ minDomains: 3, matchLabelKeys: ['pod-template-hash'], nodeAffinityPolicy: 'Ignore', nodeTaintsPolicy: 'Honor' }),
        constraint({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }),
      ],
    });
    assert.deepEqual(errorsOf(p), []);
    assert.deepEqual(warningsOf(p), []);
  });

  const refused: [string, Json, string][] = [
    ['a term without topologyKey', antiRequired({ labelSelector: {} }), `${ANTI}.topologyKey: `],
    ['a topologyKey that is not a label key', antiRequired(term({ topologyKey: 'not a key!' })), `${ANTI}.topologyKey: `],
    ['a namespace that is not a DNS label', antiRequired(term({ namespaces: ['Bad_NS'] })), `${ANTI}.namespaces[0]: `],
    ['a bad namespaceSelector operator', antiRequired(term({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Gt', values: ['1'] }] } })), `${ANTI}.namespaceSelector.matchExpressions[0].operator: `],
    ['a bad labelSelector', antiRequired(term({ labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } })), `${ANTI}.labelSelector.matchExpressions[0].values: `],
    ['matchLabelKeys without labelSelector', antiRequired({ topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['app'] }), `${ANTI}.labelSelector: must be set when matchLabelKeys or mismatchLabelKeys is`],
    ['a key both in matchLabelKeys and mismatchLabelKeys', antiRequired(term({ matchLabelKeys: ['app'], mismatchLabelKeys: ['app'] })), `${ANTI}.mismatchLabelKeys: key "app" is also in matchLabelKeys`],
    ['a weight of 0', affinityPreferred({ weight: 0, podAffinityTerm: term() }), `${PREF}.weight: `],
    ['a weight over 100', affinityPreferred({ weight: 101, podAffinityTerm: term() }), `${PREF}.weight: `],
    ['a preferred term without podAffinityTerm', affinityPreferred({ weight: 5 }), `${PREF}.podAffinityTerm: `],
    ['maxSkew 0', spread(constraint({ maxSkew: 0 })), `${TSC}[0].maxSkew: `],
    ['no maxSkew', spread({ topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }), `${TSC}[0].maxSkew: `],
    ['no topologyKey', spread(constraint({ topologyKey: undefined })), `${TSC}[0].topologyKey: `],
    ['an unknown whenUnsatisfiable', spread(constraint({ whenUnsatisfiable: 'Sometimes' })), `${TSC}[0].whenUnsatisfiable: `],
    ['minDomains 0', spread(constraint({ minDomains: 0 })), `${TSC}[0].minDomains: `],
    ['minDomains with ScheduleAnyway', spread(constraint({ minDomains: 2, whenUnsatisfiable: 'ScheduleAnyway' })), `${TSC}[0].minDomains: can only be set when whenUnsatisfiable is DoNotSchedule`],
    ['an unknown nodeAffinityPolicy', spread(constraint({ nodeAffinityPolicy: 'Maybe' })), `${TSC}[0].nodeAffinityPolicy: `],
    ['an unknown nodeTaintsPolicy', spread(constraint({ nodeTaintsPolicy: 'honor' })), `${TSC}[0].nodeTaintsPolicy: `],
    ['matchLabelKeys repeating a labelSelector key', spread(constraint({ matchLabelKeys: ['app'] })), `${TSC}[0].matchLabelKeys: key "app" already appears in labelSelector`],
    ['matchLabelKeys without labelSelector', spread(constraint({ labelSelector: undefined, matchLabelKeys: ['pod-template-hash'] })), `${TSC}[0].labelSelector: must be set when matchLabelKeys is`],
    ['two constraints for one key and action', spread(constraint(), constraint({ maxSkew: 2 })), `${TSC}[1]: duplicate constraint for topologyKey "topology.kubernetes.io/zone" and whenUnsatisfiable DoNotSchedule`],
  ];
  for (const [name, obj, want] of refused) {
    it(`refuses ${name}`, () => {
      const errs = errorsOf(obj);
      assert.ok(errs.some((e) => e.startsWith(want)), `expected an error starting ${JSON.stringify(want)}, got:\n${errs.join('\n')}`);
    });
  }
});
