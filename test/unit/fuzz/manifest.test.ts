// Property tests of manifest parsing and validation against what users send: arbitrary text and
// bytes, arbitrary JSON, and valid manifests of every common kind with fields replaced, deleted,
// added (hostile keys included) and nested deep. Parsing and validation must answer with a
// KiteError naming the document or field, never throw anything else, never hang, never change
// their input and never touch Object.prototype.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import type { KObject } from '../../../common/api/types';
import { applyDefaults, parseManifests, validateManifests, validateObject } from '../../../common/manifest';
import { join } from '../../../common/manifest/schema';
import { MAX_NESTING_DEPTH } from '../../../common/manifest/validate';
import { NASTY_KEYS, NASTY_STRINGS, defineOwn, hostileValue, kiteOutcome, snapshot, withoutPollution } from './helpers';

const template = (labels: Record<string, string>, restartPolicy?: string) => ({
  metadata: { labels },
  spec: {
    ...(restartPolicy ? { restartPolicy } : {}),
    containers: [
      {
        name: 'app',
        image: 'nginx:1.25',
        args: ['-g', 'daemon off;'],
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'MODE', value: 'prod' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
      },
    ],
    volumes: [{ name: 'config', configMap: { name: 'app-config', items: [{ key: 'app.conf', path: 'app.conf' }] } }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
  },
});

/** One valid manifest of each kind users write most. */
const VALID: Record<string, KObject> = {
  Pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'shop', labels: { app: 'web' } }, spec: template({}).spec } as KObject,
  Deployment: {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', annotations: { 'example.com/owner': 'team-a' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } }, template: template({ app: 'web', tier: 'front' }) },
  } as KObject,
  DaemonSet: {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' },
    spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['agent'] }] }, template: template({ app: 'agent' }) },
  } as KObject,
  Job: {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' },
    spec: { completions: 1, backoffLimit: 2, template: template({ job: 'migrate' }, 'Never') },
  } as KObject,
  Service: {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }, { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }] },
  } as KObject,
  ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { 'app.conf': 'listen 80;\n', MODE: 'prod' } } as KObject,
  Secret: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api' }, type: 'Opaque', data: { token: 'aHVudGVyMg==' }, stringData: { user: 'admin' } } as KObject,
  Namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } } as KObject,
};
const KIND_NAMES = Object.keys(VALID);

interface Node {
  path: string;
  parent: Record<string, unknown> | unknown[];
  key: string | number;
  value: unknown;
}

/** Every value under root with its validation-style path (`spec.containers[0].image`, `data["app.conf"]`). */
function nodesOf(root: unknown, path = ''): Node[] {
  const out: Node[] = [];
  if (Array.isArray(root)) {
    root.forEach((v: unknown, i) => {
      const p = `${path}[${i}]`;
      out.push({ path: p, parent: root, key: i, value: v }, ...nodesOf(v, p));
    });
  } else if (root !== null && typeof root === 'object') {
    const o = root as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const p = join(path, k);
      out.push({ path: p, parent: o, key: k, value: o[k] }, ...nodesOf(o[k], p));
    }
  }
  return out;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const copy = <T>(v: T): T => structuredClone(v);

type Mutation =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'nest'; at: number; depth: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...NASTY_KEYS, 'status', 'spec', 'metadata'), fc.string({ maxLength: 12 })), value: hostileValue }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: MAX_NESTING_DEPTH + 40 }) }),
);

const nested = (depth: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
  return v;
};

/** Applies m to obj in place; `at` picks a node (any node for replace/delete/nest, a mapping for add). */
function mutate(obj: Record<string, unknown>, m: Mutation): void {
  if (m.op === 'add') {
    const mappings = [obj, ...nodesOf(obj).map((n) => n.value).filter(isMapping)];
    defineOwn(mappings[m.at % mappings.length] as object, m.key, m.value);
    return;
  }
  const nodes = nodesOf(obj);
  const n = nodes[m.at % nodes.length];
  if (!n) return;
  if (m.op === 'delete') {
    if (Array.isArray(n.parent)) n.parent.splice(n.key as number, 1);
    else delete n.parent[n.key as string];
    return;
  }
  const value = m.op === 'nest' ? nested(m.depth) : m.value;
  if (Array.isArray(n.parent)) n.parent[n.key as number] = value;
  else defineOwn(n.parent, n.key as string, value);
}

