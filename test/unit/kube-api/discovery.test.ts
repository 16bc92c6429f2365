import assert from 'node:assert/strict';
import { deploymentKind } from '../../../common/kinds/deployment';
import { KINDS } from '../../../common/kinds/registry';
import {
  type APIGroupDiscoveryList, type APIResource, aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions, groupOf, groupVersionOf, resolveResource,
  versionInfo, wantsAggregated,
} from '../../../controller/kube-api/discovery';

// semver 2.0.0's own grammar (semver.org), which kubectl's version parsing follows.
const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const KUBECTL_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** The group/version/resource lists the legacy endpoints serve, for every group version. */
function legacyLists(): Map<string, APIResource[]> {
  const lists = new Map<string, APIResource[]>();
  for (const v of apiVersions().versions) lists.set(v, apiResourceList('', v)?.resources ?? []);
  for (const g of apiGroupList().groups) {
    for (const v of g.versions) lists.set(v.groupVersion, apiResourceList(g.name, v.version)?.resources ?? []);
  }
  return lists;
}

const resourceIn = (gv: string, name: string) => legacyLists().get(gv)?.find((r) => r.name === name);

describe('versionInfo', () => {
  const cases: [string, string][] = [
    ['0.1.0', 'v1.32.0-kite.0.1.0'],
    ['1.2.3-rc.01', 'v1.32.0-kite.1.2.3-rc.1'],
    ['0.1.0+dirty', 'v1.32.0-kite.0.1.0-dirty'],
    ['dev build/7', 'v1.32.0-kite.dev-build-7'],
    ['..', 'v1.32.0-kite'],
    ['', 'v1.32.0-kite'],
  ];
  for (const [kite, git] of cases) {
    it(`presents Kite ${JSON.stringify(kite)} as ${git}, valid semver`, () => {
      const v = versionInfo(kite);
      assert.equal(v.gitVersion, git);
      assert.match(v.gitVersion, SEMVER);
    });
  }

  it('claims Kubernetes 1.32, so /usr/bin/kubectl picks kubectl.1.32', () => {
    const v = versionInfo('0.1.0');
    assert.deepEqual([v.major, v.minor, v.platform, v.compiler], ['1', '32', 'linux/amd64', 'kite']);
  });
});

