// Properties of server-side apply over generated pod configurations: applying is idempotent, an
// applier's result does not depend on what it applied before, and what another manager owns
// survives whatever the first applies.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KObject } from '../../../common/api/types';
import { serverSideApply, type ManagedFieldsEntry } from '../../../common/kube/managed-fields';

type Json = Record<string, unknown>;

const nonEmpty = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const withoutUndefined = (obj: Json): Json => Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));

const env = nonEmpty(['A', 'B', 'C']).chain((names) => fc.tuple(...names.map((name) => fc.constantFrom('1', '2').map((value) => ({ name, value })))));
const ports = nonEmpty([{ containerPort: 80 }, { containerPort: 443, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }]);
const container = (name: string) =>
  fc.record({ image: fc.constantFrom('i:1', 'i:2'), env: maybe(env), args: maybe(nonEmpty(['--a', '--b', '--c'])), ports: maybe(ports) }).map((c) => withoutUndefined({ name, ...c }));
const labels = nonEmpty(['app', 'tier', 'team']).chain((keys) => fc.tuple(...keys.map((k) => fc.constantFrom('x', 'y').map((v) => [k, v] as const)))).map((pairs) => Object.fromEntries(pairs));

/** A pod configuration as `kubectl apply --server-side` sends it (no empty maps or lists). */
const podConfig = fc
  .record({
    labels: maybe(labels),
    containers: nonEmpty(['web', 'side', 'proxy']).chain((names) => fc.tuple(...names.map(container))),
    restartPolicy: maybe(fc.constantFrom('Always', 'Never')),
  })
  .map(({ labels, containers, restartPolicy }): KObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: withoutUndefined({ name: 'p', namespace: 'default', labels }) as unknown as KObject['metadata'],
    spec: withoutUndefined({ containers, restartPolicy }),
  }));

function apply(live: KObject | undefined, config: KObject, manager: string, now = '2025-03-01T10:00:00Z'): KObject {
  const result = serverSideApply({ kind: 'Pod', live, config, manager, force: false, now });
  assert.deepEqual(result.conflicts, []);
  return result.object!;
}

const bodyOf = (obj: KObject) => {
  const { managedFields: _, ...metadata } = obj.metadata as unknown as Json;
  return { ...obj, metadata };
};
const fieldsOf = (obj: KObject, manager: string) => ((obj.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields ?? []).find((e) => e.manager === manager)?.fieldsV1;

describe('managed fields: properties of server-side apply', () => {
  it('applying the same configuration again changes nothing', () => {
    fc.assert(
      fc.property(podConfig, (config) => {
        const once = apply(undefined, config, 'kubectl');
        assert.deepEqual(apply(once, config, 'kubectl', '2025-03-01T11:00:00Z'), once);
      }),
    );
  });

  it("a lone applier's object is its last configuration, whatever it applied before", () => {
    fc.assert(
      fc.property(podConfig, podConfig, (first, second) => {
        const fresh = apply(undefined, second, 'kubectl');
        const after = apply(apply(undefined, first, 'kubectl'), second, 'kubectl');
        assert.deepEqual(bodyOf(after), bodyOf(fresh));
        assert.deepEqual(fieldsOf(after, 'kubectl'), fieldsOf(fresh, 'kubectl'));
      }),
    );
  });

  it("another manager's label, container and env var survive whatever the applier applies", () => {
    const theirs: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels: { owner: 'b' } },
      spec: { containers: [{ name: 'web', env: [{ name: 'FROM_B', value: 'b' }] }, { name: 'agent', image: 'agent:1' }] },
    };
    fc.assert(
      fc.property(podConfig, podConfig, (first, second) => {
        const after = apply(apply(apply(undefined, first, 'kubectl'), theirs, 'other'), second, 'kubectl');
        const pod = after as unknown as { metadata: Json & { labels: Json }; spec: { containers: Json[] } };
        assert.equal(pod.metadata.labels.owner, 'b');
        assert.deepEqual(pod.spec.containers.find((c) => c.name === 'agent'), { name: 'agent', image: 'agent:1' });
        assert.deepEqual((pod.spec.containers.find((c) => c.name === 'web')!.env as Json[]).find((e) => e.name === 'FROM_B'), { name: 'FROM_B', value: 'b' });
        assert.deepEqual(fieldsOf(after, 'other'), fieldsOf(apply(undefined, theirs, 'other'), 'other'));
      }),
    );
  });
});