const mutatedManifest = fc
  .tuple(fc.constantFrom(...KIND_NAMES), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([kind, ms]) => {
    const obj = copy(VALID[kind]) as unknown as Record<string, unknown>;
    for (const m of ms) mutate(obj, m);
    return obj;
  });

function assertIssues(r: { errors: { path: string; message: string }[]; warnings: { path: string; message: string }[] }): void {
  for (const i of [...r.errors, ...r.warnings]) {
    assert.equal(typeof i.path, 'string');
    assert.ok(typeof i.message === 'string' && i.message.length > 0, 'an issue without a message');
  }
}

/** Validation, and defaulting of what validates, as the controller's apply does it. */
function checkValidateAndDefault(obj: unknown): void {
  const before = snapshot(obj);
  withoutPollution(() => {
    const first = kiteOutcome(() => validateObject(obj));
    assert.ok('value' in first, 'validateObject threw');
    assertIssues(first.value);
    assert.equal(snapshot(obj), before, 'validateObject changed its input');
    if (first.value.errors.length > 0) return;
    const defaulted = kiteOutcome(() => applyDefaults(obj as KObject));
    assert.ok('value' in defaulted, 'applyDefaults threw');
    assert.equal(snapshot(obj), before, 'applyDefaults changed its input');
    // A valid object stays valid once defaulted, and defaulting twice changes nothing more.
    assert.deepEqual(validateObject(defaulted.value).errors, []);
    assert.equal(snapshot(applyDefaults(defaulted.value)), snapshot(defaulted.value));
  });
}

