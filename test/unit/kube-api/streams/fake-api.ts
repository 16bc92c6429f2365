// An ApiService standing in for the real one in stream tests: exec, logs and portForward are
// whatever the test gives (async generators, usually), and each call is recorded.
import type { ApiService } from '../../../../controller/api/service';
import type { ExecInput, ExecOutput, ExecStart, LogChunk, LogsQuery, PortForwardInput, PortForwardStart } from '../../../../controller/api/pod-streams';
import type { Identity } from '../../../../common/pki/identity';

export interface FakeStreams {
  exec?: (start: ExecStart, input: AsyncIterable<ExecInput>, signal: AbortSignal) => AsyncIterable<ExecOutput>;
  logs?: (q: LogsQuery, signal: AbortSignal) => AsyncIterable<LogChunk>;
  portForward?: (start: PortForwardStart, input: AsyncIterable<PortForwardInput>, signal: AbortSignal) => AsyncIterable<Buffer>;
  /** Called first on every call, as the real service's authorizer is: throw to refuse. */
  authorize?: (caller: Identity, verb: string) => void;
}

export interface FakeApi {
  api: ApiService;
  /** Streams actually started (iterated): an authorization-only call that is never iterated is not one. */
  calls: { verb: string; caller: Identity; start: unknown }[];
}

export function fakeApi(streams: FakeStreams): FakeApi {
  const calls: FakeApi['calls'] = [];
  const missing = (verb: string) => () => {
    throw new Error(`the test gave no ${verb}`);
  };
  /** Like the real service: authorize when called, do the work only when iterated. */
  function started<T>(verb: string, caller: Identity, start: unknown, make: () => AsyncIterable<T>): AsyncIterable<T> {
    streams.authorize?.(caller, verb);
    return {
      [Symbol.asyncIterator]: () => {
        calls.push({ verb, caller, start });
        return make()[Symbol.asyncIterator]();
      },
    };
  }
  const api = {
    exec: (caller: Identity, start: ExecStart, input: AsyncIterable<ExecInput>, signal: AbortSignal) =>
      started('exec', caller, start, () => (streams.exec ?? missing('exec'))(start, input, signal)),
    logs: (caller: Identity, q: LogsQuery, signal: AbortSignal) => started('logs', caller, q, () => (streams.logs ?? missing('logs'))(q, signal)),
    portForward: (caller: Identity, start: PortForwardStart, input: AsyncIterable<PortForwardInput>, signal: AbortSignal) =>
      started('portforward', caller, start, () => (streams.portForward ?? missing('portForward'))(start, input, signal)),
  };
  return { api: api as unknown as ApiService, calls };
}

/** An echo "pod port": yields back every data chunk, upper-cased when asked, and ends after the client's closeWrite. */
export function echoPort(transform: (b: Buffer) => Buffer = (b) => b) {
  return async function* (_start: PortForwardStart, input: AsyncIterable<PortForwardInput>): AsyncIterable<Buffer> {
    for await (const m of input) {
      if ('data' in m) yield transform(m.data);
      else break;
    }
  };
}
