import assert from 'node:assert/strict';
import type { KObject } from '../../../common/api/types';
import { isKiteError } from '../../../common/errors';
import { recordUpdate, serverSideApply, type ApplyConflict, type ManagedFieldsEntry } from '../../../common/kube/managed-fields';
import { FieldSet, fieldPathString } from '../../../common/kube/managed-fields-set';

type Json = Record<string, unknown>;

// A scenario is a sequence of writes to one object, each at its own second; the expectations
// are about the object and its managedFields after the last one.
type Step =
  /** Server-side apply of `config` (apiVersion, kind and metadata.name are added). */
  | { apply: Json; by: string; force?: boolean }
  /** An ordinary write: `edit` changes a copy of the object; recordUpdate records it. */
  | { update: (obj: Json) => void; by: string; subresource?: string }
  /** The object as stored by a write that kept no ownership (Kite before managedFields). */
  | { store: Json };

interface Case {
  name: string;
  kind?: 'Pod' | 'Deployment' | 'ConfigMap';
  steps: Step[];
  /** The last step's conflicts (the steps before must not conflict). */
  conflicts?: ApplyConflict[];
  /** Dotted paths into the object (list items by index) and their values; undefined: absent. */
  values?: Record<string, unknown>;
  /** Every entry as "manager/Operation" and the fields it owns, as Kubernetes prints paths. */
  owners?: Record<string, string[]>;
}

const API_VERSION: Record<string, string> = { Pod: 'v1', Deployment: 'apps/v1', ConfigMap: 'v1' };
const at = (second: number) => `2025-03-01T10:00:${String(second).padStart(2, '0')}Z`;

const pod = (containers: Json[], extra: Json = {}): Json => ({ spec: { containers }, ...extra });
const web = (extra: Json = {}): Json => ({ name: 'web', image: 'nginx:1', ...extra });

interface Outcome {
  object: KObject | undefined;
  conflicts: ApplyConflict[];
}

function run(kind: string, steps: Step[]): Outcome {
  let live: KObject | undefined;
  let conflicts: ApplyConflict[] = [];
  steps.forEach((step, i) => {
    const now = at(i);
    if ('apply' in step) {
      const config = { apiVersion: API_VERSION[kind], kind, ...step.apply, metadata: { name: 'x', namespace: 'default', ...(step.apply.metadata as Json) } } as KObject;
      const result = serverSideApply({ kind, live, config, manager: step.by, force: step.force ?? false, now });
      conflicts = result.conflicts;
      if (result.object) live = result.object;
      else assert.equal(i, steps.length - 1, `step ${i} conflicted: ${JSON.stringify(result.conflicts)}`);
    } else if ('store' in step) {
      live = { apiVersion: API_VERSION[kind], kind, metadata: { name: 'x', namespace: 'default' }, ...step.store } as KObject;
    } else {
      const after = structuredClone(live ?? ({ apiVersion: API_VERSION[kind], kind, metadata: { name: 'x', namespace: 'default' } } as KObject));
      step.update(after as unknown as Json);
      live = recordUpdate({ kind, before: live, after, manager: step.by, now, ...(step.subresource ? { subresource: step.subresource } : {}) });
    }
  });
  return { object: live, conflicts };
}

function valueAt(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Json)[key] : undefined), obj);
}

const entriesOf = (obj: KObject | undefined): ManagedFieldsEntry[] => (obj?.metadata as { managedFields?: ManagedFieldsEntry[] } | undefined)?.managedFields ?? [];

function owners(obj: KObject | undefined): Record<string, string[]> {
  return Object.fromEntries(entriesOf(obj).map((e) => [`${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`, FieldSet.fromFieldsV1(e.fieldsV1).paths().map(fieldPathString)]));
}

