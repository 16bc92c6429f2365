// How a container instance ended, as the pod status reports it (exit code, reason, times).
import type { ContainerInfo } from '../executor/types';

export interface Termination {
  exitCode: number;
  reason: string;
  message: string;
  startedAt: string;
  finishedAt: string;
}

export const isoOf = (ms: number) => new Date(ms).toISOString();

/**
 * The end of an exited instance, or of one that never managed to start (created, with the
 * engine's start error): that counts as StartError with exit code 128 unless the engine gave one.
 */
export function terminationOf(info: ContainerInfo, now: number): Termination {
  const startError = info.state === 'created' && info.error !== '';
  return {
    exitCode: startError && info.exitCode === 0 ? 128 : info.exitCode,
    reason: startError ? 'StartError' : info.oomKilled ? 'OOMKilled' : info.exitCode === 0 ? 'Completed' : 'Error',
    message: info.error,
    startedAt: info.startedAt,
    finishedAt: info.finishedAt || (startError ? isoOf(now) : ''),
  };
}

/**
 * A container of a deleted pod that never ran (or whose instance could not be seen): reported
 * terminated the way the kubelet reports it, so no container of a terminated pod is left waiting.
 */
export function unknownTermination(now: number): Termination {
  return {
    exitCode: 137,
    reason: 'ContainerStatusUnknown',
    message: 'The container could not be located when the pod was terminated',
    startedAt: '',
    finishedAt: isoOf(now),
  };
}

/** How long the instance ran, from its own timestamps (0 when it never started). */
export function ranMs(t: Termination): number {
  return t.startedAt && t.finishedAt ? Date.parse(t.finishedAt) - Date.parse(t.startedAt) : 0;
}
