// Event: something that happened to an object, reported by the system.
import type { Event } from '../api/types';
import { S, base, nonNegative, set } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { formatAge, parseTime } from '../print/age';
import type { KindDefinition } from './kind';

/** "pod/web-1", or just the kind when the object has no name. */
export function eventObject(e: Event): string {
  const kind = e.involvedObject.kind.toLowerCase();
  return e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind;
}

/** Events oldest first, so the newest is at the bottom (as `kubectl events` orders them). */
export function sortEventsByLastSeen<E extends Event>(list: readonly E[]): E[] {
  const at = (e: Event) => parseTime(e.lastTimestamp || e.firstTimestamp) ?? 0;
  // Timestamps have one-second precision: within a second, the store's revision gives the order.
  const rv = (e: Event) => Number(e.metadata.resourceVersion ?? 0);
  return [...list].sort((a, b) => at(a) - at(b) || rv(a) - rv(b));
}

export const eventKind: KindDefinition<Event> = {
  kind: 'Event',
  apiVersion: 'v1',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  systemOwned: true,
  schema: S.obj(
    {
      ...base,
      involvedObject: S.obj(
        { kind: S.nonEmpty(), namespace: S.str(), name: S.nonEmpty(), uid: S.str(), apiVersion: S.str(), resourceVersion: S.str(), fieldPath: S.str() },
        { required: ['kind', 'name'] },
      ),
      reason: S.str(),
      message: S.str(),
      type: S.oneOf('Normal', 'Warning'),
      count: nonNegative,
      firstTimestamp: S.str(),
      lastTimestamp: S.str(),
      source: S.obj({ component: S.str(), host: S.str() }),
    },
    {
      required: ['involvedObject', 'reason', 'message', 'type'],
      unsupported: set('eventTime', 'series', 'action', 'related', 'reportingComponent', 'reportingInstance'),
    },
  ),
  nameRule: dns1123SubdomainError,
  table: {
    columns: [{ name: 'LAST SEEN' }, { name: 'TYPE' }, { name: 'REASON' }, { name: 'OBJECT' }, { name: 'MESSAGE' }],
    cells: (e, now) => [formatAge(e.lastTimestamp || e.firstTimestamp, now), e.type, e.reason, eventObject(e), e.message.trim()],
    order: sortEventsByLastSeen,
  },
};
