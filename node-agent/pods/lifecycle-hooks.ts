// Container lifecycle hooks (postStart, preStop) as the kubelet runs them: exec in the container,
// an HTTP GET to the pod, or a sleep; tcpSocket is accepted and does nothing (deprecated in
// Kubernetes, where it never ran). A hook gets a deadline and never throws.
import type { Container, LifecycleHandler } from '../../common/api/types';
import type { Clock } from '../../common/clock';
import { probeCheck, type ProbeOutcome, type ProbeTarget } from './probes';

export type HookKind = 'postStart' | 'preStop';

/** Runs `handler` for `container`, settling within `timeoutMs`. */
export async function runHook(handler: LifecycleHandler, container: Container, target: ProbeTarget, clock: Clock, timeoutMs: number): Promise<ProbeOutcome> {
  if (handler.sleep) {
    const ms = Math.min(Math.max(0, handler.sleep.seconds) * 1000, timeoutMs);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    return { ok: true, message: '' };
  }
  if (handler.exec || handler.httpGet) {
    const check = probeCheck(handler.exec ? { exec: handler.exec } : { httpGet: handler.httpGet! }, container, target);
    try {
      return await check(Math.max(1, timeoutMs));
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }
  return { ok: true, message: '' };
}

/** The handler of `kind` for `container`, if it has one. */
export const hookOf = (container: Container, kind: HookKind): LifecycleHandler | undefined => container.lifecycle?.[kind];

/**
 * The kubelet gives the container at least this long to stop after a preStop hook that used up
 * (or overran) the grace period.
 */
export const MIN_GRACE_AFTER_PRESTOP_SECONDS = 2;