const CASES: Case[] = [
  {
    name: 'apply creates the object, owning what it set (never identity, server metadata or status)',
    kind: 'Deployment',
    steps: [{ by: 'kubectl', apply: { metadata: { labels: { app: 'web' }, uid: 'forged', resourceVersion: '7' }, spec: { replicas: 2 }, status: { replicas: 9 } } }],
    values: { 'metadata.labels': { app: 'web' }, 'metadata.uid': undefined, 'metadata.resourceVersion': undefined, 'spec.replicas': 2, status: undefined },
    owners: { 'kubectl/Apply': ['.metadata.labels.app', '.spec.replicas'] },
  },
  {
    name: 'a field removed from the config is removed from the object',
    kind: 'Deployment',
    steps: [
      { by: 'kubectl', apply: { spec: { replicas: 2, paused: true, minReadySeconds: 5 } } },
      { by: 'kubectl', apply: { spec: { replicas: 2 } } },
    ],
    values: { 'spec.paused': undefined, 'spec.minReadySeconds': undefined, 'spec.replicas': 2 },
    owners: { 'kubectl/Apply': ['.spec.replicas'] },
  },
  {
    name: 'a map the config no longer mentions goes whole when nobody else owns anything in it',
    kind: 'Deployment',
    steps: [
      { by: 'kubectl', apply: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } } },
      { by: 'kubectl', apply: { spec: { replicas: 1 } } },
    ],
    values: { 'spec.strategy': undefined },
    owners: { 'kubectl/Apply': ['.spec.replicas'] },
  },
  {
    name: 'a field another applier also set stays when the first drops it, now theirs alone',
    kind: 'Deployment',
    steps: [
      { by: 'kubectl', apply: { spec: { replicas: 3, paused: false } } },
      { by: 'ci', apply: { spec: { replicas: 3 } } },
      { by: 'kubectl', apply: { spec: { paused: false } } },
    ],
    values: { 'spec.replicas': 3, 'spec.paused': false },
    owners: { 'ci/Apply': ['.spec.replicas'], 'kubectl/Apply': ['.spec.paused'] },
  },
  {
    name: 'kubectl scale (an Update of replicas) takes the field; the applier dropping it later leaves it',
    kind: 'Deployment',
    steps: [
      { by: 'kubectl', apply: { spec: { replicas: 3, paused: false } } },
      { by: 'kubectl', subresource: 'scale', update: (o) => ((o.spec as Json).replicas = 5) },
      { by: 'kubectl', apply: { spec: { paused: false } } },
    ],
    values: { 'spec.replicas': 5 },
    owners: { 'kubectl/Apply': ['.spec.paused'], 'kubectl/Update/scale': ['.spec.replicas'] },
  },
  {
    name: 'applying a different value of a field an Update manager owns conflicts',
    kind: 'Deployment',
    steps: [
      { by: 'kubectl', apply: { spec: { replicas: 3 } } },
      { by: 'hpa', update: (o) => ((o.spec as Json).replicas = 5) },
      { by: 'kubectl', apply: { spec: { replicas: 3 } } },
    ],
    conflicts: [{ manager: 'hpa', field: '.spec.replicas' }],
    values: { 'spec.replicas': 5 },
  },
  {
    name: 'a different value of a field another applier owns conflicts, naming manager and field',
    kind: 'Deployment',
    steps: [
      { by: 'ci', apply: { metadata: { labels: { app: 'web' } }, spec: { replicas: 3 } } },
      { by: 'kubectl', apply: { metadata: { labels: { app: 'api' } }, spec: { replicas: 4, paused: true } } },
    ],
    conflicts: [
      { manager: 'ci', field: '.metadata.labels.app' },
      { manager: 'ci', field: '.spec.replicas' },
    ],
    values: { 'spec.replicas': 3, 'spec.paused': undefined },
    owners: { 'ci/Apply': ['.metadata.labels.app', '.spec.replicas'] },
  },
  {
    name: 'the same value is shared ownership, not a conflict',
    kind: 'Deployment',
    steps: [
      { by: 'ci', apply: { spec: { replicas: 3 } } },
      { by: 'kubectl', apply: { spec: { replicas: 3, paused: true } } },
    ],
    conflicts: [],
    owners: { 'ci/Apply': ['.spec.replicas'], 'kubectl/Apply': ['.spec.paused', '.spec.replicas'] },
  },
  {
    name: 'force takes the conflicting fields; a manager left with nothing disappears',
    kind: 'Deployment',
    steps: [
      { by: 'ci', apply: { spec: { replicas: 3 } } },
      { by: 'team', apply: { spec: { replicas: 3, paused: false } } },
      { by: 'kubectl', force: true, apply: { spec: { replicas: 4 } } },
    ],
    values: { 'spec.replicas': 4, 'spec.paused': false },
    owners: { 'kubectl/Apply': ['.spec.replicas'], 'team/Apply': ['.spec.paused'] },
  },
  {
    name: "dropping one container's env var removes only it",
    kind: 'Pod',
    steps: [
      { by: 'kubectl', apply: pod([web({ env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }), { name: 'side', image: 'busybox', env: [{ name: 'A', value: '3' }] }]) },
      { by: 'kubectl', apply: pod([web({ env: [{ name: 'B', value: '2' }] }), { name: 'side', image: 'busybox', env: [{ name: 'A', value: '3' }] }]) },
    ],
    values: { 'spec.containers.0.env': [{ name: 'B', value: '2' }], 'spec.containers.1.env': [{ name: 'A', value: '3' }] },
    owners: {
      'kubectl/Apply': [
        '.spec.containers[name="side"]',
        '.spec.containers[name="side"].env[name="A"]',
        '.spec.containers[name="side"].env[name="A"].name',
        '.spec.containers[name="side"].env[name="A"].value',
        '.spec.containers[name="side"].image',
        '.spec.containers[name="side"].name',
        '.spec.containers[name="web"]',
        '.spec.containers[name="web"].env[name="B"]',
        '.spec.containers[name="web"].env[name="B"].name',
        '.spec.containers[name="web"].env[name="B"].value',
        '.spec.containers[name="web"].image',
        '.spec.containers[name="web"].name',
      ],
    },
  },
  {
    name: "an env var another manager added stays when the applier re-applies without it",
    kind: 'Pod',
    steps: [
      { by: 'kubectl', apply: pod([web({ env: [{ name: 'A', value: '1' }] })]) },
      { by: 'kubectl-set', update: (o) => ((o.spec as { containers: Json[] }).containers[0]!.env as Json[]).push({ name: 'DEBUG', value: 'on' }) },
      { by: 'kubectl', apply: pod([web({ env: [{ name: 'A', value: '2' }] })]) },
    ],
    values: { 'spec.containers.0.env': [{ name: 'A', value: '2' }, { name: 'DEBUG', value: 'on' }] },
    owners: {
      'kubectl/Apply': ['.spec.containers[name="web"]', '.spec.containers[name="web"].env[name="A"]', '.spec.containers[name="web"].env[name="A"].name', '.spec.containers[name="web"].env[name="A"].value', '.spec.containers[name="web"].image', '.spec.containers[name="web"].name'],
      'kubectl-set/Update': ['.spec.containers[name="web"].env[name="DEBUG"]', '.spec.containers[name="web"].env[name="DEBUG"].name', '.spec.containers[name="web"].env[name="DEBUG"].value'],
    },
  },
  {
    name: 'a container dropped from the config is removed, the others keep their place',
    kind: 'Pod',
    steps: [
      { by: 'kubectl', apply: pod([{ name: 'a', image: 'i' }, web(), { name: 'c', image: 'i' }]) },
      { by: 'kubectl', apply: pod([{ name: 'a', image: 'i' }, { name: 'c', image: 'i' }]) },
    ],
    values: { 'spec.containers': [{ name: 'a', image: 'i' }, { name: 'c', image: 'i' }] },
  },
  {
    name: 'a new container lands where the config puts it; one only in the live object keeps its place',
    kind: 'Pod',
    steps: [
      { by: 'kubectl', apply: pod([{ name: 'a', image: 'i' }, { name: 'c', image: 'i' }]) },
      { by: 'injector', update: (o) => (o.spec as { containers: Json[] }).containers.push({ name: 'proxy', image: 'envoy' }) },
      { by: 'kubectl', apply: pod([{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }, { name: 'c', image: 'i2' }]) },
    ],
    values: { 'spec.containers': [{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }, { name: 'c', image: 'i2' }, { name: 'proxy', image: 'envoy' }] },
  },
  {
    name: 'container ports are keyed by containerPort and protocol (TCP when left out)',
    kind: 'Pod',
    steps: [
      { by: 'kubectl', apply: pod([web({ ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }, { containerPort: 8080 }] })]) },
      // The stored object carries the defaulted protocol; the config still leaves it out.
      { by: 'defaulter', update: (o) => ((o.spec as { containers: Json[] }).containers[0]!.ports as Json[]).forEach((p) => (p.protocol ??= 'TCP')) },
      { by: 'kubectl', apply: pod([web({ ports: [{ containerPort: 80, name: 'http' }, { containerPort: 53, protocol: 'UDP' }] })]) },
    ],
    values: { 'spec.containers.0.ports': [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 53, protocol: 'UDP' }] },
    owners: {
      'kubectl/Apply': [
        '.spec.containers[name="web"]',
        '.spec.containers[name="web"].image',
        '.spec.containers[name="web"].name',
        '.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"]',
        '.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"].containerPort',
        '.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"].protocol',
        '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
        '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort',
        '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].name',
      ],
      'defaulter/Update': ['.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].protocol'],
    },
  },
  {
    name: 'finalizers are a set: each applier owns its values, dropping one leaves the others',
    kind: 'ConfigMap',
    steps: [
      { by: 'a', apply: { metadata: { finalizers: ['example.com/a', 'example.com/shared'] } } },
      { by: 'b', apply: { metadata: { finalizers: ['example.com/b', 'example.com/shared'] } } },
      { by: 'a', apply: { metadata: { finalizers: [] } } },
    ],
    values: { 'metadata.finalizers': ['example.com/b', 'example.com/shared'] },
    owners: { 'b/Apply': ['.metadata.finalizers[="example.com/b"]', '.metadata.finalizers[="example.com/shared"]'] },
  },
  {
    name: "an atomic list (a container's args) is replaced whole and owned as one field",
    kind: 'Pod',
    steps: [
      { by: 'kubectl', apply: pod([web({ args: ['--a', '--b'] })]) },
      { by: 'kubectl', apply: pod([web({ args: ['--c'] })]) },
    ],
    values: { 'spec.containers.0.args': ['--c'] },
    owners: { 'kubectl/Apply': ['.spec.containers[name="web"]', '.spec.containers[name="web"].args', '.spec.containers[name="web"].image', '.spec.containers[name="web"].name'] },
  },
  {
    name: 'an atomic list owned by someone else conflicts as one field',
    kind: 'Pod',
    steps: [
      { by: 'kubectl', apply: pod([web({ args: ['--a'] })]) },
      { by: 'ci', apply: pod([web({ args: ['--a', '--b'] })]) },
    ],
    conflicts: [{ manager: 'kubectl', field: '.spec.containers[name="web"].args' }],
  },
  {
    name: 'labels and annotations are owned key by key',
    kind: 'ConfigMap',
    steps: [
      { by: 'kubectl', apply: { metadata: { labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' } }, data: { k: 'v' } } },
      { by: 'ops', apply: { metadata: { labels: { team: 'blue' } } } },
      { by: 'kubectl-annotate', update: (o) => ((o.metadata as { annotations: Json }).annotations.oncall = 'ann') },
      { by: 'kubectl', apply: { metadata: { labels: { app: 'web' } }, data: { k: 'v' } } },
    ],
    values: { 'metadata.labels': { app: 'web', team: 'blue' }, 'metadata.annotations': { oncall: 'ann' }, data: { k: 'v' } },
    owners: { 'kubectl/Apply': ['.data.k', '.metadata.labels.app'], 'ops/Apply': ['.metadata.labels.team'], 'kubectl-annotate/Update': ['.metadata.annotations.oncall'] },
  },
  {
    name: "dropping every label takes the labels, not the object's name and namespace",
    kind: 'ConfigMap',
    steps: [
      { by: 'kubectl', apply: { metadata: { labels: { app: 'web' } } } },
      { by: 'kubectl', apply: { data: { k: 'v' } } },
    ],
    values: { 'metadata.labels': undefined, 'metadata.name': 'x', 'metadata.namespace': 'default', data: { k: 'v' } },
    owners: { 'kubectl/Apply': ['.data.k'] },
  },
  {
    name: 'a null in the config clears the field',
    kind: 'Deployment',
    steps: [
      { by: 'kubectl', apply: { spec: { replicas: 2, paused: true } } },
      { by: 'kubectl', apply: { spec: { replicas: 2, paused: null } } },
    ],
    values: { 'spec.paused': undefined, 'spec.replicas': 2 },
  },
  {
    name: 'an object written without managedFields: the first apply conflicts with nobody',
    kind: 'Deployment',
    steps: [
      { store: { spec: { replicas: 1, paused: true } } },
      { by: 'kubectl', apply: { spec: { replicas: 2 } } },
    ],
    conflicts: [],
    values: { 'spec.replicas': 2, 'spec.paused': true },
    owners: { 'kubectl/Apply': ['.spec.replicas'] },
  },
  {
    name: 'an Update on create owns every field it wrote, maps it created included',
    kind: 'ConfigMap',
    steps: [{ by: 'kubectl-create', update: (o) => Object.assign(o, { metadata: { name: 'x', namespace: 'default', labels: { app: 'a' } }, data: { k: 'v' } }) }],
    owners: { 'kubectl-create/Update': ['.data', '.data.k', '.metadata.labels', '.metadata.labels.app'] },
  },
  {
    name: 'an Update takes changed fields from an applier; removed fields leave every entry; empty entries go',
    kind: 'ConfigMap',
    steps: [
      { by: 'kubectl', apply: { data: { a: '1', b: '2' } } },
      { by: 'ops', apply: { data: { b: '2' } } },
      { by: 'edit', update: (o) => Object.assign(o, { data: { a: '10' } }) },
    ],
    values: { data: { a: '10' } },
    owners: { 'edit/Update': ['.data.a'] },
  },
  {
    name: "one manager's Updates accumulate in one entry",
    kind: 'ConfigMap',
    steps: [
      { by: 'edit', update: (o) => (o.data = { a: '1' }) },
      { by: 'edit', update: (o) => ((o.data as Json).b = '2') },
    ],
    owners: { 'edit/Update': ['.data', '.data.a', '.data.b'] },
  },
  {
    name: 'a status write through the status subresource is its own entry, and an apply never touches status',
    kind: 'Deployment',
    steps: [
      { by: 'kubectl', apply: { spec: { replicas: 1 } } },
      { by: 'kite-controller', subresource: 'status', update: (o) => (o.status = { replicas: 1 }) },
      { by: 'kubectl', apply: { spec: { replicas: 1 }, status: { replicas: 7 } } },
    ],
    conflicts: [],
    values: { 'status.replicas': 1 },
    owners: { 'kubectl/Apply': ['.spec.replicas'], 'kite-controller/Update/status': ['.status', '.status.replicas'] },
  },
  {
    name: 'a label selector is atomic: owned whole, replaced whole',
    kind: 'Deployment',
    steps: [
      { by: 'kubectl', apply: { spec: { selector: { matchLabels: { app: 'web', tier: 'x' } } } } },
      { by: 'kubectl', apply: { spec: { selector: { matchLabels: { app: 'web' } } } } },
    ],
    values: { 'spec.selector': { matchLabels: { app: 'web' } } },
    owners: { 'kubectl/Apply': ['.spec.selector'] },
  },
];

describe('managed fields: server-side apply and ownership', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { object, conflicts } = run(c.kind ?? 'Deployment', c.steps);
      if (c.conflicts) assert.deepEqual(conflicts, c.conflicts);
      else assert.deepEqual(conflicts, []);
      for (const [path, want] of Object.entries(c.values ?? {})) assert.deepEqual(valueAt(object, path), want, path);
      if (c.owners) assert.deepEqual(owners(object), c.owners);
    });
  }
});

