// metrics.k8s.io/v1beta1 documents from Node and Pod status.usage: shapes kubectl top reads,
// quantities it parses, and what is left out.
import { strict as assert } from 'node:assert';
import type { Node, Pod } from '../../../common/api/types';
import { parseCpu, parseMemory } from '../../../common/manifest';
import { METRICS_API_VERSION, nodeMetrics, nodeMetricsList, normalizedUsage, podMetrics, podMetricsList } from '../../../controller/kube-api/metrics-api';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0, 500);
const NOW_TEXT = '2026-01-01T12:00:00Z';

function node(name: string, usage?: { cpu: string; memory: string; timestamp: string }, labels?: Record<string, string>): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: {},
    status: { ...(usage ? { usage } : {}) },
  } as Node;
}

function pod(name: string, opts: { usage?: { cpu: string; memory: string }; phase?: string; containers?: string[]; namespace?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.namespace ?? 'default', labels: { app: name } },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: (opts.containers ?? ['app', 'sidecar']).map((c) => ({ name: c, image: 'busybox' })),
    },
    status: { phase: opts.phase ?? 'Running', ...(opts.usage ? { usage: opts.usage } : {}) },
  } as Pod;
}

/** What kubectl requires of a Quantity, in the units it prints: millicores and bytes. */
function assertParses(u: { cpu: string; memory: string }): { millis: number; bytes: number } {
  assert.match(u.cpu, /^\d+m?$/, `cpu ${u.cpu}`);
  assert.match(u.memory, /^\d+Ki$/, `memory ${u.memory}`);
  return { millis: parseCpu(u.cpu), bytes: parseMemory(u.memory) };
}

describe('metrics.k8s.io documents', () => {
  it('NodeMetrics: kind, apiVersion, labels, the measured time, window and usage', () => {
    const n = node('n1', { cpu: '250m', memory: '2048Ki', timestamp: '2026-01-01T11:59:55Z' }, { zone: 'a' });
    assert.deepEqual(nodeMetrics(n, NOW), {
      kind: 'NodeMetrics',
      apiVersion: METRICS_API_VERSION,
      metadata: { name: 'n1', labels: { zone: 'a' }, creationTimestamp: NOW_TEXT },
      timestamp: '2026-01-01T11:59:55Z',
      window: '10s',
      usage: { cpu: '250m', memory: '2048Ki' },
    });
  });

  it('PodMetrics: the pod total attributed to the first app container', () => {
    const p = pod('web', { usage: { cpu: '12m', memory: '34Ki' }, namespace: 'team' });
    assert.deepEqual(podMetrics(p, NOW), {
      kind: 'PodMetrics',
      apiVersion: METRICS_API_VERSION,
      metadata: { name: 'web', namespace: 'team', labels: { app: 'web' }, creationTimestamp: NOW_TEXT },
      timestamp: NOW_TEXT,
      window: '10s',
      containers: [{ name: 'app', usage: { cpu: '12m', memory: '34Ki' } }],
    });
  });

  describe('quantities kubectl parses, whatever form the status holds', () => {
    const cases: [string, { cpu: string; memory: string }, { cpu: string; memory: string }][] = [
      ['Kite\'s own form', { cpu: '5m', memory: '12345Ki' }, { cpu: '5m', memory: '12345Ki' }],
      ['idle', { cpu: '0m', memory: '0Ki' }, { cpu: '0', memory: '0Ki' }],
      ['whole cores', { cpu: '2000m', memory: '1Mi' }, { cpu: '2', memory: '1024Ki' }],
      ['cores and bytes', { cpu: '1.5', memory: '1000' }, { cpu: '1500m', memory: '1Ki' }],
      ['nanocores (rounded up)', { cpu: '1500000n', memory: '1Gi' }, { cpu: '2m', memory: '1048576Ki' }],
    ];
    for (const [what, stored, served] of cases) {
      it(`${what}: ${stored.cpu}/${stored.memory} -> ${served.cpu}/${served.memory}`, () => {
        const u = normalizedUsage(stored)!;
        assert.deepEqual(u, served);
        assertParses(u);
        assertParses(podMetrics(pod('p', { usage: stored }), NOW)!.containers[0]!.usage);
      });
    }

    for (const bad of [{ cpu: 'lots', memory: '1Ki' }, { cpu: '1m', memory: '-1Ki' }, { cpu: 5, memory: '1Ki' }, { memory: '1Ki' }]) {
      it(`leaves out malformed usage ${JSON.stringify(bad)}`, () => {
        assert.equal(normalizedUsage(bad), undefined);
        assert.equal(podMetrics(pod('p', { usage: bad as { cpu: string; memory: string } }), NOW), undefined);
      });
    }
  });

  it('a node usage without a valid timestamp is stamped now', () => {
    assert.equal(nodeMetrics(node('n1', { cpu: '1m', memory: '1Ki', timestamp: '' }), NOW)!.timestamp, NOW_TEXT);
    assert.equal(nodeMetrics(node('n1', { cpu: '1m', memory: '1Ki', timestamp: 'soon' }), NOW)!.timestamp, NOW_TEXT);
  });

  describe('lists leave out what has no usage, as metrics-server does', () => {
    it('nodes', () => {
      const list = nodeMetricsList([node('a', { cpu: '1m', memory: '1Ki', timestamp: NOW_TEXT }), node('b'), node('c', { cpu: '3m', memory: '3Ki', timestamp: NOW_TEXT })], NOW, '42');
      assert.equal(list.kind, 'NodeMetricsList');
      assert.equal(list.apiVersion, METRICS_API_VERSION);
      assert.deepEqual(list.metadata, { resourceVersion: '42' });
      assert.deepEqual(
        list.items.map((i) => i.metadata.name),
        ['a', 'c'],
      );
    });

    it('pods: no usage yet, finished (Succeeded or Failed) left out; Pending with usage kept', () => {
      const u = { cpu: '1m', memory: '1Ki' };
      const list = podMetricsList(
        [pod('running', { usage: u }), pod('new'), pod('done', { usage: u, phase: 'Succeeded' }), pod('crashed', { usage: u, phase: 'Failed' }), pod('starting', { usage: u, phase: 'Pending' })],
        NOW,
      );
      assert.equal(list.kind, 'PodMetricsList');
      assert.deepEqual(list.metadata, {});
      assert.deepEqual(
        list.items.map((i) => i.metadata.name),
        ['running', 'starting'],
      );
    });

    it('empty input: an empty list, not an error', () => {
      assert.deepEqual(podMetricsList([], NOW).items, []);
      assert.deepEqual(nodeMetricsList([], NOW).items, []);
    });
  });
});
