// Strategic merge patch as the Kubernetes API server applies it. Most cases are apimachinery's
// own (pkg/util/strategicpatch/patch_test.go: the live object, the patch kubectl computes, the
// result), moved onto Kite's kinds: their `mergingList` is a pod's containers (merged by name),
// `mergingIntList` is metadata.finalizers (a set), `nonMergingList` is a container's args
// (atomic), `retainKeysMap` is a Deployment's strategy.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isKiteError } from '../../../../common/errors';
import { applyMergePatch } from '../../../../common/kube/patch/json-merge-patch';
import { applyStrategicMergePatch } from '../../../../common/kube/patch/strategic-merge-patch';

interface Case {
  name: string;
  /** Pod unless said. */
  kind?: string;
  original: unknown;
  patch: unknown;
  expected: unknown;
}

/** A pod with these containers. */
const pod = (...containers: unknown[]) => ({ spec: { containers } });
/** A pod patch touching only spec. */
const podPatch = (spec: Record<string, unknown>) => ({ spec });
const finalizers = (...values: string[]) => ({ metadata: { finalizers: values } });
const strategy = (value: unknown) => ({ spec: { strategy: value } });

const MAPS: Case[] = [
  {
    name: 'maps merge recursively: fields added and changed, the rest kept',
    original: { metadata: { name: 'p', labels: { app: 'web', tier: 'front' } } },
    patch: { metadata: { labels: { tier: 'back', team: 'a' } } },
    expected: { metadata: { name: 'p', labels: { app: 'web', tier: 'back', team: 'a' } } },
  },
  {
    name: 'null deletes a field; null for a missing field adds nothing',
    original: { metadata: { labels: { app: 'web', tier: 'front' } } },
    patch: { metadata: { labels: { tier: null, gone: null } } },
    expected: { metadata: { labels: { app: 'web' } } },
  },
  {
    name: 'a new map is the patch without its nulls',
    original: { metadata: { name: 'p' } },
    patch: { metadata: { annotations: { a: '1', b: null } } },
    expected: { metadata: { name: 'p', annotations: { a: '1' } } },
  },
  {
    name: 'a value of another type replaces (map over string, string over map)',
    original: { a: 'text', b: { c: 1 } },
    patch: { a: { x: 1 }, b: 'now text' },
    expected: { a: { x: 1 }, b: 'now text' },
  },
  {
    name: '$patch: replace in a map: the map becomes the patch (apimachinery: "add key and delete all keys from map")',
    original: { metadata: { labels: { name: '1', value: '1' } } },
    patch: { metadata: { labels: { other: 'a', $patch: 'replace' } } },
    expected: { metadata: { labels: { other: 'a' } } },
  },
  {
    name: '$patch: replace at the root with no fields empties the object (apimachinery: "delete all keys from map")',
    original: { name: 1, value: 1 },
    patch: { $patch: 'replace' },
    expected: {},
  },
  {
    name: '$patch: delete in a map leaves it empty (apimachinery: "delete map from nested map")',
    original: { metadata: { labels: { key1: '1', key2: '1' } } },
    patch: { metadata: { labels: { $patch: 'delete' } } },
    expected: { metadata: { labels: {} } },
  },
  {
    name: '$patch: delete of a map that is not there adds nothing',
    original: { metadata: { name: 'p' } },
    patch: { metadata: { labels: { $patch: 'delete' } } },
    expected: { metadata: { name: 'p' } },
  },
  {
    name: '$patch: merge is the default, said out loud',
    original: { metadata: { labels: { a: '1' } } },
    patch: { metadata: { labels: { $patch: 'merge', b: '2' } } },
    expected: { metadata: { labels: { a: '1', b: '2' } } },
  },
  {
    name: 'an empty map merges nothing (apimachinery: "retainKeys map merge an empty map")',
    kind: 'Deployment',
    original: strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }),
    patch: strategy({}),
    expected: strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }),
  },
];

