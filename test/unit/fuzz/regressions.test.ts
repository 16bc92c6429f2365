// Plain regression tests for the bugs the property tests in this folder found.
import { strict as assert } from 'node:assert';
import { isKiteError } from '../../../common/errors';
import { applyDefaults, parseCpu, parseFieldSelector, parseManifests, parseMemory, validateObject } from '../../../common/manifest';
import { MAX_NESTING_DEPTH } from '../../../common/manifest/validate';
import type { Pod } from '../../../common/api/types';
import type { PodStatusReport__Output } from '../../../common/generated/kite/v1/PodStatusReport';
import { podStatusFromReport, reportProblem } from '../../../controller/dispatcher/pod-status';

const isInvalid = (mentions: RegExp) => (e: unknown) => isKiteError(e, 'Invalid') && mentions.test(e.message);

describe('fuzz regressions', () => {
  it('locates an error in deeply nested broken JSON instead of overflowing the stack', () => {
    assert.throws(() => parseManifests('['.repeat(200_000), 'deep.json'), isInvalid(/^deep\.json: JSON error at line 1, column 200001: expected a value/));
    assert.throws(() => parseManifests('{"a": [1, 2}', 'x.json'), isInvalid(/line 1, column 12: expected "," or "\]", found "}"/));
  });

  it('refuses an object nested deeper than the limit, naming the path, so defaulting and printing never overflow', () => {
    const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));
    const pod = (status: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'a', image: 'b' }] }, status });
    const deep = validateObject(pod(nested(100_000)));
    assert.equal(deep.errors.length, 1);
    assert.match(deep.errors[0]!.path, /^status(\[0\])+$/);
    assert.match(deep.errors[0]!.message, new RegExp(`nested more than ${MAX_NESTING_DEPTH} levels`));
    // The selector of a Deployment is printed in a message; a deep unknown field in it used to overflow JSON.stringify.
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' },
      spec: { selector: { matchLabels: { a: 'b' }, x: nested(100_000) }, template: { spec: { containers: [{ name: 'a', image: 'b' }] } } },
    };
    assert.match(validateObject(deployment).errors[0]!.path, /^spec\.selector\.x(\[0\])+$/);
    // Real objects are far from the limit and still default.
    const shallow = pod(nested(20));
    assert.deepEqual(validateObject(shallow).errors, []);
    applyDefaults(shallow as Pod);
  });

  it('refuses an object with no metadata at all (defaulting used to be what made it invalid)', () => {
    for (const obj of [{ apiVersion: 'v1', kind: 'Namespace' }, { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'b' }] } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: null }]) {
      assert.deepEqual(validateObject(obj).errors, [{ path: 'metadata.name', message: 'is required' }]);
    }
  });

  it('a Gt/Lt selector value that is an object without a prototype is reported, not thrown', () => {
    const pod = (values: unknown[]) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' },
      spec: { containers: [{ name: 'a', image: 'b' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cpu', operator: 'Gt', values }] }] } } } },
    });
    const at = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values';
    assert.deepEqual(validateObject(pod([Object.create(null)])).errors.map((e) => e.path), [`${at}[0]`, at]);
    assert.deepEqual(validateObject(pod(['4'])).errors, []);
  });

  it('converts decimal quantities exactly (no byte or millicore too many from float noise)', () => {
    assert.equal(parseMemory('0.25424G'), 254_240_000);
    assert.equal(parseMemory('68675.6M'), 68_675_600_000);
    assert.equal(parseMemory('0.262765T'), 262_765_000_000);
    assert.equal(parseCpu('32823.444'), 32_823_444);
    assert.equal(parseCpu('2139636.339'), 2_139_636_339);
    // Still rounded up, as Kubernetes does, when the value is finer than the unit.
    assert.equal(parseMemory('0.5'), 1);
    assert.equal(parseCpu('1e-400'), 1);
    assert.equal(parseMemory('1.0000000001Ki'), 1025);
  });

  it('refuses quantities whose value is too large to be a finite number instead of returning Infinity', () => {
    assert.throws(() => parseCpu('1e306'), isInvalid(/"1e306": too large/));
    assert.throws(() => parseCpu(1e308), isInvalid(/too large/));
    assert.throws(() => parseMemory('1e400'), isInvalid(/too large/));
    assert.throws(() => parseMemory('1' + '0'.repeat(200)), isInvalid(/longer than 100 characters/));
  });

  it('field selectors read only own fields: metadata.constructor is missing, not Object', () => {
    assert.equal(parseFieldSelector('metadata.constructor!=').matchesFields({ metadata: { name: 'a' } }), false);
    assert.equal(parseFieldSelector('metadata.constructor=').matchesFields({ metadata: { name: 'a' } }), true);
    assert.equal(parseFieldSelector('spec.__proto__=').matchesFields({ spec: {} }), true);
  });

  it('refuses "__proto__" as a Secret or ConfigMap key, which defaulting used to drop silently', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: JSON.parse('{"__proto__": "hunter2"}') as unknown };
    assert.deepEqual(validateObject(secret).errors, [{ path: 'stringData.__proto__', message: 'invalid key "__proto__": must not be "__proto__"' }]);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: JSON.parse('{"__proto__": "x"}') as unknown };
    assert.equal(validateObject(cm).errors[0]?.path, 'data.__proto__');
  });

  describe('agent status reports', () => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] } };
    const container = {
      name: 'app', container_id: 'abc', image: 'busybox', image_id: '', state: 'running', reason: '', message: '', exit_code: 0, restart_count: 0,
      ready: true, started: true, started_at: '2026-01-01T00:00:00.123456789Z', finished_at: '', last_reason: '', last_exit_code: 0, last_finished_at: '0001-01-01T00:00:00Z',
    };
    const report = (over: Partial<PodStatusReport__Output> = {}): PodStatusReport__Output => ({
      uid: 'u1', namespace: 'default', name: 'web', phase: 'Running', reason: '', message: '', ready: true, pod_ip: '', start_time: '2026-01-01T00:00:00Z',
      observed_at: '2026-01-01T00:00:01+02:00', terminated: false, containers: [container], init_containers: [], initializing: false, ...over,
    });

    it('accepts what Docker and the agent send', () => {
      assert.equal(reportProblem(report(), pod, 'node-1'), undefined);
    });

    it('refuses times that are not RFC 3339, naming the field', () => {
      assert.match(reportProblem(report({ observed_at: 'yesterday' }), pod, 'node-1')!, /observed_at "yesterday" is not an RFC 3339 time/);
      assert.match(reportProblem(report({ start_time: '2026-13-45T99:00:00Z' }), pod, 'node-1')!, /start_time/);
      assert.match(reportProblem(report({ containers: [{ ...container, finished_at: '1' }] }), pod, 'node-1')!, /container "app": finished_at "1"/);
    });

    it('refuses a container reported twice and a negative restart count', () => {
      assert.match(reportProblem(report({ containers: [container, container] }), pod, 'node-1')!, /"app" is reported twice/);
      assert.match(reportProblem(report({ containers: [{ ...container, restart_count: -1 }] }), pod, 'node-1')!, /restart_count -1/);
    });

    it('refuses every report when the session has no node name, even for a pod with none', () => {
      const unbound: Pod = { ...pod, spec: { ...pod.spec, nodeName: '' } };
      assert.match(reportProblem(report(), unbound, '')!, /not assigned/);
    });

    it('cuts long reasons and messages before they are stored', () => {
      const s = podStatusFromReport(report({ message: 'm'.repeat(100_000), containers: [{ ...container, state: 'waiting', reason: 'r'.repeat(5000) }] }), pod, '10.0.0.1');
      assert.equal(s.message?.length, 1024);
      assert.equal(s.containerStatuses?.[0]?.state.waiting?.reason?.length, 1024);
    });
  });
});