describe('fuzz: manifest parsing and validation', function () {
  this.timeout(20_000);

  it('the base manifests are valid (so mutations start from something real)', () => {
    for (const kind of KIND_NAMES) assert.deepEqual(validateObject(VALID[kind]).errors, [], kind);
  });

  it('arbitrary text: a list of objects with a kind, or a KiteError naming the source', () => {
    const yamlTokens = fc.constantFrom(
      'apiVersion: v1\n', 'kind: Pod\n', 'metadata:\n', '  name: x\n', '---\n', '...\n', '- ', '  ', '\t', '{', '}', '[', ']', ':', ',', '?', '"', "'",
      '&a ', '*a ', '<<: *a\n', '!!binary ', '!!map ', '!custom ', '%YAML 1.2\n', '|\n', '>-\n', '#c\n', '\n', 'kind: List\nitems:\n', '__proto__: ',
      '{"apiVersion":"v1",', '"kind":"Pod",', '"metadata":{"name":"a"}}', ...NASTY_STRINGS,
    );
    const text = fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), fc.array(yamlTokens, { maxLength: 40 }).map((t) => t.join('')));
    fc.assert(
      fc.property(text, (s) => {
        withoutPollution(() => {
          const r = kiteOutcome(() => parseManifests(s, 'fuzz.yaml'));
          if ('error' in r) {
            assert.match(r.error.message, /^fuzz\.yaml: /);
            for (const d of r.error.details) assert.match(d, /^fuzz\.yaml: /);
            return;
          }
          assert.ok(r.value.length > 0);
          for (const d of r.value) {
            assert.ok(isMapping(d.object) && Object.getPrototypeOf(d.object) === Object.prototype, 'a document that is not a plain mapping');
            assert.ok(typeof d.object.kind === 'string' && typeof d.object.apiVersion === 'string' && typeof d.object.metadata.name === 'string');
            assert.ok(d.index >= 1 && d.line >= 1);
          }
        });
      }),
      { numRuns: 600 },
    );
  });

  it('arbitrary bytes: decoded or refused as binary, never thrown past a KiteError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const input = Buffer.from(bytes);
        const before = input.toString('hex');
        const r = kiteOutcome(() => parseManifests(input, 'blob'));
        if ('error' in r) assert.match(r.error.message, /^blob: /);
        assert.equal(input.toString('hex'), before);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary JSON values: validation reports issues and never throws; text round-trips through the parser', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), hostileValue), (raw) => {
        const v: unknown = JSON.parse(JSON.stringify(raw) ?? 'null'); // no -0, as any JSON sender
        checkValidateAndDefault(v);
        const r = kiteOutcome(() => parseManifests(JSON.stringify(v), 'fuzz.json'));
        if ('value' in r) {
          const items = Array.isArray(v) ? v : isMapping(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items) ? v.items : [v];
          assert.equal(snapshot(r.value.map((d) => d.object)), snapshot(items));
        } else {
          assert.match(r.error.message, /^fuzz\.json: /);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('mutated manifests: validation never throws or mutates; what validates also defaults to something valid', () => {
    fc.assert(fc.property(mutatedManifest, (obj) => checkValidateAndDefault(obj)), { numRuns: 3000 });
  });

  it('mutated manifests as YAML and JSON text: the same objects back, or a KiteError whose every problem names the document', () => {
    fc.assert(
      fc.property(mutatedManifest, fc.boolean(), (obj, asJson) => {
        const text = asJson ? JSON.stringify(obj) : toYaml(obj, { aliasDuplicateObjects: false });
        withoutPollution(() => {
          const r = kiteOutcome(() => validateManifests(parseManifests(text, 'app.yaml')));
          if ('value' in r) {
            assert.equal(snapshot(r.value.objects[0]), snapshot(obj));
            for (const w of r.value.warnings) assert.match(w, /^app\.yaml: document 1[ :]/);
          } else {
            const problems = r.error.details.length ? r.error.details : [r.error.message];
            for (const p of problems) assert.match(p, /^app\.yaml: document 1[ :]/);
          }
        });
      }),
      { numRuns: 600 },
    );
  });

  it('a field given a value of the wrong shape is reported at its own path', () => {
    // Every leaf of every valid manifest, except under status (anything goes there).
    const leaves = KIND_NAMES.flatMap((kind) =>
      nodesOf(VALID[kind])
        .filter((n) => (n.value === null || typeof n.value !== 'object') && !n.path.startsWith('status'))
        .map((n) => ({ kind, path: n.path })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...leaves), fc.constantFrom<unknown>({ fuzz: [] }, [], [[1]]), ({ kind, path }, wrong) => {
        const obj = copy(VALID[kind]) as unknown as Record<string, unknown>;
        const node = nodesOf(obj).find((n) => n.path === path)!;
        if (Array.isArray(node.parent)) node.parent[node.key as number] = wrong;
        else node.parent[node.key as string] = wrong;
        const errors = validateObject(obj).errors;
        assert.ok(errors.some((e) => e.path === path), `no error at ${path}: ${JSON.stringify(errors)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('a required field removed is reported at its path', () => {
    const required: [string, string][] = [
      ['Pod', 'metadata.name'], ['Pod', 'spec.containers'], ['Pod', 'spec.containers[0].name'], ['Pod', 'spec.containers[0].image'],
      ['Pod', 'spec.containers[0].ports[0].containerPort'], ['Pod', 'spec.volumes[0].name'], ['Pod', 'spec.volumes[0].configMap.name'],
      ['Pod', 'spec.containers[0].volumeMounts[0].mountPath'], ['Pod', 'spec.containers[0].env[1].valueFrom.secretKeyRef.key'],
      ['Deployment', 'spec.selector'], ['Deployment', 'spec.template'], ['Deployment', 'spec'], ['DaemonSet', 'spec.selector'],
      ['DaemonSet', 'spec.selector.matchExpressions[0].operator'], ['Job', 'spec.template'], ['Job', 'spec.template.spec.restartPolicy'],
      ['Service', 'spec.ports[0].port'], ['Service', 'spec'], ['Secret', 'metadata.name'], ['ConfigMap', 'metadata.name'], ['Namespace', 'metadata.name'],
    ];
    for (const [kind, path] of required) {
      const obj = copy(VALID[kind]) as unknown as Record<string, unknown>;
      const node = nodesOf(obj).find((n) => n.path === path);
      assert.ok(node && !Array.isArray(node.parent), `${kind} has no ${path}`);
      delete node.parent[node.key as string];
      const errors = validateObject(obj).errors;
      assert.ok(errors.some((e) => e.path === path), `${kind} without ${path}: ${JSON.stringify(errors)}`);
    }
  });

  it('an unknown field (hostile names included) is an error at the mapping that holds it', () => {
    const mappings = KIND_NAMES.flatMap((kind) => [
      { kind, path: '' },
      ...nodesOf(VALID[kind]).filter((n) => isMapping(n.value) && !n.path.startsWith('status')).map((n) => ({ kind, path: n.path })),
    ]);
    fc.assert(
      fc.property(fc.constantFrom(...mappings), fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ minLength: 1, maxLength: 12 })), ({ kind, path }, key) => {
        fc.pre(key !== 'status');
        const obj = copy(VALID[kind]) as unknown as Record<string, unknown>;
        const target = path === '' ? obj : (nodesOf(obj).find((n) => n.path === path)!.value as object);
        // A value no field, map entry or label could accept.
        defineOwn(target, key, { '\u0000': [] });
        const { errors, warnings } = validateObject(obj);
        const at = join(path, key);
        // Names Kubernetes reserves for what Kite does not implement (a resource "vendor.com/x") are a warning instead.
        const reported = errors.some((e) => e.path === path || e.path.startsWith(at)) || warnings.some((w) => w.path === at && /has no effect in Kite/.test(w.message));
        assert.ok(reported, `nothing reported for ${at}: ${JSON.stringify(errors)}`);
        assert.equal(({} as Record<string, unknown>)['\u0000'], undefined);
      }),
      { numRuns: 400 },
    );
  });

  it('nesting beyond the limit is refused at the nested field; within it nothing overflows', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KIND_NAMES), fc.nat(), fc.integer({ min: 1, max: 3 * MAX_NESTING_DEPTH }), (kind, at, depth) => {
        const obj = copy(VALID[kind]) as unknown as Record<string, unknown>;
        const nodes = nodesOf(obj);
        const n = nodes[at % nodes.length]!;
        mutate(obj, { op: 'nest', at: at % nodes.length, depth });
        checkValidateAndDefault(obj);
        const deepErrors = validateObject(obj).errors.filter((e) => /nested more than/.test(e.message));
        if (depth > MAX_NESTING_DEPTH) {
          assert.equal(deepErrors.length, 1);
          assert.ok(deepErrors[0]!.path.startsWith(n.path), `${deepErrors[0]!.path} is not under ${n.path}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('"__proto__" and merge keys in YAML stay own data and never reach Object.prototype', () => {
    const key = fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted');
    fc.assert(
      fc.property(key, key, fc.boolean(), (k1, k2, viaMerge) => {
        const yaml = viaMerge
          ? `base: &b\n  ${k1}:\n    ${k2}: yes\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  <<: *b\n`
          : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${k1}:\n  ${k2}: yes\ndata:\n  ${k1}: x\n`;
        withoutPollution(() => {
          const [doc] = parseManifests(yaml, 'p.yaml');
          const o = doc!.object as unknown as Record<string, unknown>;
          assert.equal(Object.getPrototypeOf(o), Object.prototype);
          assert.equal(Object.getPrototypeOf(o.metadata), Object.prototype);
          const errors = validateObject(o).errors;
          assert.ok(errors.length > 0, 'an unknown top-level field was accepted');
        });
      }),
      { numRuns: 64 },
    );
  });
});
