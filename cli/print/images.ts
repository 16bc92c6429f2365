// What `kite image push` and `kite image ls` print: sizes, the progress line, the image table.
import type { Node } from '../../common/api/types';

/** Bytes as docker prints them (SI units): 512B, 4.2kB, 105MB, 1.2GB. */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  if (i === 0) return `${Math.round(v)}B`;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

/**
 * The progress line: a bar, bytes sent of the expected total, and the nodes being written to.
 * The total is the engine's image size, an estimate of the archive's: the bar never shows full
 * before the end, and an archive larger than the estimate just shows its bytes.
 */
export function progressLine(sent: number, total: number, nodes: readonly string[], width = 30): string {
  const fraction = total > 0 ? Math.min(sent / total, 0.99) : 0;
  const filled = Math.floor(fraction * width);
  const bar = '='.repeat(filled) + (filled < width ? '>' : '') + ' '.repeat(Math.max(0, width - filled - 1));
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${bar}] ${pct} ${formatBytes(sent)}/${formatBytes(total)} to ${nodes.join(', ')}`;
}

export interface ImageRow {
  image: string;
  id: string;
  size: string;
  nodes: string;
}

/** `kite image ls`: one row per image id, its names and the nodes holding it, from Node.status.images. */
export function imageRows(nodes: readonly Node[]): ImageRow[] {
  const byId = new Map<string, { names: Set<string>; size: number; nodes: string[] }>();
  for (const node of nodes) {
    for (const img of node.status?.images ?? []) {
      // The agent lists the engine's id last among the names (see node-agent/images.ts).
      const id = img.names.find((n) => /^sha256:[0-9a-f]{64}$/.test(n)) ?? img.names[0] ?? '';
      const entry = byId.get(id) ?? { names: new Set<string>(), size: img.sizeBytes, nodes: [] };
      for (const n of img.names) if (n !== id && !n.includes('@')) entry.names.add(n);
      entry.nodes.push(node.metadata.name);
      byId.set(id, entry);
    }
  }
  return [...byId.entries()]
    .map(([id, e]) => ({
      image: [...e.names].sort().join(',') || '<none>',
      id: id.replace(/^sha256:/, '').slice(0, 12),
      size: formatBytes(e.size),
      nodes: e.nodes.sort().join(','),
    }))
    .sort((a, b) => a.image.localeCompare(b.image) || a.id.localeCompare(b.id));
}