describe('legacy discovery', () => {
  it('/api lists the core version', () => {
    assert.deepEqual(apiVersions(), { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] });
  });

  it('/apis lists the named groups of the registry and metrics, each with its preferred version', () => {
    const groups = apiGroupList().groups;
    assert.deepEqual(
      groups.map((g) => g.name),
      ['apps', 'batch', 'storage.k8s.io', 'metrics.k8s.io'],
    );
    for (const g of groups) assert.deepEqual(g.preferredVersion, g.versions[0]);
    assert.deepEqual(groups.find((g) => g.name === 'metrics.k8s.io')?.versions, [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }]);
  });

  it('/apis/GROUP answers a served group and nothing else', () => {
    assert.equal(groupOf('apps')?.kind, 'APIGroup');
    assert.deepEqual(groupOf('batch')?.preferredVersion, { groupVersion: 'batch/v1', version: 'v1' });
    assert.equal(groupOf('policy'), undefined);
    assert.equal(apiResourceList('apps', 'v2'), undefined);
    assert.equal(apiResourceList('nope', 'v1'), undefined);
  });

  for (const def of KINDS) {
    it(`lists ${def.plural} under ${def.apiVersion} as kind ${def.kind}`, () => {
      const r = resourceIn(def.apiVersion, def.plural);
      assert.ok(r, `${def.plural} missing from ${def.apiVersion}`);
      assert.equal(r.kind, def.kind);
      assert.equal(r.singularName, def.singular);
      assert.equal(r.namespaced, def.namespaced);
      assert.deepEqual(r.shortNames ?? [], [...def.shortNames]);
      assert.deepEqual(r.verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
      // No group/version on a top-level resource: it is the list's own.
      assert.equal(r.group, undefined);
    });
  }

  it('lists no resource twice in a group version and nothing beyond the registry and metrics', () => {
    const registry = new Set(KINDS.map((k) => `${k.apiVersion} ${k.plural}`));
    for (const [gv, resources] of legacyLists()) {
      const top = resources.filter((r) => !r.name.includes('/'));
      assert.equal(new Set(top.map((r) => r.name)).size, top.length, gv);
      for (const r of top) assert.ok(registry.has(`${gv} ${r.name}`) || gv === 'metrics.k8s.io/v1beta1', `${gv} ${r.name}`);
    }
  });

  it('puts Kubernetes "all" category on the workloads and services, and only there', () => {
    const all = [...legacyLists().values()].flat().filter((r) => r.categories?.includes('all')).map((r) => r.name).sort();
    assert.deepEqual(all, ['cronjobs', 'daemonsets', 'deployments', 'jobs', 'pods', 'replicasets', 'services', 'statefulsets']);
  });

  const subresources: [string, string, Partial<APIResource>][] = [
    ['v1', 'pods/log', { kind: 'Pod', verbs: ['get'] }],
    ['v1', 'pods/exec', { kind: 'PodExecOptions', verbs: ['create', 'get'] }],
    ['v1', 'pods/attach', { kind: 'PodAttachOptions', verbs: ['create', 'get'] }],
    ['v1', 'pods/portforward', { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] }],
    // kubectl drain finds the Eviction's group version here (CheckEvictionSupport).
    ['v1', 'pods/eviction', { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] }],
    ['v1', 'pods/status', { kind: 'Pod', verbs: ['get', 'patch', 'update'] }],
    ['v1', 'nodes/status', { kind: 'Node', verbs: ['get', 'patch', 'update'] }],
    ['v1', 'namespaces/status', { kind: 'Namespace', namespaced: false }],
    ['apps/v1', 'deployments/status', { kind: 'Deployment' }],
    // kubectl scale reads Scale's group version from these entries.
    ['apps/v1', 'deployments/scale', { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }],
    ['apps/v1', 'replicasets/scale', { kind: 'Scale', group: 'autoscaling', version: 'v1' }],
    ['apps/v1', 'statefulsets/scale', { kind: 'Scale', group: 'autoscaling', version: 'v1' }],
    ['batch/v1', 'jobs/status', { kind: 'Job' }],
  ];
  for (const [gv, name, want] of subresources) {
    it(`lists ${name} in ${gv}`, () => {
      const r = resourceIn(gv, name);
      assert.ok(r, `${name} missing`);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(r[k as keyof APIResource], v, `${name} ${k}`);
    });
  }

  it('gives no status subresource to kinds without a status (ConfigMap, Secret)', () => {
    assert.equal(resourceIn('v1', 'configmaps/status'), undefined);
    assert.equal(resourceIn('v1', 'secrets/status'), undefined);
    assert.equal(resourceIn('apps/v1', 'daemonsets/scale'), undefined);
  });

  it('serves metrics.k8s.io nodes and pods read-only for kubectl top', () => {
    const list = apiResourceList('metrics.k8s.io', 'v1beta1');
    assert.deepEqual(
      list?.resources.map((r) => [r.name, r.kind, r.namespaced, r.verbs.join(',')]),
      [
        ['nodes', 'NodeMetrics', false, 'get,list'],
        ['pods', 'PodMetrics', true, 'get,list'],
      ],
    );
  });
});

/** client-go's SplitGroupsAndResources: what kubectl makes of an aggregated answer. */
function splitAggregated(list: APIGroupDiscoveryList): Map<string, APIResource[]> {
  const out = new Map<string, APIResource[]>();
  for (const g of list.items) {
    const group = g.metadata.name ?? '';
    for (const v of g.versions) {
      const resources: APIResource[] = [];
      for (const r of v.resources) {
        const parent: APIResource = {
          name: r.resource,
          singularName: r.singularResource,
          namespaced: r.scope === 'Namespaced',
          kind: r.responseKind.kind,
          verbs: r.verbs,
          ...(r.shortNames ? { shortNames: r.shortNames } : {}),
          ...(r.categories ? { categories: r.categories } : {}),
        };
        resources.push(parent);
        for (const s of r.subresources ?? []) {
          assert.ok(s.responseKind.kind && s.responseKind.version, `${r.resource}/${s.subresource} needs a responseKind`);
          const other = s.responseKind.group !== group || s.responseKind.version !== v.version;
          resources.push({
            name: `${r.resource}/${s.subresource}`,
            singularName: '',
            namespaced: parent.namespaced,
            ...(other ? { group: s.responseKind.group, version: s.responseKind.version } : {}),
            kind: s.responseKind.kind,
            verbs: s.verbs,
          });
        }
      }
      out.set(group ? `${group}/${v.version}` : v.version, resources);
    }
  }
  return out;
}

