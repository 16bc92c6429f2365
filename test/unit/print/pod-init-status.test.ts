// kubectl's printPod for pods with init containers and sidecars (READY / STATUS / RESTARTS), and
// describe's Init Containers section.
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod } from '../../../common/api/types';
import { summarizePod } from '../../../common/print/pod-status';
import { printDescribe } from '../../../cli/print/describe';
import { ago, meta, min, NOW } from './fixtures';

const waiting = (name: string, reason: string, restartCount = 0): ContainerStatus => ({ name, image: 'busybox', ready: false, restartCount, state: { waiting: { reason } } });
const runningStatus = (name: string, ready = false, started = true): ContainerStatus => ({ name, image: 'busybox', ready, started, restartCount: 0, state: { running: { startedAt: ago(min) } } });
const terminated = (name: string, exitCode: number, reason?: string): ContainerStatus => ({ name, image: 'busybox', ready: exitCode === 0, restartCount: 0, state: { terminated: { exitCode, reason } } });

function pod(inits: { name: string; restartPolicy?: 'Always' }[], status: NonNullable<Pod['status']>, apps = ['app']): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('web'),
    spec: { initContainers: inits.map((c) => ({ image: 'busybox', ...c })), containers: apps.map((name) => ({ name, image: 'busybox' })) },
    status,
  };
}

const initialized = (ok: boolean) => [{ type: 'Initialized', status: ok ? ('True' as const) : ('False' as const) }];
const two = [{ name: 'one' }, { name: 'two' }];

describe('summarizePod with init containers (kubectl printPod)', () => {
  const rows: { name: string; pod: Pod; ready: string; status: string; restarts?: string }[] = [
    {
      name: 'Init:0/2 while the first init container runs',
      pod: pod(two, { phase: 'Pending', conditions: initialized(false), initContainerStatuses: [runningStatus('one'), waiting('two', 'PodInitializing')], containerStatuses: [waiting('app', 'PodInitializing')] }),
      ready: '0/1',
      status: 'Init:0/2',
    },
    {
      name: 'Init:1/2 once the first completed',
      pod: pod(two, { phase: 'Pending', conditions: initialized(false), initContainerStatuses: [terminated('one', 0, 'Completed'), runningStatus('two')], containerStatuses: [waiting('app', 'PodInitializing')] }),
      ready: '0/1',
      status: 'Init:1/2',
    },
    {
      name: 'Init:Error when an init container failed',
      pod: pod(two, { phase: 'Pending', conditions: initialized(false), initContainerStatuses: [terminated('one', 1, 'Error'), waiting('two', 'PodInitializing')], containerStatuses: [waiting('app', 'PodInitializing')] }),
      ready: '0/1',
      status: 'Init:Error',
    },
    {
      name: 'Init:CrashLoopBackOff (restarts counted) while it backs off',
      pod: pod(two, { phase: 'Pending', conditions: initialized(false), initContainerStatuses: [waiting('one', 'CrashLoopBackOff', 3), waiting('two', 'PodInitializing')], containerStatuses: [waiting('app', 'PodInitializing')] }),
      ready: '0/1',
      status: 'Init:CrashLoopBackOff',
      restarts: '3',
    },
    {
      name: 'Init:ImagePullBackOff when its image will not pull',
      pod: pod(two, { phase: 'Pending', conditions: initialized(false), initContainerStatuses: [waiting('one', 'ImagePullBackOff'), waiting('two', 'PodInitializing')], containerStatuses: [waiting('app', 'PodInitializing')] }),
      ready: '0/1',
      status: 'Init:ImagePullBackOff',
    },
    {
      name: 'PodInitializing once init is done and the app container is not running yet',
      pod: pod(two, { phase: 'Pending', conditions: initialized(true), initContainerStatuses: [terminated('one', 0, 'Completed'), terminated('two', 0, 'Completed')], containerStatuses: [waiting('app', 'PodInitializing')] }),
      ready: '0/1',
      status: 'PodInitializing',
    },
    {
      name: 'Running with a ready sidecar counted in READY',
      pod: pod([{ name: 'proxy', restartPolicy: 'Always' }, { name: 'one' }], {
        phase: 'Running',
        conditions: [...initialized(true), { type: 'Ready', status: 'True' }],
        initContainerStatuses: [runningStatus('proxy', true), terminated('one', 0, 'Completed')],
        containerStatuses: [runningStatus('app', true)],
      }),
      ready: '2/2',
      status: 'Running',
    },
    {
      name: 'a started sidecar lets Init:N/M count on to the next init container',
      pod: pod([{ name: 'proxy', restartPolicy: 'Always' }, { name: 'one' }], {
        phase: 'Pending',
        conditions: initialized(false),
        initContainerStatuses: [runningStatus('proxy', false), runningStatus('one')],
        containerStatuses: [waiting('app', 'PodInitializing')],
      }),
      ready: '0/2',
      status: 'Init:1/2',
    },
    {
      name: 'a completed Job pod whose sidecar was stopped is Completed',
      pod: pod([{ name: 'proxy', restartPolicy: 'Always' }], {
        phase: 'Succeeded',
        conditions: initialized(true),
        initContainerStatuses: [terminated('proxy', 143, 'Error')],
        containerStatuses: [terminated('app', 0, 'Completed')],
      }),
      ready: '0/2',
      status: 'Completed',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const s = summarizePod(row.pod, NOW);
      assert.deepEqual([s.ready, s.status], [row.ready, row.status]);
      if (row.restarts !== undefined) assert.equal(s.restarts, row.restarts);
    });
  }

  it('counts only sidecar restarts beside the app containers once initialized', () => {
    const p = pod([{ name: 'proxy', restartPolicy: 'Always' }, { name: 'one' }], {
      phase: 'Running',
      conditions: initialized(true),
      initContainerStatuses: [{ ...runningStatus('proxy', true), restartCount: 2 }, { ...terminated('one', 0, 'Completed'), restartCount: 5 }],
      containerStatuses: [{ ...runningStatus('app', true), restartCount: 1 }],
    });
    assert.equal(summarizePod(p, NOW).restarts, '3');
  });
});

describe('describe pod with init containers', () => {
  it('lists Init Containers before Containers, with their state', () => {
    const p = pod(two, { phase: 'Pending', conditions: initialized(false), initContainerStatuses: [terminated('one', 0, 'Completed'), runningStatus('two')], containerStatuses: [waiting('app', 'PodInitializing')] });
    const out = printDescribe(p, { events: [], now: NOW, utcOffsetMinutes: 0 });
    const init = out.indexOf('Init Containers:');
    const apps = out.indexOf('\nContainers:');
    assert.ok(init > 0 && apps > init, out);
    const section = out.slice(init, apps);
    assert.match(section, /one:[\s\S]*State:\s+Terminated[\s\S]*Reason:\s+Completed/);
    assert.match(section, /two:[\s\S]*State:\s+Running/);
    assert.match(out, /Initialized\s+False/);
  });
});
