// kite get / kite describe / kite events
import type { Endpoints, Event, KObject, Pod, ReplicaSet } from '../../common/api/types';
import { invalid, isKiteError } from '../../common/errors';
import { printGet, noResourcesMessage, printObjects, printDescribe } from '../print';
import type { DescribeExtra } from '../print/describe';
import { type CliContext, resolveKindArg, objectRef } from '../context';

export interface GetFlags {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  watch?: boolean;
  allNamespaces?: boolean;
}

const OUTPUTS = ['wide', 'json', 'yaml', 'name'];

export async function getCommand(ctx: CliContext, kindArg: string, names: string[], flags: GetFlags): Promise<void> {
  const kinds = kindArg.split(',').filter(Boolean);
  if (kinds.length > 1) {
    if (names.length || flags.watch) throw invalid('several kinds at once cannot be combined with names or --watch');
    if (flags.output && !OUTPUTS.includes(flags.output)) throw invalid(`--output: unsupported format "${flags.output}" (use one of ${OUTPUTS.join(', ')})`);
    // As kubectl: a table per kind that has objects, one "No resources found" when none has.
    const found: { kind: string; items: KObject[]; all: boolean }[] = [];
    for (const k of kinds) {
      const info = resolveKindArg(k);
      const all = !!flags.allNamespaces && info.namespaced;
      const res = await ctx.client.list(info.kind, { namespace: ctx.namespace, allNamespaces: all, labelSelector: flags.selector, fieldSelector: flags.fieldSelector });
      if (res.items.length) found.push({ kind: info.kind, items: res.items, all });
    }
    if (!found.length) {
      process.stderr.write(noResourcesMessage(flags.allNamespaces ? undefined : ctx.namespace) + '\n');
      return;
    }
    found.forEach(({ kind, items, all }, i) => {
      if (i > 0) process.stdout.write('\n');
      print(kind, items, flags, all, true, false);
    });
    return;
  }
  if (flags.output && !OUTPUTS.includes(flags.output)) throw invalid(`--output: unsupported format "${flags.output}" (use one of ${OUTPUTS.join(', ')})`);
  if (['componentstatus', 'componentstatuses', 'cs'].includes(kindArg.toLowerCase())) return componentStatus(ctx);
  const info = resolveKindArg(kindArg);
  const all = !!flags.allNamespaces && info.namespaced;
  const ns = ctx.namespace;
  let items: KObject[];
  let rv = '';
  if (names.length) {
    items = await Promise.all(names.map((n) => ctx.client.get(info.kind, n, ns)));
  } else {
    const res = await ctx.client.list(info.kind, { namespace: ns, allNamespaces: all, labelSelector: flags.selector, fieldSelector: flags.fieldSelector });
    items = res.items;
    rv = res.resourceVersion;
  }
  // One name asked for prints that object itself, as kubectl does; otherwise a List.
  if (items.length === 0 && !['json', 'yaml'].includes(flags.output ?? '')) {
    process.stderr.write(noResourcesMessage(info.namespaced && !all ? ns : undefined) + '\n');
  } else {
    print(info.kind, items, flags, all, true, names.length === 1);
  }
  if (!flags.watch) return;
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const nameSet = new Set(names);
  const query = { namespace: ns, allNamespaces: all, labelSelector: flags.selector, fieldSelector: flags.fieldSelector };
  // Follow changes; when the stream drops, resume from the last resourceVersion seen, so no change
  // is missed or shown twice; when that history is gone, list again.
  while (!abort.signal.aborted) {
    try {
      for await (const ev of ctx.client.watch(info.kind, { ...query, resourceVersion: rv || undefined }, abort.signal)) {
        rv = ev.resourceVersion || rv;
        if (!ev.object || ev.type === 'BOOKMARK') continue;
        if (nameSet.size && !nameSet.has(ev.object.metadata.name)) continue;
        print(info.kind, [ev.object], flags, all, false);
      }
      return;
    } catch (e) {
      if (abort.signal.aborted) return;
      if (isKiteError(e, 'Gone')) {
        rv = (await ctx.client.list(info.kind, query)).resourceVersion;
      } else if (!isKiteError(e, 'Unavailable')) {
        throw e;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function print(kind: string, items: KObject[], flags: GetFlags, all: boolean, header: boolean, single = false): void {
  if (flags.output === 'json' || flags.output === 'yaml') {
    process.stdout.write(printObjects(flags.output, items.length === 1 && (single || !header) ? items[0]! : items));
    return;
  }
  if (flags.output === 'name') {
    for (const o of items) process.stdout.write(objectRef(o) + '\n');
    return;
  }
  let text = printGet(kind, items, { wide: flags.output === 'wide', allNamespaces: all, now: Date.now() });
  if (!header) text = text.split('\n').slice(1).join('\n');
  process.stdout.write(text.endsWith('\n') || text === '' ? text : text + '\n');
}

async function componentStatus(ctx: CliContext): Promise<void> {
  const v = await ctx.client.version();
  const rows = [
    ['NAME', 'STATUS', 'MESSAGE'],
    ...v.components.map((c) => [c.name, c.healthy ? 'Healthy' : 'Unhealthy', c.message]),
    ['leader', v.leader_id ? 'Healthy' : 'Unhealthy', v.leader_id ? `leader ${v.leader_id}` : 'no controller is leader'],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd() + '\n');
}

export async function describeCommand(ctx: CliContext, kindArg: string, name: string): Promise<void> {
  const info = resolveKindArg(kindArg);
  const ns = ctx.namespace;
  const obj = await ctx.client.get(info.kind, name, ns);
  const evNs = info.namespaced ? ns : 'default';
  const events = (await ctx.client.list<Event>('Event', { namespace: evNs, fieldSelector: `involvedObject.name=${name},involvedObject.kind=${info.kind}` }).catch(() => ({ items: [] as Event[] }))).items;
  const extra: DescribeExtra = {};
  const uid = obj.metadata.uid;
  if (info.kind === 'Node') {
    extra.pods = (await ctx.client.list<Pod>('Pod', { allNamespaces: true, fieldSelector: `spec.nodeName=${name}` })).items;
  } else if (info.kind === 'Deployment') {
    extra.replicaSets = (await ctx.client.list<ReplicaSet>('ReplicaSet', { namespace: ns })).items.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === uid));
  } else if (info.kind === 'Service') {
    // What the cluster routes to; a service without Endpoints routes nowhere.
    extra.endpoints = await ctx.client.get<Endpoints>('Endpoints', name, ns).catch((e: unknown): Endpoints => {
      if (!isKiteError(e, 'NotFound')) throw e;
      return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns } };
    });
  } else if (['ReplicaSet', 'DaemonSet', 'Job', 'StatefulSet'].includes(info.kind)) {
    const pods = (await ctx.client.list<Pod>('Pod', { namespace: ns })).items;
    extra.pods = pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid));
  }
  process.stdout.write(printDescribe(obj, { events, now: Date.now(), extra }));
}

export async function eventsCommand(ctx: CliContext, allNamespaces: boolean): Promise<void> {
  const res = await ctx.client.list<Event>('Event', { namespace: ctx.namespace, allNamespaces });
  if (!res.items.length) {
    process.stderr.write(noResourcesMessage(allNamespaces ? undefined : ctx.namespace) + '\n');
    return;
  }
  process.stdout.write(printGet('Event', res.items, { allNamespaces, now: Date.now() }));
}
