// Inter-pod affinity/anti-affinity and topology spread: each rule table-driven against a small
// snapshot, then whole batches through the scheduler.
import assert from 'node:assert/strict';
import type { Node, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../../../common/api/types';
import { ClusterSnapshot, FitError, podInfoOf, Scheduler, scheduleAll, type Filter, type Rejection, type Scorer } from '../../../controller/scheduler';
import { interPodAffinityFilter, interPodAntiAffinityFilter, topologySpreadFilter } from '../../../controller/scheduler/filters';
import { interPodAffinityScorer, topologySpreadScorer } from '../../../controller/scheduler/scorers';
import { node, pod, replicas, tally, type PodOpts } from './fixtures';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

const term = (app: string, topologyKey = HOST, more: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...more });
const antiPod = (name: string, app: string, terms: PodAffinityTerm[], o: PodOpts = {}): Pod =>
  pod(name, { ...o, labels: { app, ...o.labels }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } }, ...o.spec } });
const affinePod = (name: string, app: string, terms: PodAffinityTerm[], o: PodOpts = {}): Pod =>
  pod(name, { ...o, labels: { app, ...o.labels }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } }, ...o.spec } });
const spreadPod = (name: string, app: string, constraints: TopologySpreadConstraint[], o: PodOpts = {}): Pod =>
  pod(name, { ...o, labels: { app, ...o.labels }, spec: { topologySpreadConstraints: constraints, ...o.spec } });
const spread = (app: string, more: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: ZONE,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app } },
  ...more,
});

/** Three zones a, b, c with one node each (n-a, n-b, n-c) unless given. */
const zoned = (names = ['a', 'b', 'c']): Node[] => names.map((z) => node(`n-${z}`, { labels: { [ZONE]: z } }));

/** Each node's verdict for the pod: the rejection reason, '' when it passes, 'n/a' when the rule does not apply. */
function verdicts(f: Filter, p: Pod, nodes: Node[], bound: Pod[] = []): Record<string, string> {
  const snapshot = ClusterSnapshot.build(nodes, bound);
  const info = podInfoOf(p);
  const out: Record<string, string> = {};
  const applies = f.appliesTo(info, snapshot);
  const check = applies ? f.prepare!(info, snapshot) : undefined;
  for (const n of snapshot.nodes) out[n.name] = check ? (check(info, n) as Rejection | null)?.reason ?? '' : 'n/a';
  return out;
}

/** Each node's normalized score for the pod (undefined when the scorer does not apply). */
function scores(s: Scorer, p: Pod, nodes: Node[], bound: Pod[] = []): Record<string, number> | undefined {
  const snapshot = ClusterSnapshot.build(nodes, bound);
  const info = podInfoOf(p);
  if (!s.appliesTo(info, snapshot)) return undefined;
  const score = s.prepare!(info, snapshot);
  const raw = Float64Array.from(snapshot.nodes.map((n) => score(info, n)));
  s.normalize?.(raw, raw.length);
  return Object.fromEntries(snapshot.nodes.map((n, i) => [n.name, Math.round(raw[i]!)]));
}

const ANTI = "node(s) didn't match pod anti-affinity rules";
const EXISTING_ANTI = "node(s) didn't satisfy existing pods anti-affinity rules";
const AFFINITY = "node(s) didn't match pod affinity rules";
const SKEW = "node(s) didn't match pod topology spread constraints";
const MISSING = "node(s) didn't match pod topology spread constraints (missing required label)";