const KEYED_LISTS: Case[] = [
  {
    name: 'containers merge by name: a field added to one, a new one appended',
    original: pod({ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }),
    patch: podPatch({ containers: [{ name: 'b', image: 'b:2' }, { name: 'c', image: 'c:1' }] }),
    expected: pod({ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }, { name: 'c', image: 'c:1' }),
  },
  {
    name: 'the patch order wins over the live order (apimachinery: "preserve the order from the patch in a merging list")',
    original: pod({ name: '1' }, { name: '2', value: 'b' }, { name: '3' }),
    patch: podPatch({ containers: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }] }),
    expected: pod({ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', value: 'b', other: 'x' }),
  },
  {
    name: 'elements the patch does not name keep their live place (apimachinery: "... merging list 2")',
    original: pod({ name: '1' }, { name: '2', value: 'b' }, { name: '3' }),
    patch: podPatch({ containers: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] }),
    expected: pod({ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }),
  },
  {
    name: '{$patch: delete, name} deletes that element',
    original: pod({ name: '1' }, { name: '2', value: 'b' }),
    patch: podPatch({ containers: [{ $patch: 'delete', name: '1' }] }),
    expected: pod({ name: '2', value: 'b' }),
  },
  {
    name: 'a delete takes every element with that key (apimachinery: "delete all duplicate entries in a merging list")',
    original: pod({ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }),
    patch: podPatch({ containers: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] }),
    expected: pod({ name: '2', value: 'a' }),
  },
  {
    name: 'deleting an element that is not there changes nothing (apimachinery: "delete missing map from merging list")',
    original: pod({ name: '1' }),
    patch: podPatch({ containers: [{ name: '2', $patch: 'delete' }] }),
    expected: pod({ name: '1' }),
  },
  {
    name: 'without $setElementOrder a new element goes before the live ones the patch does not name, as in Kubernetes',
    original: pod({ name: '1' }, { name: '2' }),
    patch: podPatch({ containers: [{ name: '1', $patch: 'delete' }, { name: '3' }] }),
    expected: pod({ name: '3' }, { name: '2' }),
  },
  {
    name: 'null deletes a field of an element (apimachinery: "delete field from map in merging list")',
    original: pod({ name: '1', value: '1', other: 'a' }),
    patch: podPatch({ containers: [{ name: '1', value: null }] }),
    expected: pod({ name: '1', other: 'a' }),
  },
  {
    name: '{$patch: replace} as an element replaces the whole list',
    original: pod({ name: '1', image: 'x' }, { name: '2' }),
    patch: podPatch({ containers: [{ name: '3', image: 'y' }, { $patch: 'replace' }] }),
    expected: pod({ name: '3', image: 'y' }),
  },
  {
    name: '{$patch: replace} alone empties the list (apimachinery: "delete all items from merging list")',
    original: pod({ name: '1' }, { name: '2' }),
    patch: podPatch({ containers: [{ $patch: 'replace' }] }),
    expected: pod(),
  },
  {
    name: 'nested keyed lists: a container\'s env merges by name inside the container merged by name',
    original: pod({ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { name: 'side' }),
    patch: podPatch({ containers: [{ name: 'app', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] }),
    expected: pod({ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }] }, { name: 'side' }),
  },
  {
    name: 'nested keyed lists: a delete directive inside a container\'s env',
    original: pod({ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }),
    patch: podPatch({ containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }] }),
    expected: pod({ name: 'app', env: [{ name: 'B', value: '2' }] }),
  },
  {
    name: 'container ports match on containerPort and protocol: UDP 53 changes, TCP 53 is untouched',
    original: pod({ name: 'dns', ports: [{ containerPort: 53, protocol: 'TCP', name: 'tcp' }, { containerPort: 53, protocol: 'UDP', name: 'udp' }] }),
    patch: podPatch({ containers: [{ name: 'dns', ports: [{ containerPort: 53, protocol: 'UDP', hostPort: 5353 }] }] }),
    expected: pod({ name: 'dns', ports: [{ containerPort: 53, protocol: 'TCP', name: 'tcp' }, { containerPort: 53, protocol: 'UDP', name: 'udp', hostPort: 5353 }] }),
  },
  {
    name: 'container ports: a port element without protocol matches on containerPort alone (as kubectl sends it)',
    original: pod({ name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }] }),
    patch: podPatch({ containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, $patch: 'delete' }] }] }),
    expected: pod({ name: 'web', ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }),
  },
  {
    name: 'Service ports merge by port',
    kind: 'Service',
    original: { spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 443, targetPort: 8443, protocol: 'TCP' }] } },
    patch: { spec: { ports: [{ port: 443, targetPort: 9443 }] } },
    expected: { spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 443, targetPort: 9443, protocol: 'TCP' }] } },
  },
  {
    name: 'an atomic list inside a keyed element is replaced (apimachinery: "replace non merging list nested in merging list")',
    original: pod({ name: '1', other: 'a', args: ['--a', '--b'] }, { name: '2', other: 'b' }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '1' }, { name: '2' }], containers: [{ name: '1', args: ['--c'] }] }),
    expected: pod({ name: '1', other: 'a', args: ['--c'] }, { name: '2', other: 'b' }),
  },
  {
    name: 'tolerations are atomic: the patch\'s list replaces the live one',
    original: { spec: { tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] } },
    patch: { spec: { tolerations: [{ key: 'c', operator: 'Exists' }] } },
    expected: { spec: { tolerations: [{ key: 'c', operator: 'Exists' }] } },
  },
  {
    name: 'a keyed list the live object lacks is the patch\'s, without directives or nulls',
    original: { spec: {} },
    patch: podPatch({ containers: [{ name: 'a', image: 'x', tty: null }, { name: 'gone', $patch: 'delete' }] }),
    expected: pod({ name: 'a', image: 'x' }),
  },
  {
    name: 'a Deployment\'s template containers are keyed lists too',
    kind: 'Deployment',
    original: { spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }, { name: 'log', image: 'busybox' }] } } } },
    patch: { spec: { replicas: null, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } },
    expected: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } } } },
  },
];

