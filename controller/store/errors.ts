// etcd client failures become typed Kite errors: anything that means "etcd cannot be reached"
// is Unavailable, so the API answers UNAVAILABLE instead of INTERNAL while etcd is down.
import { KiteError, unavailable } from '../../common/errors';

const UNAVAILABLE_NAMES = new Set([
  'GRPCUnavailableError',
  'GRPCDeadlineExceededError',
  'GRPCCancelledError',
  'BrokenCircuitError',
  'GRPCConnectFailedError',
  'ClientRuntimeError',
  'IsolatedCircuitError',
  'TaskCancelledError',
]);

export function mapEtcdError(e: unknown): Error {
  if (e instanceof KiteError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  if (UNAVAILABLE_NAMES.has(err.constructor.name) || UNAVAILABLE_NAMES.has(err.name) || /ECONNREFUSED|No connection|UNAVAILABLE|Deadline/i.test(err.message)) {
    return unavailable(`etcd is unavailable: ${err.message}`);
  }
  return err;
}
