import assert from 'node:assert/strict';
import { deploymentKind } from '../../../common/kinds/deployment';
import type { KindDefinition } from '../../../common/kinds/kind';
import { KINDS } from '../../../common/kinds/registry';
import { S } from '../../../common/manifest/fields';
import { groupVersionOf } from '../../../controller/kube-api/discovery';
import {
  buildOpenApiV3Document, documentHash, type OpenApiDocument, type OpenApiSchema, openApiPathOf, openApiV2Document, openApiV3Document, openApiV3Hash,
  openApiV3Index, schemaNameOf,
} from '../../../controller/kube-api/openapi';

const docOf = (def: KindDefinition): OpenApiDocument => {
  const doc = openApiV3Document(def.apiVersion);
  assert.ok(doc, `no document for ${def.apiVersion}`);
  return doc;
};

type Gvk = { group: string; kind: string; version: string };
const gvkOf = (def: KindDefinition): Gvk => ({ group: groupVersionOf(def).group, kind: def.kind, version: groupVersionOf(def).version });
const sameGvk = (a: unknown, b: Gvk) => {
  const x = a as Gvk | undefined;
  return !!x && x.group === b.group && x.kind === b.kind && x.version === b.version;
};
const asSchema = (v: unknown): OpenApiSchema => v as OpenApiSchema;

/** Follows `$ref` and `allOf: [$ref]` as kubectl does. */
function resolve(doc: OpenApiDocument, s: OpenApiSchema): OpenApiSchema {
  const allOf = s.allOf as OpenApiSchema[] | undefined;
  const target = allOf?.[0] ?? s;
  const ref = target.$ref as string | undefined;
  if (!ref) return s;
  const found = doc.components.schemas[ref.replace('#/components/schemas/', '')];
  assert.ok(found, `unresolved ${ref}`);
  return { ...found, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'allOf' && k !== '$ref')) };
}

/** The schema at a field path (`spec.template.spec.containers` → the containers array). */
function at(doc: OpenApiDocument, def: KindDefinition, path: string): OpenApiSchema {
  let s = resolve(doc, asSchema(doc.components.schemas[schemaNameOf(groupVersionOf(def), def.kind)]));
  for (const key of path.split('.')) {
    if (s.type === 'array') s = resolve(doc, asSchema(s.items));
    const props = s.properties as Record<string, OpenApiSchema> | undefined;
    assert.ok(props?.[key], `no field ${key} in ${path}`);
    s = resolve(doc, props[key]);
  }
  return s;
}

/** kubectl's supportsQueryParamV3: the PATCH operations of a GVK and whether each takes the query parameter. */
function patchOperations(doc: OpenApiDocument, gvk: Gvk): OpenApiSchema[] {
  return Object.values(doc.paths)
    .map((p) => p.patch as OpenApiSchema | undefined)
    .filter((op): op is OpenApiSchema => !!op && sameGvk(op['x-kubernetes-group-version-kind'], gvk));
}

describe('OpenAPI v3 index', () => {
  it('has a document for every group version of the registry, at a URL carrying its hash', () => {
    const index = openApiV3Index();
    const expected = [...new Set(KINDS.map((k) => openApiPathOf(groupVersionOf(k))))].sort();
    assert.deepEqual(Object.keys(index.paths).sort(), expected);
    for (const [key, { serverRelativeURL }] of Object.entries(index.paths)) {
      const doc = openApiV3Document(key);
      assert.ok(doc);
      assert.equal(serverRelativeURL, `/openapi/v3/${key}?hash=${documentHash(doc)}`);
      assert.equal(openApiV3Hash(key), documentHash(doc));
    }
  });

  it('finds a document by URL path or by apiVersion, and nothing for others', () => {
    assert.equal(openApiV3Document('apis/apps/v1'), openApiV3Document('apps/v1'));
    assert.equal(openApiV3Document('api/v1'), openApiV3Document('v1'));
    assert.equal(openApiV3Document('/apis/batch/v1/'), openApiV3Document('batch/v1'));
    assert.equal(openApiV3Document('apis/policy/v1'), undefined);
    assert.equal(openApiV3Document('apis/apps/v2'), undefined);
    assert.equal(openApiV2Document(), undefined);
  });
});

