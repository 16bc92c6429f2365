// GET pods/NAME/log: the container's output as text/plain, streamed as it comes; with follow it
// ends when the container stops or the client goes away.
import type { ApiService } from '../api/service';
import { badRequest } from './status';
import type { RequestInfo } from './resources';
import { firstOrFailure } from './stream-start';

export async function streamLogs(api: ApiService, r: RequestInfo, pod: string): Promise<void> {
  const q = r.query;
  const tail = q.get('tailLines');
  if (tail !== null && !/^\d+$/.test(tail)) throw badRequest('tailLines: must be a non-negative integer');
  const abort = new AbortController();
  r.res.on('close', () => abort.abort());
  const chunks = api.logs(
    r.caller,
    {
      namespace: r.target.namespace,
      pod,
      container: q.get('container') ?? undefined,
      follow: bool(q.get('follow')),
      tailLines: tail === null ? -1 : Number(tail),
      timestamps: bool(q.get('timestamps')),
      previous: bool(q.get('previous')),
    },
    abort.signal,
  );
  const stream = await firstOrFailure(chunks);
  r.res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' });
  r.res.flushHeaders();
  try {
    for await (const c of stream as AsyncIterable<{ data: Buffer }>) {
      if (abort.signal.aborted) break;
      if (!r.res.write(c.data)) await new Promise<void>((resolve) => {
        r.res.once('drain', resolve);
        abort.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  } catch {
    // The stream broke after it started (the agent went away): end the response; kubectl prints what came.
  }
  r.res.end();
}

function bool(v: string | null): boolean {
  return v === 'true' || v === '1';
}