const SET_LISTS: Case[] = [
  {
    name: 'finalizers merge as a union, new values last',
    original: finalizers('a', 'b'),
    patch: finalizers('b', 'c'),
    expected: finalizers('a', 'b', 'c'),
  },
  {
    name: 'the patch order wins in a set list (apimachinery: "preserve the order from the patch in a merging int list")',
    original: finalizers('1', '2', '3'),
    patch: finalizers('3', '1', '2'),
    expected: finalizers('3', '1', '2'),
  },
  {
    name: '$deleteFromPrimitiveList takes every copy out, server-only values stay (apimachinery: "delete all duplicate items in lists of scalars")',
    original: finalizers('1', '2', '3', '3', '4'),
    patch: { metadata: { '$setElementOrder/finalizers': ['1', '2'], '$deleteFromPrimitiveList/finalizers': ['3'] } },
    expected: finalizers('1', '2', '4'),
  },
  {
    name: 'add and delete values of a set list in one patch (apimachinery: "add and delete items in lists of scalars")',
    original: finalizers('1', '2', '3'),
    patch: { metadata: { '$setElementOrder/finalizers': ['1', '2', '4'], '$deleteFromPrimitiveList/finalizers': ['3'], finalizers: ['4'] } },
    expected: finalizers('1', '2', '4'),
  },
  {
    name: '$deleteFromPrimitiveList of a value that is not there adds nothing',
    original: finalizers('1', '2'),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['3'] } },
    expected: finalizers('1', '2'),
  },
  {
    name: '$deleteFromPrimitiveList of a list that is not there adds no list',
    original: { metadata: { name: 'p' } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['3'] } },
    expected: { metadata: { name: 'p' } },
  },
  {
    name: '$deleteFromPrimitiveList works on an atomic list too (apimachinery: "... list without merge patch strategy")',
    original: pod({ name: 'a', args: ['1', '2', '3'] }),
    patch: podPatch({ containers: [{ name: 'a', '$deleteFromPrimitiveList/args': ['2'] }] }),
    expected: pod({ name: 'a', args: ['1', '3'] }),
  },
];

