// The order of a merged list after a strategic merge patch, as Kubernetes decides it
// (apimachinery strategicpatch: normalizeElementOrder / mergeSortedSlice).
//
// The merged elements are split in two: those the patch names (in the patch list, or in a
// `$setElementOrder` list) and those only the server had. The patch's elements take the patch's
// order; the server-only ones keep the live order; then the server-only ones are slotted in
// before the first patch element that the live list had after them. A patch element the live
// list did not have is never passed by a server-only one, so new elements stay where the patch
// put them relative to each other.

/** Whether two list elements are the same element (same merge key, or equal primitives). */
export type SameElement = (a: unknown, b: unknown) => boolean;

export function orderMergedList(merged: readonly unknown[], patchOrder: readonly unknown[], liveOrder: readonly unknown[], same: SameElement): unknown[] {
  const indexIn = (list: readonly unknown[], element: unknown) => list.findIndex((other) => same(element, other));
  const fromPatch = merged.filter((element) => indexIn(patchOrder, element) >= 0);
  const serverOnly = merged.filter((element) => indexIn(patchOrder, element) < 0);
  const byPatch = stableSortBy(fromPatch, (element) => indexIn(patchOrder, element));
  const byLive = stableSortBy(serverOnly, (element) => indexIn(liveOrder, element));

  const out: unknown[] = [];
  let s = 0;
  let p = 0;
  while (s < byLive.length || p < byPatch.length) {
    if (p >= byPatch.length) out.push(byLive[s++]);
    else if (s >= byLive.length) out.push(byPatch[p++]);
    else {
      // A server-only element goes first only if the live list had both and had it first.
      const liveS = indexIn(liveOrder, byLive[s]);
      const liveP = indexIn(liveOrder, byPatch[p]);
      if (liveS >= 0 && liveP >= 0 && liveS < liveP) out.push(byLive[s++]);
      else out.push(byPatch[p++]);
    }
  }
  return out;
}

/** Sorts by a position, keeping ties (and elements with no position, -1, placed last) in their order. */
function stableSortBy(list: readonly unknown[], position: (element: unknown) => number): unknown[] {
  const rank = (element: unknown) => {
    const at = position(element);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  return list
    .map((element, i) => ({ element, i, rank: rank(element) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((entry) => entry.element);
}