describe('inter-pod rules', () => {
  describe('InterPodAntiAffinity filter', () => {
    const cases: { name: string; pod: Pod; bound: Pod[]; nodes?: Node[]; want: Record<string, string> }[] = [
      {
        name: 'keeps the pod off a node holding a selected pod (hostname domains)',
        pod: antiPod('p', 'web', [term('web')]),
        bound: [pod('w0', { labels: { app: 'web' }, nodeName: 'n-a' })],
        want: { 'n-a': ANTI, 'n-b': '', 'n-c': '' },
      },
      {
        name: 'keeps the pod off the whole zone of a selected pod',
        pod: antiPod('p', 'web', [term('web', ZONE)]),
        bound: [pod('w0', { labels: { app: 'web' }, nodeName: 'n-a1' })],
        nodes: [node('n-a1', { labels: { [ZONE]: 'a' } }), node('n-a2', { labels: { [ZONE]: 'a' } }), node('n-b', { labels: { [ZONE]: 'b' } }), node('n-none')],
        want: { 'n-a1': ANTI, 'n-a2': ANTI, 'n-b': '', 'n-none': '' },
      },
      {
        name: 'ignores pods not selected, and selected pods in other namespaces by default',
        pod: antiPod('p', 'web', [term('web')]),
        bound: [pod('x', { labels: { app: 'db' }, nodeName: 'n-a' }), pod('w0', { labels: { app: 'web' }, namespace: 'other', nodeName: 'n-b' })],
        want: { 'n-a': '', 'n-b': '', 'n-c': '' },
      },
      {
        name: 'looks in the namespaces listed, or all with an empty namespaceSelector',
        pod: antiPod('p', 'web', [term('web', HOST, { namespaces: ['other'] }), term('db', HOST, { namespaceSelector: {} })]),
        bound: [pod('w0', { labels: { app: 'web' }, namespace: 'other', nodeName: 'n-a' }), pod('d0', { labels: { app: 'db' }, namespace: 'x', nodeName: 'n-b' })],
        want: { 'n-a': ANTI, 'n-b': ANTI, 'n-c': '' },
      },
      {
        name: 'is symmetric: a placed pod\'s anti-affinity keeps a selected newcomer out of its domain',
        pod: pod('plain', { labels: { app: 'web' } }),
        bound: [antiPod('guard', 'guard', [term('web', ZONE)], { nodeName: 'n-b' })],
        want: { 'n-a': '', 'n-b': EXISTING_ANTI, 'n-c': '' },
      },
      {
        name: 'lets a newcomer the placed pod\'s term does not select go anywhere',
        pod: pod('plain', { labels: { app: 'db' } }),
        bound: [antiPod('guard', 'guard', [term('web', ZONE)], { nodeName: 'n-b' })],
        want: { 'n-a': '', 'n-b': '', 'n-c': '' },
      },
      {
        name: 'does not apply to a pod without terms while no placed pod has any',
        pod: pod('plain', { labels: { app: 'web' } }),
        bound: [pod('w0', { labels: { app: 'web' }, nodeName: 'n-a' })],
        want: { 'n-a': 'n/a', 'n-b': 'n/a', 'n-c': 'n/a' },
      },
      {
        name: 'a term without labelSelector selects nothing',
        pod: antiPod('p', 'web', [{ topologyKey: HOST }]),
        bound: [pod('w0', { labels: { app: 'web' }, nodeName: 'n-a' })],
        want: { 'n-a': '', 'n-b': '', 'n-c': '' },
      },
    ];
    for (const c of cases) {
      it(c.name, () => assert.deepEqual(verdicts(interPodAntiAffinityFilter, c.pod, c.nodes ?? zoned(), c.bound), c.want));
    }
  });

  it('a namespaceSelector with labels selects the namespaces carrying them', () => {
    const snapshot = ClusterSnapshot.build(zoned(), [
      pod('w-team', { labels: { app: 'web' }, namespace: 'team-a', nodeName: 'n-a' }),
      pod('w-other', { labels: { app: 'web' }, namespace: 'other', nodeName: 'n-b' }),
    ]);
    snapshot.namespaceLabels = (ns) => (ns === 'team-a' ? { team: 'a' } : ns === 'other' ? { team: 'b' } : undefined);
    const info = podInfoOf(antiPod('p', 'web', [term('web', HOST, { namespaceSelector: { matchLabels: { team: 'a' } } })]));
    const check = interPodAntiAffinityFilter.prepare!(info, snapshot);
    assert.deepEqual(snapshot.nodes.map((n) => check(info, n)?.reason ?? ''), [ANTI, '', '']);
  });

  describe('InterPodAffinity filter', () => {
    const cases: { name: string; pod: Pod; bound: Pod[]; nodes?: Node[]; want: Record<string, string> }[] = [
      {
        name: 'allows only the zone holding a selected pod',
        pod: affinePod('p', 'web', [term('cache', ZONE)]),
        bound: [pod('c0', { labels: { app: 'cache' }, nodeName: 'n-b' })],
        want: { 'n-a': AFFINITY, 'n-b': '', 'n-c': AFFINITY },
      },
      {
        name: 'allows nowhere when nothing matches and the pod does not select itself',
        pod: affinePod('p', 'web', [term('cache', ZONE)]),
        bound: [],
        want: { 'n-a': AFFINITY, 'n-b': AFFINITY, 'n-c': AFFINITY },
      },
      {
        name: 'lets the first pod of a self-selecting group go to any node with the key',
        pod: affinePod('p', 'web', [term('web', ZONE)]),
        bound: [],
        nodes: [...zoned(['a', 'b']), node('n-none')],
        want: { 'n-a': '', 'n-b': '', 'n-none': AFFINITY },
      },
      {
        name: 'merges matchLabelKeys from the pod\'s own labels into the selector',
        pod: affinePod('p', 'web', [term('web', ZONE, { matchLabelKeys: ['track'] })], { labels: { track: 'canary' } }),
        bound: [pod('w-stable', { labels: { app: 'web', track: 'stable' }, nodeName: 'n-a' }), pod('w-canary', { labels: { app: 'web', track: 'canary' }, nodeName: 'n-c' })],
        want: { 'n-a': AFFINITY, 'n-b': AFFINITY, 'n-c': '' },
      },
    ];
    for (const c of cases) {
      it(c.name, () => assert.deepEqual(verdicts(interPodAffinityFilter, c.pod, c.nodes ?? zoned(), c.bound), c.want));
    }
  });

  describe('PodTopologySpread filter', () => {
    const web = (name: string, nodeName: string, o: PodOpts = {}) => pod(name, { labels: { app: 'web' }, nodeName, ...o });
    const cases: { name: string; pod: Pod; bound: Pod[]; nodes?: Node[]; want: Record<string, string> }[] = [
      {
        name: 'allows only domains where matching + 1 - global minimum stays within maxSkew',
        pod: spreadPod('p', 'web', [spread('web')]),
        bound: [web('w0', 'n-a'), web('w1', 'n-a'), web('w2', 'n-b')],
        want: { 'n-a': SKEW, 'n-b': SKEW, 'n-c': '' },
      },
      {
        name: 'a larger maxSkew allows more',
        pod: spreadPod('p', 'web', [spread('web', { maxSkew: 2 })]),
        bound: [web('w0', 'n-a'), web('w1', 'n-a'), web('w2', 'n-b')],
        want: { 'n-a': SKEW, 'n-b': '', 'n-c': '' },
      },
      {
        name: 'a pod its own selector does not match adds nothing to the skew',
        pod: spreadPod('p', 'other', [spread('web')]),
        bound: [web('w0', 'n-a')],
        want: { 'n-a': '', 'n-b': '', 'n-c': '' },
      },
      {
        name: 'rejects nodes without the key as unresolvable',
        pod: spreadPod('p', 'web', [spread('web')]),
        bound: [],
        nodes: [...zoned(['a']), node('n-none')],
        want: { 'n-a': '', 'n-none': MISSING },
      },
      {
        name: 'with fewer eligible domains than minDomains the global minimum is 0',
        pod: spreadPod('p', 'web', [spread('web', { minDomains: 4 })]),
        bound: [web('w0', 'n-a'), web('w1', 'n-b'), web('w2', 'n-c')],
        want: { 'n-a': SKEW, 'n-b': SKEW, 'n-c': SKEW },
      },
      {
        name: 'counts only pods in the pod\'s namespace, not being deleted',
        pod: spreadPod('p', 'web', [spread('web')]),
        bound: [web('w0', 'n-a', { namespace: 'other' }), { ...web('w1', 'n-b'), metadata: { ...web('w1', 'n-b').metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } }],
        want: { 'n-a': '', 'n-b': '', 'n-c': '' },
      },
      {
        name: 'nodeAffinityPolicy Honor (default): a zone the pod cannot use does not hold the minimum down',
        pod: spreadPod('p', 'web', [spread('web')], { spec: { nodeSelector: { pool: 'x' } } }),
        bound: [web('w0', 'n-a'), web('w1', 'n-b')],
        nodes: [node('n-a', { labels: { [ZONE]: 'a', pool: 'x' } }), node('n-b', { labels: { [ZONE]: 'b', pool: 'x' } }), node('n-c', { labels: { [ZONE]: 'c' } })],
        want: { 'n-a': '', 'n-b': '', 'n-c': '' },
      },
      {
        name: 'nodeAffinityPolicy Ignore: every zone counts',
        pod: spreadPod('p', 'web', [spread('web', { nodeAffinityPolicy: 'Ignore' })], { spec: { nodeSelector: { pool: 'x' } } }),
        bound: [web('w0', 'n-a'), web('w1', 'n-b')],
        nodes: [node('n-a', { labels: { [ZONE]: 'a', pool: 'x' } }), node('n-b', { labels: { [ZONE]: 'b', pool: 'x' } }), node('n-c', { labels: { [ZONE]: 'c' } })],
        want: { 'n-a': SKEW, 'n-b': SKEW, 'n-c': '' },
      },
      {
        name: 'nodeTaintsPolicy Honor: a zone of untolerated taints does not count',
        pod: spreadPod('p', 'web', [spread('web', { nodeTaintsPolicy: 'Honor' })]),
        bound: [web('w0', 'n-a'), web('w1', 'n-b')],
        nodes: [...zoned(['a', 'b']), node('n-c', { labels: { [ZONE]: 'c' }, taints: [{ key: 'gpu', effect: 'NoSchedule' }] })],
        want: { 'n-a': '', 'n-b': '', 'n-c': '' },
      },
      {
        name: 'nodeTaintsPolicy Ignore (default): the tainted zone holds the minimum at 0',
        pod: spreadPod('p', 'web', [spread('web')]),
        bound: [web('w0', 'n-a'), web('w1', 'n-b')],
        nodes: [...zoned(['a', 'b']), node('n-c', { labels: { [ZONE]: 'c' }, taints: [{ key: 'gpu', effect: 'NoSchedule' }] })],
        want: { 'n-a': SKEW, 'n-b': SKEW, 'n-c': '' },
      },
    ];
    for (const c of cases) {
      it(c.name, () => assert.deepEqual(verdicts(topologySpreadFilter, c.pod, c.nodes ?? zoned(), c.bound), c.want));
    }
  });

  describe('InterPodAffinity scorer', () => {
    const preferred = (kind: 'podAffinity' | 'podAntiAffinity', app: string, weight = 50): Pod =>
      pod('p', { labels: { app: 'web' }, spec: { affinity: { [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: term(app, ZONE) }] } } } });
    const cases: { name: string; pod: Pod; bound: Pod[]; want: Record<string, number> | undefined }[] = [
      {
        name: 'preferred affinity favours the zone holding selected pods',
        pod: preferred('podAffinity', 'cache'),
        bound: [pod('c0', { labels: { app: 'cache' }, nodeName: 'n-b' })],
        want: { 'n-a': 0, 'n-b': 100, 'n-c': 0 },
      },
      {
        name: 'preferred anti-affinity weighs zones by selected pods: fewest is best',
        pod: preferred('podAntiAffinity', 'web'),
        bound: [pod('w0', { labels: { app: 'web' }, nodeName: 'n-a' }), pod('w1', { labels: { app: 'web' }, nodeName: 'n-a' }), pod('w2', { labels: { app: 'web' }, nodeName: 'n-b' })],
        want: { 'n-a': 0, 'n-b': 50, 'n-c': 100 },
      },
      {
        name: 'a placed pod\'s preferred anti-affinity pushes a selected newcomer away (symmetry)',
        pod: pod('plain', { labels: { app: 'web' } }),
        bound: [pod('g', { labels: { app: 'g' }, nodeName: 'n-a', spec: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('web', ZONE) }] } } } })],
        want: { 'n-a': 0, 'n-b': 100, 'n-c': 100 },
      },
      {
        name: 'does not apply to a pod without terms while no placed pod has any',
        pod: pod('plain', { labels: { app: 'web' } }),
        bound: [pod('w0', { labels: { app: 'web' }, nodeName: 'n-a' })],
        want: undefined,
      },
    ];
    for (const c of cases) it(c.name, () => assert.deepEqual(scores(interPodAffinityScorer, c.pod, zoned(), c.bound), c.want));
  });

  describe('PodTopologySpread scorer (ScheduleAnyway)', () => {
    it('favours the zones with fewer matching pods; nodes without the key score 0', () => {
      const p = spreadPod('p', 'web', [spread('web', { whenUnsatisfiable: 'ScheduleAnyway' })]);
      const bound = [pod('w0', { labels: { app: 'web' }, nodeName: 'n-a' }), pod('w1', { labels: { app: 'web' }, nodeName: 'n-a' }), pod('w2', { labels: { app: 'web' }, nodeName: 'n-b' })];
      const got = scores(topologySpreadScorer, p, [...zoned(), node('n-none')], bound)!;
      assert.equal(got['n-none'], 0);
      assert.equal(got['n-c'], 100);
      assert.ok(got['n-a']! < got['n-b']! && got['n-b']! < got['n-c']!, JSON.stringify(got));
      assert.equal(verdicts(topologySpreadFilter, p, zoned(), bound)['n-a'], 'n/a', 'ScheduleAnyway never filters');
    });
  });

  describe('in a batch', () => {
    it('places 3 replicas with required anti-affinity on hostname one per node; the 4th stays pending', () => {
      const s = ClusterSnapshot.build([node('n1'), node('n2'), node('n3')], []);
      const pods = replicas('web', 4, { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } } });
      const results = scheduleAll(pods, s);
      assert.deepEqual(tally(results), { n1: 1, n2: 1, n3: 1 });
      const last = results[3]!;
      assert.ok('unschedulable' in last);
      assert.equal(last.unschedulable.message, "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
      assert.deepEqual([...last.unschedulable.requeueOn].sort(), ['added', 'labels', 'pods-freed']);
    });

    it('spreads 6 pods with maxSkew 1 over 3 zones two per zone, even when one zone has most nodes', () => {
      const nodes = [node('a1', { labels: { [ZONE]: 'a' } }), node('a2', { labels: { [ZONE]: 'a' } }), node('a3', { labels: { [ZONE]: 'a' } }), node('b1', { labels: { [ZONE]: 'b' } }), node('c1', { labels: { [ZONE]: 'c' } })];
      const s = ClusterSnapshot.build(nodes, []);
      const pods = replicas('web', 6, { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread('web')] } });
      const perNode = tally(scheduleAll(pods, s));
      const perZone = { a: (perNode.a1 ?? 0) + (perNode.a2 ?? 0) + (perNode.a3 ?? 0), b: perNode.b1, c: perNode.c1 };
      assert.deepEqual(perZone, { a: 2, b: 2, c: 2 });
    });

    it('a self-affine group follows its first pod into one zone', () => {
      const s = ClusterSnapshot.build(zoned(), []);
      const pods = replicas('web', 4, { labels: { app: 'web' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } } } });
      assert.equal(Object.keys(tally(scheduleAll(pods, s))).length, 1);
    });

    it('a pod with required affinity waits for bound pods and relabelled nodes', () => {
      const r = new Scheduler().schedule(affinePod('p', 'web', [term('cache', ZONE)]), ClusterSnapshot.build(zoned(), []));
      assert.ok('unschedulable' in r && r.unschedulable instanceof FitError);
      assert.ok(r.unschedulable.requeueOn.has('pods-bound') && r.unschedulable.requeueOn.has('labels'));
    });

    it('preferred anti-affinity spreads replicas over zones before doubling up', () => {
      const s = ClusterSnapshot.build([node('a1', { labels: { [ZONE]: 'a' } }), node('a2', { labels: { [ZONE]: 'a' } }), node('b1', { labels: { [ZONE]: 'b' } })], []);
      const pods = replicas('web', 2, { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term('web', ZONE) }] } } } });
      const perNode = tally(scheduleAll(pods, s));
      assert.equal(perNode.b1, 1, JSON.stringify(perNode));
    });

    it('pods without affinity or spread run none of the inter-pod rules', () => {
      const s = ClusterSnapshot.build(zoned(), [pod('w0', { labels: { app: 'web' }, nodeName: 'n-a' })]);
      const info = podInfoOf(pod('plain', { labels: { app: 'web' } }));
      assert.equal(info.topology, undefined);
      for (const rule of [interPodAffinityFilter, interPodAntiAffinityFilter, topologySpreadFilter, interPodAffinityScorer, topologySpreadScorer]) {
        assert.equal(rule.appliesTo(info, s), false, rule.name);
      }
    });
  });
});
