// `?watch=true`: a chunked stream of `{"type": ..., "object": ...}` lines, each flushed as it
// happens. Headers go out at once (kubectl's rollout status waits on them); a watch that cannot
// start (a compacted resourceVersion: 410 Expired; forbidden; a bad selector) is answered with a
// plain error status instead, and a failure after the start is an ERROR event.
import type { KindDefinition } from '../../common/kinds/kind';
import type { ApiService, ApiWatchEvent } from '../api/service';
import { badRequest, statusFromError } from './status';
import type { RequestInfo } from './resources';
import { parseIncludeObject, toTable, wantsTable } from './table';
import { firstOrFailure, type PendingStream } from './stream-start';

/** Longest a watch runs before the server ends it (clients re-watch), as the API server's default range. */
const MAX_WATCH_SECONDS = 1800;

export async function streamWatch(api: ApiService, r: RequestInfo, def: KindDefinition): Promise<void> {
  const q = r.query;
  const rv = q.get('resourceVersion') ?? '';
  if (rv !== '' && rv !== '0' && !/^\d+$/.test(rv)) throw badRequest(`resourceVersion ${JSON.stringify(rv)} is not a resource version from this server`);
  const timeoutText = q.get('timeoutSeconds');
  const timeout = timeoutText === null ? MAX_WATCH_SECONDS : Number(timeoutText);
  if (!Number.isFinite(timeout) || timeout < 0) throw badRequest('timeoutSeconds: must be a non-negative number');
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  const table = wantsTable(r.req.headers.accept ?? '');

  const abort = new AbortController();
  r.res.on('close', () => abort.abort());
  const timer = setTimeout(() => abort.abort(), Math.min(timeout, MAX_WATCH_SECONDS) * 1000);
  timer.unref();
  try {
    const ns = r.target.namespace;
    const events = api.watch(
      r.caller,
      def.kind,
      {
        namespace: ns,
        allNamespaces: def.namespaced && ns === undefined,
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
        // "0" is "any version": the current state first, as from none.
        resourceVersion: rv === '0' ? '' : rv,
      },
      abort.signal,
    );
    const stream = await firstOrFailure(events);
    r.res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    r.res.flushHeaders();
    await pump(stream, r, def, { bookmarks, table }, abort.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function pump(stream: PendingStream<ApiWatchEvent>, r: RequestInfo, def: KindDefinition, opts: { bookmarks: boolean; table: boolean }, signal: AbortSignal): Promise<void> {
  let first = true;
  const include = parseIncludeObject(r.query.get('includeObject')) ?? 'Metadata';
  try {
    for await (const ev of stream) {
      if (signal.aborted) break;
      let line: unknown;
      if (ev.type === 'BOOKMARK') {
        if (!opts.bookmarks) continue;
        line = { type: 'BOOKMARK', object: { kind: def.kind, apiVersion: def.apiVersion, metadata: { resourceVersion: ev.resourceVersion } } };
      } else if (opts.table) {
        const t = toTable(def, [ev.object], { includeObject: include, resourceVersion: ev.resourceVersion, now: Date.now() }) as { columnDefinitions?: unknown[] };
        // Column definitions once, as the API server sends them; later rows reuse them.
        if (!first) t.columnDefinitions = [];
        first = false;
        line = { type: ev.type, object: t };
      } else {
        line = { type: ev.type, object: ev.object };
      }
      if (!r.res.write(JSON.stringify(line) + '\n')) await drained(r, signal);
    }
  } catch (e) {
    if (!signal.aborted) r.res.write(JSON.stringify({ type: 'ERROR', object: statusFromError(e) }) + '\n');
  }
  r.res.end();
}

function drained(r: RequestInfo, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      r.res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    r.res.on('drain', done);
    signal.addEventListener('abort', done);
  });
}
