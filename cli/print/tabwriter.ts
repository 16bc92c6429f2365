// A port of Go's text/tabwriter column algorithm (the part kubectl relies on), so our tables and
// describe output line up exactly like kubectl's.
//
// Input is text whose cells are tab-terminated. A "column block" is a run of consecutive lines that
// all have a tab-terminated cell at the same index; each block is sized independently. That is why,
// in `kubectl describe`, a line without tabs (e.g. "Containers:") restarts the alignment below it.

export interface TabOptions {
  /** Minimal cell width, padding included (kubectl get: 6, describe: 0). */
  minWidth: number;
  /** Spaces added after the widest cell of a column (kubectl get: 3, describe: 2). */
  padding: number;
}

/** Aligns tab-separated text; trailing spaces are removed from every line. */
export function alignTabs(text: string, opts: TabOptions): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];

  const cellCount = (i: number) => (lines[i] ?? []).length - 1; // tab-terminated cells only

  const writeLines = (from: number, to: number, widths: readonly number[]) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] ?? [];
      let s = '';
      cells.forEach((cell, j) => {
        s += cell;
        const w = widths[j];
        if (w !== undefined) s += ' '.repeat(Math.max(0, w - textWidth(cell)));
      });
      out.push(s.trimEnd());
    }
  };

  const format = (line0: number, line1: number, widths: readonly number[]) => {
    const column = widths.length;
    let from = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= cellCount(i)) continue;
      writeLines(from, i, widths);
      let width = opts.minWidth;
      let end = i;
      for (; end < line1 && column < cellCount(end); end++) {
        width = Math.max(width, textWidth(lines[end]?.[column] ?? '') + opts.padding);
      }
      format(i, end, [...widths, width]);
      from = end;
      i = end; // line `end` has no cell in this column, so it needs no check (as in Go)
    }
    writeLines(from, line1, widths);
  };

  format(0, lines.length, []);
  return out.join('\n');
}

/** Width in code points, as Go's tabwriter counts runes. */
export function textWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
