// One forwarded TCP connection, whatever carries it (SPDY streams or WebSocket channels): the
// client's bytes go to the pod's port through the API (and its agent), the pod's bytes come back.
import type { ApiService } from '../../api/service';
import type { PortForwardInput } from '../../api/pod-streams';
import type { Identity } from '../../../common/pki/identity';
import type { Logger } from '../../../common/log';
import { isKiteError } from '../../../common/errors';

export interface ForwardTarget {
  api: ApiService;
  caller: Identity;
  namespace: string;
  pod: string;
  log: Logger;
}

/** The size a PortForwardInput counts for in an input buffer. */
export function forwardInputSize(m: PortForwardInput): number {
  return 'data' in m ? m.data.length : 0;
}

/**
 * Relays one connection until the pod's side ends; `write` is awaited per chunk (backpressure).
 * Resolves with the error to tell the client (the kubelet's words), or undefined on a clean end or
 * when `signal` aborted it (the client went away). Never rejects.
 */
export async function forwardConnection(
  t: ForwardTarget,
  port: number,
  input: AsyncIterable<PortForwardInput>,
  signal: AbortSignal,
  write: (data: Buffer) => Promise<void>,
): Promise<string | undefined> {
  try {
    for await (const chunk of t.api.portForward(t.caller, { namespace: t.namespace, pod: t.pod, port }, input, signal)) {
      await write(chunk);
      if (signal.aborted) return undefined;
    }
    return undefined;
  } catch (e) {
    if (signal.aborted) return undefined;
    if (!isKiteError(e)) t.log.error({ err: e, port }, 'port-forward failed');
    else t.log.debug({ err: e.message, port }, 'port-forward failed');
    const why = isKiteError(e) ? e.message : 'an internal error occurred; the controller log has the details';
    return `error forwarding port ${port} to pod ${t.namespace}/${t.pod}: ${why}`;
  }
}

/** Nothing, ended: the input of a connection only opened to have the API authorize it. */
export const NO_INPUT: AsyncIterable<PortForwardInput> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ value: undefined, done: true }) }),
};

/**
 * Has the API authorize a port-forward to the pod before the upgrade, so a refused caller gets a
 * 403 instead of a connection whose every forward fails. ApiService.portForward checks the caller
 * when called and returns a stream that does nothing until iterated; this one never is. (Were
 * the check ever moved into the iteration, this would check nothing and each connection's own
 * call would still refuse.)
 */
export function authorizePortForward(t: Omit<ForwardTarget, 'log'>): void {
  t.api.portForward(t.caller, { namespace: t.namespace, pod: t.pod, port: 1 }, NO_INPUT, AbortSignal.abort());
}
