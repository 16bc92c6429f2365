// decide() for init containers and native sidecars: order, failure per restart policy, sidecar
// lifecycle, no re-run once done, and deletion order. Table-driven like decide.test.ts.
import assert from 'node:assert/strict';
import type { ContainerInfo } from '../../../node-agent/executor/types';
import { decide, type ContainerState, type ContainerView, type PodAction, type PodView } from '../../../node-agent/pods/decide';
import type { Termination } from '../../../node-agent/pods/termination';

const NOW = Date.UTC(2026, 0, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();

function info(state: ContainerInfo['state'], extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return { id: 'c1', name: 'n', image: 'img', imageId: 'sha', labels: {}, state, exitCode: 0, oomKilled: false, error: '', startedAt: '', finishedAt: '', ip: '', ...extra };
}

const exited = (code: number, ranMs = 1000) => ({ kind: 'present', info: info('exited', { exitCode: code, startedAt: iso(NOW - ranMs), finishedAt: iso(NOW) }) }) as const;
const running = { kind: 'present', info: info('running', { startedAt: iso(NOW - 5000) }) } as const;
const done = (exitCode: number): Termination => ({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', message: '', startedAt: iso(NOW - 2000), finishedAt: iso(NOW - 1000) });

function c(name: string, role: ContainerView['role'], over: Partial<ContainerView> = {}): ContainerView {
  return {
    name,
    role,
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
const init = (name: string, over: Partial<ContainerView> = {}) => c(name, 'init', over);
const sidecar = (name: string, over: Partial<ContainerView> = {}) => c(name, 'sidecar', over);
const app = (name: string, over: Partial<ContainerView> = {}) => c(name, 'app', over);

function pod(containers: ContainerView[], over: Partial<PodView> = {}): PodView {
  return { restartPolicy: 'Always', graceSeconds: 30, deleting: false, removed: false, containers, backoffResetAfterMs: 60_000, now: NOW, ...over };
}

interface Row {
  name: string;
  view: PodView;
  actions: string[];
  states: ContainerState[];
  initialized: boolean;
  check?: (actions: PodAction[]) => void;
}

const show = (a: PodAction) => ('container' in a ? `${a.kind} ${a.container}` : a.kind);

function runTable(rows: Row[]): void {
  for (const row of rows) {
    it(row.name, () => {
      const d = decide(row.view);
      assert.deepEqual(d.actions.map(show), row.actions);
      assert.deepEqual(d.states, row.states);
      assert.equal(d.initialized, row.initialized);
      row.check?.(d.actions);
    });
  }
}

describe('decide: init containers and sidecars', () => {
  describe('order', () => {
    runTable([
      {
        name: 'creates only the first init container; the rest and the app wait',
        view: pod([init('one'), init('two'), app('main')]),
        actions: ['create one'],
        states: ['creating', 'waiting', 'waiting'],
        initialized: false,
      },
      {
        name: 'a running init container holds the next one and the app',
        view: pod([init('one', { observed: running }), init('two'), app('main')]),
        actions: ['watch one'],
        states: ['running', 'waiting', 'waiting'],
        initialized: false,
      },
      {
        name: 'an init container that exited 0 finishes (Completed) even under restartPolicy Always',
        view: pod([init('one', { observed: exited(0) }), init('two'), app('main')]),
        actions: ['finish one'],
        states: ['terminated', 'waiting', 'waiting'],
        initialized: false,
        check: (as) => assert.equal(as[0]?.kind === 'finish' ? as[0].termination.reason : '', 'Completed'),
      },
      {
        name: 'a completed init container lets the next one start',
        view: pod([init('one', { final: done(0) }), init('two'), app('main')]),
        actions: ['create two'],
        states: ['terminated', 'creating', 'waiting'],
        initialized: false,
      },
      {
        name: 'the app containers start once every init container completed',
        view: pod([init('one', { final: done(0) }), init('two', { final: done(0) }), app('main'), app('side')]),
        actions: ['create main', 'create side'],
        states: ['terminated', 'terminated', 'creating', 'creating'],
        initialized: true,
      },
      {
        name: 'completed init containers are not run again when an app container restarts',
        view: pod([init('one', { final: done(0) }), app('main', { observed: exited(1) })]),
        actions: ['restart main'],
        states: ['terminated', 'waiting'],
        initialized: true,
      },
      {
        name: 'the next init container image is pulled only when its turn comes',
        view: pod([init('one', { final: done(0) }), init('two', { imageReady: false }), app('main', { imageReady: false })]),
        actions: ['pull two'],
        states: ['terminated', 'pulling', 'waiting'],
        initialized: false,
      },
    ]);
  });

  describe('a failing init container', () => {
    runTable([
      {
        name: 'restarts under restartPolicy Always (back-off elapsed); the app waits',
        view: pod([init('one', { observed: exited(1) }), app('main')]),
        actions: ['restart one'],
        states: ['waiting', 'waiting'],
        initialized: false,
      },
      {
        name: 'waits out its crash back-off under OnFailure',
        view: pod([init('one', { observed: exited(1), restartBackoff: { lastAt: NOW - 1000, windowMs: 10_000 } }), app('main')], { restartPolicy: 'OnFailure' }),
        actions: ['crashBackoff one'],
        states: ['backoff', 'waiting'],
        initialized: false,
      },
      {
        name: 'finishes for good under Never',
        view: pod([init('one', { observed: exited(2) }), app('main')], { restartPolicy: 'Never' }),
        actions: ['finish one'],
        states: ['terminated', 'waiting'],
        initialized: false,
        check: (as) => assert.equal(as[0]?.kind === 'finish' ? as[0].termination.exitCode : -1, 2),
      },
      {
        name: 'under Never, once failed: nothing else starts and running sidecars stop, the last first',
        view: pod([sidecar('log', { observed: running, hasStarted: true }), sidecar('proxy', { observed: running, hasStarted: true }), init('one', { final: done(2) }), init('two'), app('main')], {
          restartPolicy: 'Never',
        }),
        actions: ['watch log', 'kill proxy'],
        states: ['running', 'killing', 'terminated', 'waiting', 'waiting'],
        initialized: false,
        check: (as) => assert.equal(as[1]?.kind === 'kill' ? as[1].cause : '', 'podDone'),
      },
    ]);
  });

  describe('sidecars', () => {
    runTable([
      {
        name: 'a sidecar is created in its order',
        view: pod([sidecar('proxy'), init('one'), app('main')]),
        actions: ['create proxy'],
        states: ['creating', 'waiting', 'waiting'],
        initialized: false,
      },
      {
        name: 'a running sidecar whose startup probe has not passed holds the next init container',
        view: pod([sidecar('proxy', { observed: running, hasStarted: false }), init('one'), app('main')]),
        actions: ['watch proxy'],
        states: ['running', 'waiting', 'waiting'],
        initialized: false,
      },
      {
        name: 'a started sidecar lets the next init container go and keeps running',
        view: pod([sidecar('proxy', { observed: running, hasStarted: true }), init('one'), app('main')]),
        actions: ['watch proxy', 'create one'],
        states: ['running', 'creating', 'waiting'],
        initialized: false,
      },
      {
        name: 'sidecars run beside the app containers once initialized',
        view: pod([sidecar('proxy', { observed: running, hasStarted: true }), app('main')]),
        actions: ['watch proxy', 'create main'],
        states: ['running', 'creating'],
        initialized: true,
      },
      {
        name: 'a sidecar that exited 0 is restarted even under restartPolicy Never',
        view: pod([sidecar('proxy', { observed: exited(0), hasStarted: true }), app('main', { observed: running })], { restartPolicy: 'Never' }),
        actions: ['restart proxy', 'watch main'],
        states: ['waiting', 'running'],
        initialized: true,
      },
      {
        name: 'a crash-looping sidecar that started once holds nothing up',
        view: pod([sidecar('proxy', { observed: exited(1), hasStarted: true, restartBackoff: { lastAt: NOW - 1000, windowMs: 10_000 } }), init('one')]),
        actions: ['crashBackoff proxy', 'create one'],
        states: ['backoff', 'creating'],
        initialized: false,
      },
      {
        name: 'a job pod completes when its app containers finish: the running sidecar is stopped',
        view: pod([sidecar('proxy', { observed: running, hasStarted: true }), app('main', { final: done(0) })], { restartPolicy: 'Never' }),
        actions: ['kill proxy'],
        states: ['killing', 'terminated'],
        initialized: true,
        check: (as) => assert.deepEqual(as[0], { kind: 'kill', container: 'proxy', graceSeconds: 30, cause: 'podDone' }),
      },
      {
        name: 'the stopped sidecar of a completed pod finishes instead of restarting',
        view: pod([sidecar('proxy', { observed: exited(143), hasStarted: true }), app('main', { final: done(0) })], { restartPolicy: 'OnFailure' }),
        actions: ['finish proxy'],
        states: ['terminated', 'terminated'],
        initialized: true,
      },
      {
        name: 'with restartPolicy Always the app never completes: sidecars keep running',
        view: pod([sidecar('proxy', { observed: running, hasStarted: true }), app('main', { observed: exited(0) })]),
        actions: ['watch proxy', 'restart main'],
        states: ['running', 'waiting'],
        initialized: true,
      },
    ]);
  });

  describe('deletion', () => {
    runTable([
      {
        name: 'app and init containers stop first; sidecars keep running meanwhile',
        view: pod([sidecar('a', { observed: running, hasStarted: true }), sidecar('b', { observed: running, hasStarted: true }), app('main', { observed: running })], { deleting: true }),
        actions: ['kill main'],
        states: ['running', 'running', 'killing'],
        initialized: true,
      },
      {
        name: 'then the sidecars stop one at a time, the last first',
        view: pod([sidecar('a', { observed: running, hasStarted: true }), sidecar('b', { observed: running, hasStarted: true }), app('main', { observed: exited(143) })], { deleting: true }),
        actions: ['kill b'],
        states: ['running', 'killing', 'terminated'],
        initialized: true,
      },
      {
        name: 'then the first sidecar',
        view: pod([sidecar('a', { observed: running, hasStarted: true }), sidecar('b', { observed: exited(143), hasStarted: true }), app('main', { observed: exited(143) })], { deleting: true }),
        actions: ['kill a'],
        states: ['killing', 'terminated', 'terminated'],
        initialized: true,
      },
      {
        name: 'and with nothing running the pod is removed',
        view: pod([sidecar('a', { observed: exited(143), hasStarted: true }), app('main', { observed: exited(143) })], { deleting: true }),
        actions: ['removePod'],
        states: ['terminated', 'terminated'],
        initialized: true,
      },
    ]);
  });

  it('pulls the image of the first container still to run first (the sandbox is made from it)', () => {
    const d = decide(pod([init('one', { final: done(0) }), app('main', { imageReady: false })], { sandbox: { observed: { kind: 'none' }, blocked: false, handled: false } }));
    assert.deepEqual(d.actions.map(show), ['pull main']);
  });
});