const ELEMENT_ORDER: Case[] = [
  {
    name: '$setElementOrder alone reorders a keyed list (apimachinery: "set elements order in a list")',
    original: pod({ name: '1', other: 'a' }, { name: '3', value: 3 }, { name: '4', value: 4 }, { name: '2', value: 2 }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '4' }, { name: '2' }, { name: '3' }, { name: '1' }] }),
    expected: pod({ name: '4', value: 4 }, { name: '2', value: 2 }, { name: '3', value: 3 }, { name: '1', other: 'a' }),
  },
  {
    name: 'a server-only element last in the live list stays last (apimachinery: "... with server-only items")',
    original: pod({ name: '1', other: 'a' }, { name: '3', value: 3 }, { name: '4', value: 4 }, { name: '2', value: 2 }, { name: '9' }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '4' }, { name: '2' }, { name: '3' }, { name: '1' }] }),
    expected: pod({ name: '4', value: 4 }, { name: '2', value: 2 }, { name: '3', value: 3 }, { name: '1', other: 'a' }, { name: '9' }),
  },
  {
    name: 'a server-only element keeps its place before the elements the live list had after it (apimachinery: "... server-only items 2")',
    original: pod({ name: '1', other: 'a' }, { name: '2', value: 2 }, { name: '9' }, { name: '3', value: 3 }, { name: '4', value: 4 }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }] }),
    expected: pod({ name: '2', value: 2 }, { name: '1', other: 'a' }, { name: '9' }, { name: '4', value: 4 }, { name: '3', value: 3 }),
  },
  {
    name: 'several server-only elements keep their live order (apimachinery: "... server-only items 3")',
    original: pod({ name: '1', other: 'a' }, { name: '2', value: 2 }, { name: '7' }, { name: '9' }, { name: '8' }, { name: '3', value: 3 }, { name: '4', value: 4 }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }] }),
    expected: pod({ name: '2', value: 2 }, { name: '1', other: 'a' }, { name: '7' }, { name: '9' }, { name: '8' }, { name: '4', value: 4 }, { name: '3', value: 3 }),
  },
  {
    name: 'an ordered element the list does not have is ignored (apimachinery: "$setElementOrder contains item that is not present")',
    original: pod({ name: '1' }, { name: '3' }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }], containers: [{ name: '3', value: 3 }, { name: '1', value: 1 }] }),
    expected: pod({ name: '3', value: 3 }, { name: '1', value: 1 }),
  },
  {
    name: 'an element added and another deleted, with a server-only element (apimachinery: "add map and delete map from merging list")',
    original: pod({ name: '1' }, { name: '2', other: 'b' }, { name: '4', other: 'c' }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '2' }, { name: '3' }], containers: [{ name: '3' }, { name: '1', $patch: 'delete' }] }),
    expected: pod({ name: '2', other: 'b' }, { name: '4', other: 'c' }, { name: '3' }),
  },
  {
    name: 'new elements take their place in the order (apimachinery: "add multiple items in a list and preserve order")',
    original: pod({ name: '1', other: 'a' }, { name: '2', value: 2, other: 'b' }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '1' }, { name: '4' }, { name: '2' }, { name: '3' }], containers: [{ name: '4', value: 4 }, { name: '3', value: 3 }] }),
    expected: pod({ name: '1', other: 'a' }, { name: '4', value: 4 }, { name: '2', value: 2, other: 'b' }, { name: '3', value: 3 }),
  },
  {
    name: '$setElementOrder reorders a set list (apimachinery: "set elements order in a int list")',
    original: finalizers('1', '3', '4', '2'),
    patch: { metadata: { '$setElementOrder/finalizers': ['4', '2', '3', '1'] } },
    expected: finalizers('4', '2', '3', '1'),
  },
  {
    name: 'a delete and a reorder in one list, a reorder in another (apimachinery: "delete and reorder in one list, reorder in another")',
    original: { spec: { containers: [{ name: 'a', value: 'a' }, { name: 'b', value: 'b' }], initContainers: [{ name: 'c', value: 'c' }, { name: 'd', value: 'd' }] } },
    patch: podPatch({
      '$setElementOrder/containers': [{ name: 'b' }],
      '$setElementOrder/initContainers': [{ name: 'd' }, { name: 'c' }],
      containers: [{ $patch: 'delete', name: 'a' }],
    }),
    expected: { spec: { containers: [{ name: 'b', value: 'b' }], initContainers: [{ name: 'd', value: 'd' }, { name: 'c', value: 'c' }] } },
  },
  {
    name: 'duplicates named once keep their live order, together (apimachinery: "behavior of set element order for a merging list with duplicate")',
    original: pod({ name: '1' }, { name: '2', value: 'dup1' }, { name: '3' }, { name: '2', value: 'dup2' }, { name: '4' }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }, { name: '2' }] }),
    expected: pod({ name: '2', value: 'dup1' }, { name: '2', value: 'dup2' }, { name: '1' }, { name: '4' }, { name: '3' }),
  },
  {
    name: '$setElementOrder for a list that is not there sets the patch\'s list in that order',
    original: { spec: {} },
    patch: podPatch({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'b' }, { name: 'a' }] }),
    expected: pod({ name: 'b' }, { name: 'a' }),
  },
  {
    name: '$setElementOrder of an atomic list changes nothing: the patch\'s list is the list',
    original: pod({ name: 'a', args: ['1', '2'] }),
    patch: podPatch({ containers: [{ name: 'a', '$setElementOrder/args': ['2', '1'], args: ['1', '3'] }] }),
    expected: pod({ name: 'a', args: ['1', '3'] }),
  },
];

