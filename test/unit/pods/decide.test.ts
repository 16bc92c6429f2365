// decide(): what a pod worker does next, from what it knows. Table-driven: each row is a view of
// the pod and the actions and container states expected.
import assert from 'node:assert/strict';
import type { ContainerInfo } from '../../../node-agent/executor/types';
import { decide, type ContainerState, type ContainerView, type Observed, type PodAction, type PodView } from '../../../node-agent/pods/decide';

const NOW = Date.UTC(2026, 0, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();

function info(state: ContainerInfo['state'], extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return { id: 'c1', name: 'n', image: 'img', imageId: 'sha', labels: {}, state, exitCode: 0, oomKilled: false, error: '', startedAt: '', finishedAt: '', ip: '', ...extra };
}

/** An instance that ran for `ranMs` until NOW and exited with `code`. */
const exited = (code: number, ranMs = 1000, extra: Partial<ContainerInfo> = {}) =>
  ({ kind: 'present', info: info('exited', { exitCode: code, startedAt: iso(NOW - ranMs), finishedAt: iso(NOW), ...extra }) }) as const;
const running = { kind: 'present', info: info('running', { startedAt: iso(NOW - 5000) }) } as const;

function container(name: string, over: Partial<ContainerView> = {}): ContainerView {
  return {
    name,
    observed: { kind: 'none' },
    imageReady: true,
    restartBackoff: { lastAt: 0, windowMs: 0 },
    createBackoff: { lastAt: 0, windowMs: 0 },
    killRequested: false,
    blocked: false,
    startTried: false,
    ...over,
  };
}

function pod(containers: ContainerView[], over: Partial<PodView> = {}): PodView {
  return { restartPolicy: 'Always', graceSeconds: 30, deleting: false, removed: false, containers, backoffResetAfterMs: 60_000, now: NOW, ...over };
}

interface Row {
  name: string;
  view: PodView;
  /** Expected actions as `kind container` (terminations and times checked by `check`). */
  actions: string[];
  states: ContainerState[];
  terminated?: boolean;
  check?: (actions: PodAction[]) => void;
}

const show = (a: PodAction) => ('container' in a ? `${a.kind} ${a.container}` : a.kind);

function runTable(rows: Row[]): void {
  for (const row of rows) {
    it(row.name, () => {
      const d = decide(row.view);
      assert.deepEqual(d.actions.map(show), row.actions);
      assert.deepEqual(d.states, row.states);
      assert.equal(d.terminated, row.terminated ?? false);
      row.check?.(d.actions);
    });
  }
}

const termOf = (a: PodAction | undefined) => (a && 'termination' in a ? a.termination : undefined);

describe('decide (pure pod decisions)', () => {
  describe('restart policies', () => {
    runTable([
      { name: 'Always restarts a container that exited 0', view: pod([container('main', { observed: exited(0) })]), actions: ['restart main'], states: ['waiting'] },
      { name: 'Always restarts a container that failed', view: pod([container('main', { observed: exited(1) })]), actions: ['restart main'], states: ['waiting'] },
      {
        name: 'OnFailure finishes a container that exited 0, as Completed',
        view: pod([container('main', { observed: exited(0) })], { restartPolicy: 'OnFailure' }),
        actions: ['finish main'],
        states: ['terminated'],
        check: (as) => assert.equal(termOf(as[0])?.reason, 'Completed'),
      },
      { name: 'OnFailure restarts a container that failed', view: pod([container('main', { observed: exited(2) })], { restartPolicy: 'OnFailure' }), actions: ['restart main'], states: ['waiting'] },
      {
        name: 'Never finishes a failed container with its exit code',
        view: pod([container('main', { observed: exited(3) })], { restartPolicy: 'Never' }),
        actions: ['finish main'],
        states: ['terminated'],
        check: (as) => assert.deepEqual([termOf(as[0])?.exitCode, termOf(as[0])?.reason], [3, 'Error']),
      },
      {
        name: 'an OOM kill is reported as OOMKilled',
        view: pod([container('main', { observed: exited(137, 1000, { oomKilled: true }) })], { restartPolicy: 'Never' }),
        actions: ['finish main'],
        states: ['terminated'],
        check: (as) => assert.equal(termOf(as[0])?.reason, 'OOMKilled'),
      },
      {
        name: 'a container done for good is left alone',
        view: pod([container('main', { final: { exitCode: 0, reason: 'Completed', message: '', startedAt: '', finishedAt: '' }, observed: exited(0) })]),
        actions: [],
        states: ['terminated'],
      },
    ]);
  });

  describe('crash-loop back-off', () => {
    runTable([
      {
        name: 'back-off not yet elapsed: wait until it is (CrashLoopBackOff)',
        view: pod([container('main', { observed: exited(1), restartBackoff: { lastAt: NOW - 500, windowMs: 2000 } })]),
        actions: ['crashBackoff main'],
        states: ['backoff'],
        check: (as) => assert.equal((as[0] as Extract<PodAction, { kind: 'crashBackoff' }>).retryAt, NOW + 1500),
      },
      {
        name: 'back-off elapsed: restart now',
        view: pod([container('main', { observed: exited(1), restartBackoff: { lastAt: NOW - 2500, windowMs: 2000 } })]),
        actions: ['restart main'],
        states: ['waiting'],
      },
      {
        name: 'a run longer than the reset time forgets the back-off',
        view: pod([container('main', { observed: exited(1, 120_000), restartBackoff: { lastAt: NOW - 500, windowMs: 2000 } })]),
        actions: ['restart main'],
        states: ['waiting'],
      },
      {
        name: 'a container that failed to start backs off with a StartError termination (exit 128)',
        view: pod([container('main', { observed: { kind: 'present', info: info('created', { error: 'exec: "x": not found' }) }, restartBackoff: { lastAt: NOW, windowMs: 1000 } })]),
        actions: ['crashBackoff main'],
        states: ['backoff'],
        check: (as) => assert.deepEqual([termOf(as[0])?.reason, termOf(as[0])?.exitCode], ['StartError', 128]),
      },
    ]);
  });

  describe('running containers and probes', () => {
    runTable([
      { name: 'a running container is watched (its probes run)', view: pod([container('main', { observed: running })]), actions: ['watch main'], states: ['running'] },
      {
        name: 'a failing liveness probe kills the instance with the pod grace',
        view: pod([container('main', { observed: running, killRequested: true })], { graceSeconds: 7 }),
        actions: ['kill main'],
        states: ['killing'],
        check: (as) => assert.deepEqual(as[0], { kind: 'kill', container: 'main', graceSeconds: 7, cause: 'liveness' }),
      },
      { name: 'a created instance is started', view: pod([container('main', { observed: { kind: 'present', info: info('created') } })]), actions: ['start main'], states: ['starting'] },
      {
        name: 'a created instance already started in this pass is not started twice',
        view: pod([container('main', { observed: { kind: 'present', info: info('created') }, startTried: true })]),
        actions: [],
        states: ['starting'],
      },
      { name: 'an instance removed behind our back is replaced', view: pod([container('main', { observed: { kind: 'gone' } })]), actions: ['replaceVanished main'], states: ['waiting'] },
      { name: 'a container with no instance is created', view: pod([container('main')]), actions: ['create main'], states: ['creating'] },
      { name: 'a container blocked in this pass gets no action', view: pod([container('main', { blocked: true })]), actions: [], states: ['creating'] },
      {
        name: 'a failed create waits out its back-off (CreateContainerError)',
        view: pod([container('main', { waitingReason: 'CreateContainerError', createBackoff: { lastAt: NOW - 100, windowMs: 1000 } })]),
        actions: ['createBackoff main'],
        states: ['waiting'],
      },
    ]);
  });

  describe('images', () => {
    runTable([
      { name: 'a missing image is pulled first', view: pod([container('main', { imageReady: false })]), actions: ['pull main'], states: ['pulling'] },
      {
        name: 'the first image blocks every other container (the sandbox is made from it)',
        view: pod([container('a', { imageReady: false }), container('b')]),
        actions: ['pull a'],
        states: ['pulling', 'waiting'],
      },
      {
        name: 'ErrImagePull within its back-off: wait (ImagePullBackOff)',
        view: pod([container('main', { imageReady: false, waitingReason: 'ErrImagePull', createBackoff: { lastAt: NOW - 100, windowMs: 1000 } })]),
        actions: ['pullBackoff main'],
        states: ['waiting'],
        check: (as) => assert.equal((as[0] as Extract<PodAction, { kind: 'pullBackoff' }>).retryAt, NOW + 900),
      },
      {
        name: 'ErrImageNeverPull within its back-off: wait',
        view: pod([container('main', { imageReady: false, waitingReason: 'ErrImageNeverPull', createBackoff: { lastAt: NOW - 100, windowMs: 1000 } })]),
        actions: ['pullBackoff main'],
        states: ['waiting'],
      },
      {
        name: 'pull back-off elapsed: pull again',
        view: pod([container('main', { imageReady: false, waitingReason: 'ImagePullBackOff', createBackoff: { lastAt: NOW - 1000, windowMs: 1000 } })]),
        actions: ['pull main'],
        states: ['pulling'],
      },
    ]);
  });

  describe('the sandbox', () => {
    const sandbox = (observed: Observed, over: { blocked?: boolean } = {}) => ({ observed, blocked: false, handled: false, ...over });
    runTable([
      {
        name: 'no sandbox yet: create it before any container',
        view: pod([container('a'), container('b')], { sandbox: sandbox({ kind: 'none' }) }),
        actions: ['createSandbox'],
        states: ['waiting', 'waiting'],
      },
      {
        name: 'sandbox lost (removed): create a new one',
        view: pod([container('a', { observed: running }), container('b', { observed: running })], { sandbox: sandbox({ kind: 'gone' }) }),
        actions: ['createSandbox'],
        states: ['waiting', 'waiting'],
      },
      {
        name: 'sandbox stopped: start it again and kill the containers left in the old network',
        view: pod([container('a', { observed: running }), container('b', { observed: exited(1) })], {
          sandbox: sandbox({ kind: 'present', info: info('exited') }),
          graceSeconds: 5,
        }),
        actions: ['restartSandbox', 'kill a'],
        states: ['waiting', 'waiting'],
        check: (as) => assert.deepEqual(as[1], { kind: 'kill', container: 'a', graceSeconds: 5, cause: 'sandbox' }),
      },
      {
        name: 'sandbox failed in this pass: nothing else happens',
        view: pod([container('a'), container('b')], { sandbox: sandbox({ kind: 'none' }, { blocked: true }) }),
        actions: [],
        states: ['waiting', 'waiting'],
      },
      {
        name: 'sandbox running: the containers proceed',
        view: pod([container('a', { observed: running }), container('b')], { sandbox: sandbox({ kind: 'present', info: info('running') }) }),
        actions: ['watch a', 'create b'],
        states: ['running', 'creating'],
      },
    ]);
  });

  describe('a deleting pod', () => {
    runTable([
      {
        name: 'running containers are killed with the deletion grace, none restarted',
        view: pod([container('a', { observed: running }), container('b', { observed: exited(1) })], { deleting: true, graceSeconds: 3 }),
        actions: ['kill a'],
        states: ['killing', 'terminated'],
        check: (as) => assert.deepEqual(as[0], { kind: 'kill', container: 'a', graceSeconds: 3, cause: 'deletion' }),
      },
      {
        name: 'a failing liveness probe does not restart anything',
        view: pod([container('a', { observed: running, killRequested: true })], { deleting: true }),
        actions: ['kill a'],
        states: ['killing'],
        check: (as) => assert.equal((as[0] as Extract<PodAction, { kind: 'kill' }>).cause, 'deletion'),
      },
      {
        name: 'nothing running: remove the pod',
        view: pod([container('a', { observed: exited(143) }), container('b', { imageReady: false })], { deleting: true }),
        actions: ['removePod'],
        states: ['terminated', 'terminated'],
      },
      {
        name: 'a crash-looping container is not restarted: remove the pod',
        view: pod([container('a', { observed: exited(1), restartBackoff: { lastAt: NOW - 5000, windowMs: 1000 } })], { deleting: true }),
        actions: ['removePod'],
        states: ['terminated'],
      },
      {
        name: 'nothing pulled or created, even with a missing image',
        view: pod([container('a', { imageReady: false })], { deleting: true, sandbox: { observed: { kind: 'none' }, blocked: false, handled: false } }),
        actions: ['removePod'],
        states: ['terminated'],
      },
      {
        name: 'a container that outlived its kill in this pass waits for the next pass',
        view: pod([container('a', { observed: running, blocked: true })], { deleting: true }),
        actions: [],
        states: ['killing'],
      },
      { name: 'removed: done, the pod is terminated', view: pod([container('a')], { deleting: true, removed: true }), actions: [], states: ['terminated'], terminated: true },
    ]);
  });
});
