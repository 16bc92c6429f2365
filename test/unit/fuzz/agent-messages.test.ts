// Property tests of what the controller accepts from agents: pod status reports and pod events
// with arbitrary content, for pods bound to the reporting node, to another node, or unknown.
// Checking never throws, refuses anything about a pod not bound to the reporter, and what it
// accepts becomes a pod status with valid phases, known containers and parseable times.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { POD_PHASES } from '../../../common/api/pod';
import type { Pod } from '../../../common/api/types';
import type { ContainerStatus__Output } from '../../../common/generated/kite/v1/ContainerStatus';
import type { PodEvent__Output } from '../../../common/generated/kite/v1/PodEvent';
import type { PodStatusReport__Output } from '../../../common/generated/kite/v1/PodStatusReport';
import { eventProblem, podStatusFromReport, reportProblem } from '../../../controller/dispatcher/pod-status';
import { NASTY_STRINGS } from './helpers';

const NODES = ['node-1', 'node-2', ''];
/** Mostly node-1, so that pods and reporters often agree. */
const node = fc.oneof({ arbitrary: fc.constant('node-1'), weight: 4 }, { arbitrary: fc.constantFrom(...NODES), weight: 1 });
const SPEC_CONTAINERS = ['app', 'side'];

/** A string that is sometimes one of the values that matter, sometimes anything. */
// Weighted towards the meaningful values, so that a good share of reports get past every check.
const text = (...meaningful: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...meaningful), weight: 12 },
    { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 1 },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
    { arbitrary: fc.constant('x'.repeat(5000)), weight: 1 },
  );
const time = fc.oneof(
  { arbitrary: fc.constantFrom('', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.123456789Z', '0001-01-01T00:00:00Z', '2026-01-01T01:00:00+01:00'), weight: 12 },
  { arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), weight: 2 },
  { arbitrary: fc.constantFrom('2026-13-45T99:00:00Z', 'yesterday', '1700000000', '2026-01-01 00:00:00'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 25 }), weight: 1 },
);
const int32 = fc.oneof({ arbitrary: fc.constantFrom(0, 1, 137), weight: 6 }, { arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), weight: 1 });

const containerStatus: fc.Arbitrary<ContainerStatus__Output> = fc.record({
  name: fc.oneof({ arbitrary: fc.constantFrom(...SPEC_CONTAINERS), weight: 8 }, { arbitrary: text('ghost'), weight: 1 }),
  container_id: text('abc', 'docker://abc'),
  image: text('busybox'),
  image_id: text(''),
  state: fc.oneof({ arbitrary: fc.constantFrom('waiting', 'running', 'terminated'), weight: 8 }, { arbitrary: text('melting'), weight: 1 }),
  reason: text('', 'Error', 'CrashLoopBackOff'),
  message: text(''),
  exit_code: int32,
  restart_count: int32,
  ready: fc.boolean(),
  started: fc.boolean(),
  started_at: time,
  finished_at: time,
  last_reason: text('', 'OOMKilled'),
  last_exit_code: int32,
  last_finished_at: time,
});

const report: fc.Arbitrary<PodStatusReport__Output> = fc.record({
  uid: text('u1'),
  namespace: text('default'),
  name: text('web'),
  phase: fc.oneof({ arbitrary: fc.constantFrom(...POD_PHASES), weight: 8 }, { arbitrary: text('Exploded', ''), weight: 1 }),
  reason: text(''),
  message: text(''),
  ready: fc.boolean(),
  pod_ip: text('', '10.244.1.5'),
  start_time: time,
  containers: fc.oneof({ arbitrary: fc.uniqueArray(containerStatus, { maxLength: 3, selector: (c) => c.name }), weight: 3 }, { arbitrary: fc.array(containerStatus, { maxLength: 3 }), weight: 1 }),
  observed_at: time,
  terminated: fc.boolean(),
  init_containers: fc.constant([]),
  initializing: fc.boolean(),
});