const RETAIN_KEYS: Case[] = [
  {
    name: '$retainKeys drops the fields it does not name (a Deployment switching to Recreate)',
    kind: 'Deployment',
    original: strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }),
    patch: strategy({ $retainKeys: ['type'], type: 'Recreate' }),
    expected: strategy({ type: 'Recreate' }),
  },
  {
    name: '$retainKeys clears a defaulted field (apimachinery: "retainKeys map should clear defaulted field with conflict")',
    kind: 'Deployment',
    original: strategy({ name: 'type1', value: 'foo' }),
    patch: strategy({ $retainKeys: ['name', 'other'], name: 'type2', other: 'bar' }),
    expected: strategy({ name: 'type2', other: 'bar' }),
  },
  {
    name: '$retainKeys keeps and merges what it names (apimachinery: "retainKeys map changes a field in a nested map")',
    kind: 'Deployment',
    original: strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }, stale: true }),
    patch: strategy({ $retainKeys: ['type', 'rollingUpdate'], rollingUpdate: { maxSurge: 2 } }),
    expected: strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } }),
  },
  {
    name: 'a field set to null need not be in $retainKeys (apimachinery: "retainKeys map deletes a field")',
    kind: 'Deployment',
    original: strategy({ name: 'foo', value: 'a' }),
    patch: strategy({ $retainKeys: ['name'], value: null }),
    expected: strategy({ name: 'foo' }),
  },
  {
    name: '$retainKeys in a volume element: switching a volume from emptyDir to hostPath, as kubectl sends it',
    original: { spec: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] } },
    patch: podPatch({ '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }], volumes: [{ $retainKeys: ['hostPath', 'name'], name: 'data', hostPath: { path: '/srv' }, emptyDir: null }] }),
    expected: { spec: { volumes: [{ name: 'data', hostPath: { path: '/srv' } }, { name: 'cfg', configMap: { name: 'c' } }] } },
  },
];

const KUBECTL: Case[] = [
  {
    name: 'a kubectl apply patch: image changed, an env var removed, a container added, replicas handed back to the server',
    kind: 'Deployment',
    original: {
      metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
      },
    },
    patch: {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' } },
      spec: {
        replicas: null,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'log' }],
            containers: [
              { name: 'web', '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }], image: 'nginx:1.27' },
              { name: 'log', image: 'busybox' },
            ],
          },
        },
      },
    },
    expected: {
      metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' } },
      spec: {
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80, protocol: 'TCP' }] }, { name: 'log', image: 'busybox' }] } },
      },
    },
  },
];