describe('OpenAPI v3 hash', () => {
  it('is stable: the same registry gives the same documents and hashes', () => {
    const gv = { group: 'apps', version: 'v1' };
    const a = buildOpenApiV3Document(KINDS, gv);
    const b = buildOpenApiV3Document(KINDS, gv);
    assert.ok(a && b);
    assert.equal(documentHash(a), documentHash(b));
    assert.equal(documentHash(a), openApiV3Hash('apps/v1'));
  });

  it('changes when a kind changes, and differs between group versions', () => {
    const gv = { group: 'apps', version: 'v1' };
    const changed: KindDefinition = { ...deploymentKind, schema: S.obj({ ...deploymentKind.schema.fields, extra: S.str() }) };
    const before = buildOpenApiV3Document(KINDS, gv);
    const after = buildOpenApiV3Document(KINDS.map((k) => (k === deploymentKind ? changed : k)), gv);
    assert.ok(before && after);
    assert.notEqual(documentHash(after), documentHash(before));
    assert.notEqual(openApiV3Hash('apps/v1'), openApiV3Hash('batch/v1'));
  });
});

describe('OpenAPI v3 documents', () => {
  for (const def of KINDS) {
    const gvk = gvkOf(def);

    it(`${def.kind}: a schema named as Kubernetes names it, with its GVK, and its List`, () => {
      const doc = docOf(def);
      const name = schemaNameOf(groupVersionOf(def), def.kind);
      assert.match(name, /^io\.k8s\.api\.[a-z]+\.v1\.[A-Za-z]+$/);
      const schema = doc.components.schemas[name];
      assert.ok(schema, name);
      assert.deepEqual(schema['x-kubernetes-group-version-kind'], [gvk]);
      assert.equal(schema.type, 'object');
      assert.deepEqual(doc.components.schemas[`${name}List`]?.['x-kubernetes-group-version-kind'], [{ ...gvk, kind: `${def.kind}List` }]);
    });

    it(`${def.kind}: every PATCH operation takes fieldValidation, so kubectl leaves validation to the server`, () => {
      const ops = patchOperations(docOf(def), gvk);
      assert.ok(ops.length > 0, 'no PATCH operation');
      for (const op of ops) {
        const params = op.parameters as { name: string; in: string }[];
        assert.ok(params.some((p) => p.name === 'fieldValidation' && p.in === 'query'), String(op.operationId));
        // Leaving strategic merge out makes kubectl build its patches from its built-in types.
        const content = (op.requestBody as { content: Record<string, unknown> }).content;
        assert.ok('application/merge-patch+json' in content && !('application/strategic-merge-patch+json' in content));
      }
    });

    it(`${def.kind}: only the object's PATCH is listed, with the GVK (all kubectl reads; it re-reads the document per object)`, () => {
      const doc = docOf(def);
      const prefix = `/${openApiPathOf(groupVersionOf(def))}`;
      const collection = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.plural}` : `${prefix}/${def.plural}`;
      const path = doc.paths[`${collection}/{name}`];
      assert.ok(path, `${collection}/{name}`);
      assert.deepEqual(Object.keys(path), ['patch']);
      assert.ok(sameGvk((path.patch as OpenApiSchema)['x-kubernetes-group-version-kind'], gvk));
      assert.equal(doc.paths[collection], undefined);
    });
  }

  it('resolves every $ref within its document', () => {
    for (const key of Object.keys(openApiV3Index().paths)) {
      const doc = openApiV3Document(key) as OpenApiDocument;
      const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
      for (const r of new Set(refs)) {
        const name = r.slice('"$ref":"#/components/schemas/'.length, -1);
        assert.ok(doc.components.schemas[name], `${key}: ${r}`);
      }
    }
  });

  it('walks the kind schema: types, enums, required fields, maps, int-or-string and quantities', () => {
    const doc = docOf(deploymentKind);
    assert.deepEqual(at(doc, deploymentKind, 'spec').required, ['selector', 'template']);
    assert.deepEqual(at(doc, deploymentKind, 'spec.replicas'), { type: 'integer', minimum: 0 });
    assert.deepEqual(at(doc, deploymentKind, 'spec.strategy.type').enum, ['RollingUpdate', 'Recreate']);
    assert.equal(at(doc, deploymentKind, 'spec.strategy.rollingUpdate.maxSurge').format, 'int-or-string');
    assert.deepEqual(at(doc, deploymentKind, 'metadata.labels').additionalProperties, { type: 'string' });
    assert.equal(at(doc, deploymentKind, 'spec.template.spec.containers.resources.limits.cpu').type, 'string');
    assert.equal(at(doc, deploymentKind, 'spec.paused').type, 'boolean');
    assert.equal(at(doc, deploymentKind, 'status')['x-kubernetes-preserve-unknown-fields'], true);
  });

  it('names shared schemas as Kubernetes does, so explain prints <PodSpec>', () => {
    const doc = docOf(deploymentKind);
    const template = asSchema(asSchema(asSchema(doc.components.schemas['io.k8s.api.apps.v1.Deployment']?.properties).spec).properties).template;
    assert.deepEqual(template, { $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' });
    assert.ok(doc.components.schemas['io.k8s.api.core.v1.PodSpec']);
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  });

  it('describes the Kubernetes fields Kite ignores', () => {
    const pod = KINDS.find((k) => k.kind === 'Pod') as KindDefinition;
    assert.match(String(at(docOf(pod), pod, 'spec.priorityClassName').description), /^has no effect in Kite/);
  });

  const lists: [string, string, OpenApiSchema][] = [
    ['Deployment', 'spec.template.spec.containers', { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' }],
    ['Deployment', 'spec.template.spec.containers.env', { 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-patch-merge-key': 'name' }],
    ['Deployment', 'spec.template.spec.containers.ports', { 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'], 'x-kubernetes-patch-merge-key': 'containerPort' }],
    ['Deployment', 'spec.template.spec.volumes', { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }],
    ['Deployment', 'spec.template.spec.containers.args', { 'x-kubernetes-list-type': 'atomic' }],
    ['Deployment', 'spec.strategy', { 'x-kubernetes-patch-strategy': 'retainKeys' }],
    ['Deployment', 'metadata.finalizers', { 'x-kubernetes-list-type': 'set' }],
    ['Deployment', 'metadata.ownerReferences', { 'x-kubernetes-list-map-keys': ['uid'] }],
    ['Pod', 'spec.containers', { 'x-kubernetes-patch-merge-key': 'name' }],
    ['CronJob', 'spec.jobTemplate.spec.template.spec.containers', { 'x-kubernetes-patch-merge-key': 'name' }],
    ['Service', 'spec.ports', { 'x-kubernetes-list-map-keys': ['port', 'protocol'], 'x-kubernetes-patch-merge-key': 'port' }],
    ['Pod', 'spec.tolerations', { 'x-kubernetes-list-type': 'atomic' }],
  ];
  for (const [kind, path, want] of lists) {
    it(`${kind} ${path} merges as Kubernetes publishes it`, () => {
      const def = KINDS.find((k) => k.kind === kind) as KindDefinition;
      const s = at(docOf(def), def, path);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(s[k], v, k);
    });
  }

  it('scale is autoscaling/v1 Scale and eviction policy/v1 Eviction, with their schemas', () => {
    const apps = docOf(deploymentKind);
    const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    assert.deepEqual((scale?.patch as OpenApiSchema)['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
    assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
    const core = openApiV3Document('v1') as OpenApiDocument;
    assert.deepEqual((core.components.schemas['io.k8s.api.policy.v1.Eviction'] as OpenApiSchema)['x-kubernetes-group-version-kind'], [{ group: 'policy', kind: 'Eviction', version: 'v1' }]);
  });

  it('cluster-scoped kinds have paths without a namespace', () => {
    const core = openApiV3Document('v1') as OpenApiDocument;
    assert.ok(core.paths['/api/v1/nodes/{name}']?.patch);
    assert.equal(core.paths['/api/v1/namespaces/{namespace}/nodes'], undefined);
  });
});