describe('managed fields: entries', () => {
  const config = (replicas: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas } }) as KObject;

  it('applying the same config twice changes nothing, its time included', () => {
    const first = serverSideApply({ kind: 'Deployment', live: undefined, config: config(2), manager: 'kubectl', force: false, now: at(1) });
    const second = serverSideApply({ kind: 'Deployment', live: first.object, config: config(2), manager: 'kubectl', force: false, now: at(9) });
    assert.deepEqual(second.object, first.object);
    assert.deepEqual(entriesOf(first.object), [
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: at(1), fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    ]);
  });

  it('an Update that changes nothing leaves the entries as they were', () => {
    const created = recordUpdate({ kind: 'Deployment', before: undefined, after: config(2), manager: 'create', now: at(1) });
    const again = recordUpdate({ kind: 'Deployment', before: created, after: structuredClone(created), manager: 'edit', now: at(5) });
    assert.deepEqual(again, created);
  });

  it('sorts entries as Kubernetes does: Apply before Update, then by time, then manager', () => {
    let obj = recordUpdate({ kind: 'Deployment', before: undefined, after: { ...config(1), spec: { replicas: 1, paused: false } } as KObject, manager: 'z-create', now: at(1) });
    obj = serverSideApply({ kind: 'Deployment', live: obj, config: { ...config(1), spec: { minReadySeconds: 3 } } as KObject, manager: 'b', force: false, now: at(3) }).object!;
    obj = serverSideApply({ kind: 'Deployment', live: obj, config: { ...config(1), spec: { revisionHistoryLimit: 2 } } as KObject, manager: 'a', force: false, now: at(3) }).object!;
    obj = recordUpdate({ kind: 'Deployment', before: obj, after: { ...obj, spec: { ...(obj.spec as Json), paused: true } }, manager: 'edit', now: at(2) });
    const order = entriesOf(obj).map((e) => `${e.operation} ${e.manager} ${e.time}`);
    assert.deepEqual(order, [`Apply a ${at(3)}`, `Apply b ${at(3)}`, `Update z-create ${at(1)}`, `Update edit ${at(2)}`]);
  });

  it('starts from the managedFields a write carries, falling back to the stored ones when it carries none', () => {
    const applied = serverSideApply({ kind: 'Deployment', live: undefined, config: config(2), manager: 'kubectl-client-side-apply', force: false, now: at(1) }).object!;
    const moved = structuredClone(applied);
    entriesOf(moved)[0]!.manager = 'kubectl';
    assert.deepEqual(Object.keys(owners(recordUpdate({ kind: 'Deployment', before: applied, after: moved, manager: 'patch', now: at(2) }))), ['kubectl/Apply']);
    const stripped = structuredClone(applied);
    delete (stripped.metadata as { managedFields?: unknown }).managedFields;
    assert.deepEqual(Object.keys(owners(recordUpdate({ kind: 'Deployment', before: applied, after: stripped, manager: 'patch', now: at(2) }))), ['kubectl-client-side-apply/Apply']);
  });

  it('treats malformed stored managedFields as none', () => {
    const live = { ...config(2), metadata: { name: 'x', managedFields: [{ manager: 'm', operation: 'Bogus' }] } } as unknown as KObject;
    const result = serverSideApply({ kind: 'Deployment', live, config: config(3), manager: 'kubectl', force: false, now: at(1) });
    assert.deepEqual(result.conflicts, []);
    assert.deepEqual(Object.keys(owners(result.object)), ['kubectl/Apply']);
  });

  it('never changes its inputs', () => {
    const live = serverSideApply({ kind: 'Pod', live: undefined, config: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: { a: '1' } }, spec: pod([web({ env: [{ name: 'A', value: '1' }] })]).spec } as KObject, manager: 'kubectl', force: false, now: at(1) }).object!;
    const config = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: pod([web({ env: [{ name: 'B', value: '2' }] })]).spec } as KObject;
    const [liveCopy, configCopy] = [structuredClone(live), structuredClone(config)];
    const applied = serverSideApply({ kind: 'Pod', live, config, manager: 'other', force: false, now: at(2) }).object!;
    const recorded = recordUpdate({ kind: 'Pod', before: live, after: applied, manager: 'm', now: at(3) });
    assert.deepEqual([live, config], [liveCopy, configCopy]);
    // Nor do its results share anything a caller could change with them.
    for (const out of [applied, recorded]) {
      const container = (out.spec as { containers: Json[] }).containers[0]!;
      (container.env as Json[])[0]!.value = 'changed';
      container.image = 'changed';
      (out.metadata as { labels: Json }).labels.a = 'changed';
    }
    assert.deepEqual([live, config], [liveCopy, configCopy]);
  });
});

describe('managed fields: configs refused', () => {
  const cases: [string, unknown[], RegExp][] = [
    ['two containers with one name', [web(), web({ image: 'other' })], /\.spec\.containers: duplicate entries for key \{"name":"web"\}/],
    ['an env var without a name', [web({ env: [{ value: '1' }] })], /\.spec\.containers\[name="web"\]\.env: an item has no name/],
    ['a container that is not an object', ['web'], /\.spec\.containers: items of this list are objects keyed by name/],
  ];
  for (const [name, containers, message] of cases) {
    it(`refuses ${name} as Invalid`, () => {
      const config = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers } } as KObject;
      assert.throws(() => serverSideApply({ kind: 'Pod', live: undefined, config, manager: 'kubectl', force: false, now: at(1) }), (e: unknown) => isKiteError(e, 'Invalid') && message.test(e.message));
    });
  }
});
