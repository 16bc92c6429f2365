import assert from 'node:assert/strict';
import { printGet } from '../../../cli/print/get';
import { renderTable } from '../../../cli/print/table';
import type { KObject } from '../../../common/api/types';
import { KINDS, requireKind } from '../../../common/kinds/registry';
import { parseIncludeObject, type Table, tableColumns, toTable, wantsTable } from '../../../controller/kube-api/table';
import { ONE_OF_EACH } from '../kinds/fixtures';
import { event, NOW, runningPod, sec } from '../print/fixtures';

const KUBECTL_GET_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** One stored object of a kind, with the fields a stored object has. */
function stored(kind: string): KObject {
  const make = ONE_OF_EACH[kind];
  assert.ok(make, `no fixture for ${kind}`);
  const obj = make();
  obj.metadata.creationTimestamp = new Date(NOW - 90 * sec).toISOString();
  if (requireKind(kind).namespaced) obj.metadata.namespace = 'shop';
  obj.metadata.uid = `uid-${kind}`;
  obj.metadata.resourceVersion = '42';
  return obj;
}

/** What kubectl prints for a Table: its column names upper-cased, priority 1 only when wide, NAMESPACE from each row's object for -A. */
function kubectlPrints(table: Table, opts: { wide?: boolean; allNamespaces?: boolean } = {}): string {
  const shown = table.columnDefinitions.map((c) => c.priority === 0 || !!opts.wide);
  const headers = [...(opts.allNamespaces ? ['NAMESPACE'] : []), ...table.columnDefinitions.filter((_, i) => shown[i]).map((c) => c.name.toUpperCase())];
  const rows = table.rows.map((r) => [
    ...(opts.allNamespaces ? [r.object?.metadata.namespace ?? ''] : []),
    ...r.cells.filter((_, i) => shown[i]).map(String),
  ]);
  return renderTable(headers, rows);
}

const table = (kind: string, objects: KObject[], includeObject: 'None' | 'Metadata' | 'Object' = 'Metadata') =>
  toTable(requireKind(kind), objects, { includeObject, resourceVersion: '42', now: NOW });

describe('toTable prints what kite get prints', () => {
  for (const def of KINDS) {
    it(`${def.kind}: the same table, -o wide and -A included`, () => {
      const objects = [stored(def.kind)];
      const t = table(def.kind, objects);
      for (const opts of [{}, { wide: true }, { allNamespaces: true }, { wide: true, allNamespaces: true }]) {
        assert.equal(kubectlPrints(t, opts), printGet(def.kind, objects, { now: NOW, ...opts }), JSON.stringify(opts));
      }
    });

    it(`${def.kind}: columns as kite names them, wide ones at priority 1, no NAMESPACE column`, () => {
      const cols = tableColumns(def);
      assert.deepEqual(
        cols.map((c) => [c.name.toUpperCase(), c.priority]),
        def.table.columns.map((c) => [c.name, c.wide ? 1 : 0]),
      );
      assert.ok(!cols.some((c) => c.name.toUpperCase() === 'NAMESPACE'));
      for (const c of cols) assert.equal(c.format, c.name === 'Name' ? 'name' : '');
    });
  }

  it('names columns as Kubernetes does', () => {
    assert.deepEqual(tableColumns(requireKind('Deployment')).map((c) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    assert.deepEqual(tableColumns(requireKind('Service')).map((c) => c.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    assert.deepEqual(tableColumns(requireKind('Event')).map((c) => c.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
  });

  it('types counts as integers and sends them as numbers', () => {
    const t = table('ReplicaSet', [stored('ReplicaSet')]);
    const desired = t.columnDefinitions.findIndex((c) => c.name === 'Desired');
    assert.equal(t.columnDefinitions[desired]?.type, 'integer');
    assert.equal(typeof t.rows[0]?.cells[desired], 'number');
    // A Deployment's READY is "0/2": a string.
    assert.equal(tableColumns(requireKind('Deployment'))[1]?.type, 'string');
  });

  it('orders rows as the kind does (events oldest first)', () => {
    const newer = event('Pulled', 'b', { lastTimestamp: new Date(NOW - 10 * sec).toISOString() });
    const older = event('Scheduled', 'a', { lastTimestamp: new Date(NOW - 60 * sec).toISOString() });
    const t = table('Event', [newer, older]);
    assert.deepEqual(t.rows.map((r) => r.cells[2]), ['Scheduled', 'Pulled']);
  });

  it('is a meta.k8s.io/v1 Table with the list resourceVersion and continue token', () => {
    const t = toTable(requireKind('Pod'), [], { includeObject: 'Metadata', resourceVersion: '77', continue: 'next', now: NOW });
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(t.metadata, { resourceVersion: '77', continue: 'next' });
    assert.deepEqual(t.rows, []);
    assert.deepEqual(table('Pod', []).metadata, { resourceVersion: '42' });
  });
});

describe('toTable includeObject', () => {
  const pod = runningPod('web');
  pod.metadata.namespace = 'shop';

  it('Metadata (the default): a PartialObjectMetadata with the whole metadata', () => {
    const row = table('Pod', [pod], 'Metadata').rows[0];
    assert.deepEqual(row?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  });

  it('Object: the object itself (kubectl --sort-by)', () => {
    assert.deepEqual(table('Pod', [pod], 'Object').rows[0]?.object, pod);
  });

  it('None: no object', () => {
    const row = table('Pod', [pod], 'None').rows[0];
    assert.ok(row && !('object' in row));
  });

  const params: [string | null | undefined, ReturnType<typeof parseIncludeObject>][] = [
    [null, 'Metadata'],
    [undefined, 'Metadata'],
    ['', 'Metadata'],
    ['None', 'None'],
    ['Metadata', 'Metadata'],
    ['Object', 'Object'],
    ['object', undefined],
    ['All', undefined],
  ];
  for (const [value, want] of params) {
    it(`parseIncludeObject(${JSON.stringify(value)}) is ${want}`, () => assert.equal(parseIncludeObject(value), want));
  }
});

describe('wantsTable', () => {
  const cases: [string | undefined, boolean][] = [
    [KUBECTL_GET_ACCEPT, true],
    ['application/json;as=Table;v=v1;g=meta.k8s.io', true],
    ['application/json', false],
    ['application/json, */*', false],
    ['*/*', false],
    [undefined, false],
    ['', false],
    // v1beta1 Tables are not produced.
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', false],
    // The client's first preference wins.
    ['application/json,application/json;as=Table;v=v1;g=meta.k8s.io', false],
    ['application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io', true],
    ['application/vnd.kubernetes.protobuf,application/json', false],
    ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json', false],
    ['application/json;q=0.1,application/json;as=Table;v=v1;g=meta.k8s.io', true],
    ['application/json; as=Table; v=v1; g=meta.k8s.io', true],
  ];
  for (const [accept, want] of cases) {
    it(`wantsTable(${JSON.stringify(accept)}) is ${want}`, () => assert.equal(wantsTable(accept), want));
  }
});
