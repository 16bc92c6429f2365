// The probes of one container instance (liveness, readiness, startup), wired to what they change:
// `started`/`ready` on the container, and a kill request when liveness or startup fails.
import type { Container } from '../../common/api/types';
import type { Clock } from '../../common/clock';
import type { Executor } from '../executor/types';
import { ProbeRunner, probeCheck, type ProbeKind, type ProbeTarget } from './probes';

/** The probe-related part of what a worker knows about a container. */
export interface ProbedContainer {
  spec: Container;
  id?: string;
  /** Id the probes were started for; probes run per container instance. */
  probesFor?: string;
  probes: ProbeRunner[];
  started: boolean;
  ready: boolean;
  /** A liveness (or startup) probe failed: the instance must be killed and restarted. */
  killRequested: boolean;
}

export interface ProbeHooks {
  executor: Executor;
  clock: Clock;
  /** Where network probes go (the pod IP). */
  podIP: () => string;
  /** False once results no longer matter (the worker stopped). */
  active: () => boolean;
  /** A probe verdict changed the container's started/ready state. */
  onChange: () => void;
  /** A liveness or startup probe failed: the worker should kill and restart the instance. */
  onKillRequested: (kind: 'liveness' | 'startup') => void;
  /** A probe's verdict turned to failure, with the kubelet-style reason (for an Unhealthy event). */
  onProbeFailed?: (kind: ProbeKind, message: string) => void;
}

/** Where probes and lifecycle hooks reach container instance `id`: the pod's IP, and exec in it. */
export function containerTarget(executor: Executor, id: string, podIP: () => string, clock: Clock): ProbeTarget {
  return {
    ip: () => podIP() || '127.0.0.1',
    exec: async (command: string[], timeoutMs: number) => {
      const h = await executor.exec(id, command, { tty: false, stdin: false });
      h.stdout.resume();
      h.stderr.resume();
      h.stdin.end();
      return await withTimeout(h.exitCode(), timeoutMs, clock);
    },
  };
}

/** Starts the probes of the container's current instance, unless they already run for it. */
export function startProbes(r: ProbedContainer, hooks: ProbeHooks): void {
  if (!r.id || r.probesFor === r.id) return;
  stopProbes(r);
  r.probesFor = r.id;
  const id = r.id;
  const s = r.spec;
  const target = containerTarget(hooks.executor, id, hooks.podIP, hooks.clock);
  r.started = !s.startupProbe;
  r.ready = r.started && !s.readinessProbe;
  const mk = (kind: ProbeKind, probe: NonNullable<Container['livenessProbe']>, on: (ok: boolean) => void) =>
    new ProbeRunner(kind, probe, probeCheck(probe, s, target), hooks.clock, (ok, message) => {
      if (r.probesFor !== id || !hooks.active()) return;
      if (!ok) hooks.onProbeFailed?.(kind, message);
      on(ok);
      hooks.onChange();
    });
  const gated: ProbeRunner[] = [];
  if (s.livenessProbe) {
    gated.push(
      mk('liveness', s.livenessProbe, (ok) => {
        if (ok) return;
        r.killRequested = true;
        hooks.onKillRequested('liveness');
      }),
    );
  }
  if (s.readinessProbe) gated.push(mk('readiness', s.readinessProbe, (ok) => (r.ready = ok && r.started)));
  r.probes = [...gated];
  if (s.startupProbe) {
    // The startup probe gates the others: they begin once it has succeeded.
    const startup = mk('startup', s.startupProbe, (ok) => {
      if (!ok) {
        r.killRequested = true;
        hooks.onKillRequested('startup');
        return;
      }
      r.started = true;
      r.ready = !s.readinessProbe;
      for (const p of gated) p.start();
    });
    r.probes.push(startup);
    startup.start();
  } else {
    for (const p of gated) p.start();
  }
}

export function stopProbes(r: ProbedContainer): void {
  for (const p of r.probes) p.stop();
  r.probes = [];
  r.probesFor = undefined;
  r.ready = false;
  r.started = false;
}

function withTimeout<T>(p: Promise<T>, ms: number, clock: Clock): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = clock.setTimeout(() => reject(new Error(`timed out after ${ms}ms`)), ms);
    p.then(
      (v) => {
        clock.clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clock.clearTimeout(t);
        reject(e);
      },
    );
  });
}
