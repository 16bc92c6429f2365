// Waiting for a pod the CLI just created to run (kite run -i), with a clear error when it cannot.
import type { Pod } from '../../common/api/types';
import type { KiteClient } from '../../common/client';
import { systemClock, type Clock } from '../../common/clock';
import { invalid, isKiteError, unavailable } from '../../common/errors';

/** Why a pod will not run (a failed phase, or a container waiting on a reason that does not pass by itself). */
export function podStartFailure(pod: Pod): string | undefined {
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return `pod ${pod.metadata.name} ended (${pod.status.phase}) before it could be attached to`;
  for (const c of pod.status?.containerStatuses ?? []) {
    const reason = c.state?.waiting?.reason;
    if (reason && ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerError', 'CreateContainerConfigError'].includes(reason)) {
      return `pod ${pod.metadata.name}: container ${c.name} cannot start: ${reason}${c.state?.waiting?.message ? ` (${c.state.waiting.message})` : ''}`;
    }
  }
  return undefined;
}

export async function waitForRunningPod(client: KiteClient, name: string, namespace: string, timeoutMs: number, clock: Clock = systemClock): Promise<Pod> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const pod = await client.get<Pod>('Pod', name, namespace).catch((e: unknown) => {
      if (isKiteError(e, 'NotFound')) return undefined;
      throw e;
    });
    if (pod?.status?.phase === 'Running') return pod;
    const failure = pod && podStartFailure(pod);
    if (failure) throw invalid(failure);
    if (clock.now() >= deadline) throw unavailable(`timed out waiting for pod ${name} to run (status ${pod?.status?.phase ?? 'unknown'})`);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 250));
  }
}