const event: fc.Arbitrary<PodEvent__Output> = fc.record({
  pod_uid: text('u1'),
  type: text('Normal', 'Warning', 'Fatal'),
  reason: text('Pulled', 'BackOff', 'has spaces', 'x'.repeat(64), 'x'.repeat(65)),
  message: text(''),
});

/** The pod the report names: unknown, or bound to some node (or none), with or without a status. */
const pod: fc.Arbitrary<Pod | undefined> = fc.option(
  fc.record({ nodeName: fc.option(node, { nil: undefined, freq: 8 }), withStatus: fc.boolean() }).map(({ nodeName, withStatus }): Pod => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1' },
    spec: { ...(nodeName === undefined ? {} : { nodeName }), containers: SPEC_CONTAINERS.map((name) => ({ name, image: 'busybox' })) },
    ...(withStatus ? { status: { phase: 'Running', startTime: '2025-12-31T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-12-31T00:00:01Z' }] } } : {}),
  })),
  { nil: undefined },
);

const boundTo = (p: Pod | undefined, node: string) => p !== undefined && node !== '' && p.spec.nodeName === node;
const isTime = (t: string | undefined) => t === undefined || Number.isFinite(Date.parse(t));

describe('fuzz: agent status reports and events', function () {
  this.timeout(20_000);

  it('a report is refused unless its pod is bound to the reporting node; what is accepted makes a sane pod status', () => {
    fc.assert(
      fc.property(report, pod, node, (r, p, reporter) => {
        const problem = reportProblem(r, p, reporter);
        if (problem !== undefined) {
          assert.ok(problem.length > 0 && problem.length < 500, `problem of ${problem.length} chars`);
          return;
        }
        assert.ok(boundTo(p, reporter), `accepted a report for a pod bound to ${p?.spec.nodeName} from ${reporter}`);
        const s = podStatusFromReport(r, p!, '10.0.0.1');
        assert.ok((POD_PHASES as readonly string[]).includes(s.phase!), `phase ${s.phase}`);
        assert.ok((s.reason ?? '').length <= 1024 && (s.message ?? '').length <= 1024);
        assert.ok(isTime(s.startTime), `startTime ${s.startTime}`);
        for (const c of s.conditions ?? []) assert.ok(isTime(c.lastTransitionTime), `lastTransitionTime ${c.lastTransitionTime}`);
        const names = (s.containerStatuses ?? []).map((c) => c.name);
        assert.equal(new Set(names).size, names.length, 'a container reported twice');
        for (const c of s.containerStatuses ?? []) {
          assert.ok(SPEC_CONTAINERS.includes(c.name), `container ${c.name} is not in the spec`);
          assert.ok(Number.isInteger(c.restartCount) && c.restartCount >= 0, `restartCount ${c.restartCount}`);
          const states = [c.state.waiting, c.state.running, c.state.terminated].filter((x) => x !== undefined);
          assert.equal(states.length, 1);
          for (const t of [c.state.running?.startedAt, c.state.terminated?.startedAt, c.state.terminated?.finishedAt, c.lastState?.terminated?.finishedAt]) assert.ok(isTime(t), `time ${t}`);
          for (const t of [c.state.waiting?.reason, c.state.waiting?.message, c.state.terminated?.reason, c.state.terminated?.message, c.lastState?.terminated?.reason]) {
            assert.ok((t ?? '').length <= 1024);
          }
        }
      }),
      { numRuns: 6000 },
    );
  });

  it('an event is refused unless its pod is bound to the reporting node, and accepted only with a known type and a short reason', () => {
    fc.assert(
      fc.property(event, pod, node, (e, p, reporter) => {
        const problem = eventProblem(e, p, reporter);
        if (problem !== undefined) {
          assert.ok(problem.length > 0 && problem.length < 500, `problem of ${problem.length} chars`);
          return;
        }
        assert.ok(boundTo(p, reporter));
        assert.ok(e.type === 'Normal' || e.type === 'Warning');
        assert.match(e.reason, /^[A-Za-z][A-Za-z0-9]{0,63}$/);
      }),
      { numRuns: 2000 },
    );
  });
});