describe('aggregated discovery', () => {
  it('is an apidiscovery.k8s.io/v2 APIGroupDiscoveryList with every version Current', () => {
    for (const which of ['api', 'apis'] as const) {
      const list = aggregatedDiscovery(which);
      assert.equal(list.kind, 'APIGroupDiscoveryList');
      assert.equal(list.apiVersion, 'apidiscovery.k8s.io/v2');
      for (const g of list.items) for (const v of g.versions) assert.equal(v.freshness, 'Current');
    }
  });

  it('/api holds the core group alone, unnamed; /apis the named groups', () => {
    assert.deepEqual(aggregatedDiscovery('api').items.map((g) => g.metadata.name), [undefined]);
    assert.deepEqual(
      aggregatedDiscovery('apis').items.map((g) => g.metadata.name),
      apiGroupList().groups.map((g) => g.name),
    );
  });

  it('says what legacy discovery says, subresources included, as client-go reads it', () => {
    const aggregated = new Map([...splitAggregated(aggregatedDiscovery('api')), ...splitAggregated(aggregatedDiscovery('apis'))]);
    const legacy = legacyLists();
    assert.deepEqual([...aggregated.keys()].sort(), [...legacy.keys()].sort());
    for (const [gv, resources] of legacy) assert.deepEqual(aggregated.get(gv), resources, gv);
  });

  it('names scale as autoscaling/v1 Scale and eviction as policy/v1 Eviction', () => {
    const deployments = aggregatedDiscovery('apis').items.find((g) => g.metadata.name === 'apps')?.versions[0]?.resources.find((r) => r.resource === 'deployments');
    assert.deepEqual(deployments?.subresources?.find((s) => s.subresource === 'scale')?.responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const pods = aggregatedDiscovery('api').items[0]?.versions[0]?.resources.find((r) => r.resource === 'pods');
    assert.deepEqual(pods?.subresources?.find((s) => s.subresource === 'eviction')?.responseKind, { group: 'policy', version: 'v1', kind: 'Eviction' });
    assert.equal(pods?.scope, 'Namespaced');
  });

  const accepts: [string | undefined, boolean][] = [
    [KUBECTL_DISCOVERY_ACCEPT, true],
    ['application/json', false],
    ['application/json, */*', false],
    [undefined, false],
    ['', false],
    // Only v2 is produced: a client that takes v2beta1 alone gets legacy discovery.
    ['application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', false],
    // Protobuf is not produced; the next preference decides.
    ['application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', true],
    // Preference by q, not by order.
    ['application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', true],
    ['application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5,application/json', false],
  ];
  for (const [accept, want] of accepts) {
    it(`wantsAggregated(${JSON.stringify(accept)}) is ${want}`, () => assert.equal(wantsAggregated(accept), want));
  }
});

describe('resolveResource and groupVersionOf', () => {
  it('finds every registry kind by its group, version and plural', () => {
    for (const def of KINDS) {
      const { group, version } = groupVersionOf(def);
      assert.equal(resolveResource(group, version, def.plural), def);
    }
  });

  const misses: [string, string, string][] = [
    ['', 'v1', 'deployments'], // wrong group
    ['apps', 'v1beta1', 'deployments'], // wrong version
    ['apps', 'v1', 'deployment'], // paths use plurals only
    ['apps', 'v1', 'deploy'],
    ['metrics.k8s.io', 'v1beta1', 'pods'], // not a registry kind
  ];
  for (const [g, v, r] of misses) {
    it(`finds nothing at ${g || 'core'}/${v}/${r}`, () => assert.equal(resolveResource(g, v, r), undefined));
  }

  it('splits apiVersions, the core group being empty', () => {
    assert.deepEqual(groupVersionOf(deploymentKind), { group: 'apps', version: 'v1' });
    assert.deepEqual(groupVersionOf({ apiVersion: 'v1' }), { group: '', version: 'v1' });
    assert.deepEqual(groupVersionOf({ apiVersion: 'storage.k8s.io/v1' }), { group: 'storage.k8s.io', version: 'v1' });
  });
});