describe('applyStrategicMergePatch', () => {
  const groups: [string, Case[]][] = [
    ['maps', MAPS],
    ['keyed lists', KEYED_LISTS],
    ['set lists and $deleteFromPrimitiveList', SET_LISTS],
    ['$setElementOrder', ELEMENT_ORDER],
    ['$retainKeys', RETAIN_KEYS],
    ['kubectl', KUBECTL],
  ];
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          const original = deepFreeze(structuredClone(c.original));
          const patch = deepFreeze(structuredClone(c.patch));
          assert.deepEqual(applyStrategicMergePatch(c.kind ?? 'Pod', original, patch), c.expected);
        });
      }
    });
  }

  it('never changes its inputs, and what it returns shares nothing with them', () => {
    const original = pod({ name: 'a', env: [{ name: 'X', value: '1' }], args: ['x'] }, { name: 'b', resources: { limits: { cpu: '1' } } });
    const patch = podPatch({ containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }], args: ['y'], securityContext: { privileged: false } }] });
    const [originalCopy, patchCopy] = [structuredClone(original), structuredClone(patch)];
    const result = applyStrategicMergePatch('Pod', deepFreeze(original), deepFreeze(patch)) as { spec: { containers: Record<string, unknown>[] } };
    mutateEverything(result);
    assert.deepEqual(original, originalCopy);
    assert.deepEqual(patch, patchCopy);
  });

  describe('refuses a malformed patch, naming the field', () => {
    const errors: { name: string; original?: unknown; patch: unknown; message: RegExp }[] = [
      { name: 'a list as the patch', patch: [{ a: 1 }], message: /the patch: must be a JSON object/ },
      { name: 'a string as the patch', patch: 'x', message: /must be a JSON object/ },
      { name: 'null as the patch', patch: null, message: /must be a JSON object/ },
      { name: 'an unknown $patch in a map', patch: { metadata: { labels: { $patch: 'remove' } } }, message: /metadata\.labels\.\$patch: must be "replace", "delete" or "merge", not "remove"/ },
      { name: 'an unknown $patch in a keyed list', patch: podPatch({ containers: [{ name: 'a', $patch: 'drop' }] }), message: /spec\.containers\[0\]\.\$patch: must be/ },
      { name: 'a keyed-list element without its merge key', patch: podPatch({ containers: [{ name: 'a' }, { image: 'x' }] }), message: /spec\.containers\[1\]: has no merge key "name"/ },
      { name: 'a delete directive without the merge key', patch: podPatch({ containers: [{ $patch: 'delete', image: 'x' }] }), message: /spec\.containers\[0\]: has no merge key "name"/ },
      { name: 'a nested element without its merge key', patch: podPatch({ containers: [{ name: 'a', env: [{ value: '1' }] }] }), message: /spec\.containers\[0\]\.env\[0\]: has no merge key "name"/ },
      { name: 'a keyed-list element that is not an object', patch: podPatch({ containers: ['a'] }), message: /spec\.containers\[0\]: must be an object/ },
      { name: '$setElementOrder that is not a list', patch: podPatch({ '$setElementOrder/containers': { name: 'a' } }), message: /spec\.\$setElementOrder\/containers: must be a list/ },
      {
        name: '$setElementOrder in another order than the patch list (apimachinery: "should check if order in $setElementOrder and patch list match")',
        original: pod({ name: '1' }, { name: '3' }, { name: '2' }),
        patch: podPatch({ '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [{ name: '3', value: 3 }, { name: '1', value: 1 }] }),
        message: /spec\.\$setElementOrder\/containers: does not name spec\.containers\[1\] in the patch's order/,
      },
      {
        name: '$setElementOrder of a set list in another order than the patch list',
        original: finalizers('1', '3', '2'),
        patch: { metadata: { '$setElementOrder/finalizers': ['1', '2', '3'], finalizers: ['3', '1'] } },
        message: /metadata\.\$setElementOrder\/finalizers: does not name/,
      },
      { name: '$setElementOrder naming an element without its merge key', patch: podPatch({ '$setElementOrder/containers': [{ image: 'x' }] }), message: /spec\.\$setElementOrder\/containers\[0\]: has no merge key "name"/ },
      { name: '$retainKeys that is not a list of names', patch: { spec: { strategy: { $retainKeys: 'type', type: 'Recreate' } } }, message: /spec\.strategy\.\$retainKeys: must be a list of field names/ },
      { name: 'a field $retainKeys does not name', patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: {} } } }, message: /spec\.strategy\.\$retainKeys: does not name "rollingUpdate"/ },
      { name: '$deleteFromPrimitiveList that is not a list', patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, message: /metadata\.\$deleteFromPrimitiveList\/finalizers: must be a list/ },
      { name: 'an object in a set list', patch: { metadata: { finalizers: [{ a: 1 }] } }, message: /metadata\.finalizers\[0\]: must be a string, number or boolean/ },
      { name: 'a delete directive in a set list', patch: { metadata: { finalizers: [{ $patch: 'delete' }] } }, message: /metadata\.finalizers\[0\]: a list of values takes no "\$patch": "delete"/ },
    ];
    for (const c of errors) {
      it(c.name, () => {
        assert.throws(
          () => applyStrategicMergePatch('Pod', c.original ?? pod({ name: 'a' }), c.patch),
          (e: unknown) => isKiteError(e, 'Invalid') && c.message.test(e.message),
        );
      });
    }
  });

  it('is JSON merge patch where every list is atomic and the patch has no directives (property)', () => {
    // ConfigMap has no keyed or set lists under these field names.
    const key = fc.constantFrom('a', 'b', 'c', 'data');
    const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.integer()), { maxLength: 3 }));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, tie('tree')), { maxKeys: 4, noNullPrototype: true }),
    }));
    const patchTree = fc.letrec((tie) => ({
      node: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, fc.constant(null), tie('node')), { maxKeys: 4, noNullPrototype: true }),
    })).node;
    fc.assert(
      fc.property(tree, patchTree, (original, patch) => {
        assert.deepEqual(applyStrategicMergePatch('ConfigMap', original, patch), applyMergePatch(original, patch));
      }),
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Changes every object and list inside `value`; fails on a frozen one (a part of an input). */
function mutateEverything(value: unknown): void {
  if (typeof value === 'object' && value !== null) assert.ok(!Object.isFrozen(value), `shared with an input: ${JSON.stringify(value)}`);
  if (Array.isArray(value)) {
    value.forEach(mutateEverything);
    value.push('mutated');
  } else if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) mutateEverything(inner);
    (value as Record<string, unknown>).mutated = true;
  }
}
