import assert from 'node:assert/strict';
import { FieldSet, fieldPathString } from '../../../common/kube/managed-fields-set';

const set = (...paths: string[][]) => FieldSet.of(paths);
const dotted = (s: FieldSet) => s.paths().map(fieldPathString);

describe('managed fields: field sets', () => {
  describe('FieldsV1 round trip', () => {
    const docs: [string, Record<string, unknown>, string[]][] = [
      ['leaves', { 'f:spec': { 'f:replicas': {} } }, ['.spec.replicas']],
      ['a map that is itself owned (".") and its keys', { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } }, ['.metadata.labels', '.metadata.labels.app']],
      [
        'keyed and set list items',
        { 'f:metadata': { 'f:finalizers': { 'v:"a/b"': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } } },
        ['.metadata.finalizers[="a/b"]', '.spec.containers[name="web"]', '.spec.containers[name="web"].image'],
      ],
      ['keys of several fields', { 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': {} } }, ['.ports[containerPort=80,protocol="TCP"]']],
    ];
    for (const [name, doc, paths] of docs) {
      it(name, () => {
        const read = FieldSet.fromFieldsV1(doc);
        assert.deepEqual(dotted(read), paths);
        assert.deepEqual(read.toFieldsV1(), doc);
      });
    }

    it('refuses a key that is not a path element', () => {
      assert.throws(() => FieldSet.fromFieldsV1({ 'f:spec': { replicas: {} } }), /fieldsV1\/f:spec: "replicas" is not a path element/);
      assert.throws(() => FieldSet.fromFieldsV1([]), /want an object/);
    });

    it('writes fields, then keyed items, then set values, each sorted', () => {
      const s = set(['v:"b"'], ['k:{"name":"x"}'], ['f:z'], ['v:"a"'], ['f:a']);
      assert.deepEqual(Object.keys(s.toFieldsV1()), ['f:a', 'f:z', 'k:{"name":"x"}', 'v:"a"', 'v:"b"']);
    });
  });

  describe('operations leave their operands alone', () => {
    const a = set(['f:spec', 'f:replicas'], ['f:spec', 'f:paused'], ['f:metadata', 'f:labels']);
    const b = set(['f:spec', 'f:replicas'], ['f:metadata', 'f:labels', 'f:app']);
    const cases: [string, () => FieldSet, string[]][] = [
      ['union', () => a.union(b), ['.metadata.labels', '.metadata.labels.app', '.spec.paused', '.spec.replicas']],
      ['difference removes shared members only', () => a.difference(b), ['.metadata.labels', '.spec.paused']],
      ['difference keeps what lies under a removed member', () => b.difference(set(['f:metadata', 'f:labels'])), ['.metadata.labels.app', '.spec.replicas']],
      ['intersection', () => a.intersection(b), ['.spec.replicas']],
      ['withoutSubtree drops the path and all under it', () => a.union(b).withoutSubtree(['f:metadata']), ['.spec.paused', '.spec.replicas']],
    ];
    for (const [name, op, want] of cases) {
      it(name, () => {
        const before = [dotted(a), dotted(b)];
        assert.deepEqual(dotted(op()), want);
        assert.deepEqual([dotted(a), dotted(b)], before);
      });
    }

    it('equals compares members, not how the set was built', () => {
      assert.ok(a.union(b).difference(b).equals(set(['f:spec', 'f:paused'], ['f:metadata', 'f:labels'])));
      assert.ok(!a.equals(b));
      assert.ok(a.difference(a).isEmpty());
    });
  });
});
