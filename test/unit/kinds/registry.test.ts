import assert from 'node:assert/strict';
import { isKiteError } from '../../../common/errors';
import { KINDS, kindDefinition, kindInfo, lookupKind, requireKind } from '../../../common/kinds/registry';
import { validateObject } from '../../../common/manifest/validate';
import { ONE_OF_EACH } from './fixtures';

describe('kind registry', () => {
  it('resolves every kind by its name, plural, singular and short names, in any case', () => {
    for (const def of KINDS) {
      for (const name of [def.kind, def.kind.toLowerCase(), def.kind.toUpperCase(), def.plural, def.singular, ...def.shortNames]) {
        assert.equal(lookupKind(name), def, `${name} should resolve to ${def.kind}`);
      }
    }
  });

  it('gives no two kinds the same name, plural or short name', () => {
    const seen = new Map<string, string>();
    for (const def of KINDS) {
      for (const name of new Set([def.kind.toLowerCase(), def.plural, def.singular, ...def.shortNames])) {
        assert.equal(seen.get(name), undefined, `${name} is used by ${seen.get(name)} and ${def.kind}`);
        seen.set(name, def.kind);
      }
    }
  });

  it('finds a definition by exact kind, and knows nothing of others', () => {
    assert.equal(kindDefinition('Deployment')?.plural, 'deployments');
    assert.equal(kindInfo('Node')?.namespaced, false);
    assert.equal(kindDefinition('Ingress'), undefined);
    assert.equal(kindDefinition('deployment'), undefined, 'kindDefinition takes the exact kind; lookupKind is for what users type');
    assert.equal(lookupKind('ingresses'), undefined);
  });

  it('requireKind throws Invalid naming the unknown kind', () => {
    assert.equal(requireKind('Pod').kind, 'Pod');
    assert.throws(() => requireKind('Ingress'), (e: unknown) => isKiteError(e, 'Invalid') && e.message === 'unknown kind "Ingress"');
  });

  it('has a fixture for every kind, so the tests below cover all of them', () => {
    assert.deepEqual(KINDS.map((k) => k.kind).sort(), Object.keys(ONE_OF_EACH).sort());
  });

  it('gives every kind a schema that accepts a valid object of that kind', () => {
    for (const def of KINDS) {
      assert.equal(def.schema.t, 'object', def.kind);
      const obj = ONE_OF_EACH[def.kind]?.();
      assert.deepEqual(validateObject(obj, { origin: 'system' }).errors, [], def.kind);
    }
  });

  it('gives every kind table columns, some shown without -o wide, with one cell per column', () => {
    for (const def of KINDS) {
      const { columns } = def.table;
      assert.ok(columns.length >= 2, def.kind);
      assert.ok(columns.some((c) => !c.wide), `${def.kind} needs columns shown without -o wide`);
      const obj = ONE_OF_EACH[def.kind]?.();
      assert.ok(obj);
      assert.equal(def.table.cells(obj, Date.parse('2024-01-01T01:00:00Z')).length, columns.length, def.kind);
    }
  });

  it('waits for the system on deletion only for Pods and Namespaces', () => {
    assert.deepEqual(KINDS.filter((k) => k.gracefulDeletion).map((k) => k.kind).sort(), ['Namespace', 'Pod']);
  });

  it('marks only Endpoints, Node and Event as system-owned, and only Node, Namespace, PersistentVolume and StorageClass as cluster-scoped', () => {
    assert.deepEqual(KINDS.filter((k) => k.systemOwned).map((k) => k.kind).sort(), ['Endpoints', 'Event', 'Node']);
    assert.deepEqual(KINDS.filter((k) => !k.namespaced).map((k) => k.kind).sort(), ['Namespace', 'Node', 'PersistentVolume', 'StorageClass']);
  });
});
