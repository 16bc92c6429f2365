// TLS's cost in the benchmarks (issue 11): the same work against the normal controller (mTLS,
// certificates checked on every call) and against a --plaintext-for-benchmarks controller, as a
// ratio TLS/plaintext held against the aim of 1.15x.
import { type BenchRow, row } from './report';

/** The aim: TLS may make an operation at most this many times slower than plaintext. */
export const TLS_AIM = 1.15;

export type TransportMode = 'tls' | 'plaintext';

/** One operation timed both ways. */
export interface TlsCost {
  operation: string;
  tlsMs: number;
  plaintextMs: number;
  /** tlsMs / plaintextMs. */
  ratio: number;
  met: boolean;
}

export function tlsCost(operation: string, tlsMs: number, plaintextMs: number): TlsCost {
  const ratio = plaintextMs > 0 ? tlsMs / plaintextMs : Number.POSITIVE_INFINITY;
  return { operation, tlsMs: Math.round(tlsMs * 10) / 10, plaintextMs: Math.round(plaintextMs * 10) / 10, ratio: Math.round(ratio * 100) / 100, met: ratio <= TLS_AIM };
}

/** "TLS 1.07x plaintext: aim <=1.15x met", or "TLS 1.50x plaintext (not held to the aim)". */
export function tlsCostNote(cost: TlsCost, heldToAim = true): string {
  const ratio = `TLS ${cost.ratio.toFixed(2)}x plaintext`;
  return heldToAim ? `${ratio}: aim <=${TLS_AIM}x ${cost.met ? 'met' : 'MISSED'}` : `${ratio} (not held to the aim)`;
}

/**
 * The plaintext baseline's row, placed under the TLS row it pairs with: the same operation on
 * the plaintext controller, its note the ratio. Also returns the pair for the report's JSON.
 */
export function plaintextRow(tlsRow: BenchRow, plaintext: BenchRow, heldToAim = true, label = 'plaintext controller'): { row: BenchRow; cost: TlsCost } {
  const cost = tlsCost(tlsRow.operation.trim(), tlsRow.wallMs, plaintext.wallMs);
  // The plaintext run's own figures (percentiles included), under a label and with the ratio as note.
  return { row: { ...row(`  ${label} (baseline)`, plaintext.count, plaintext.wallMs), p50Ms: plaintext.p50Ms, p99Ms: plaintext.p99Ms, note: tlsCostNote(cost, heldToAim) }, cost };
}

/** A summary line: how many operations met the aim, and the worst ratio. */
export function tlsSummary(costs: readonly TlsCost[]): string {
  if (costs.length === 0) return 'no TLS/plaintext pairs measured';
  const worst = costs.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const met = costs.filter((c) => c.met).length;
  return `TLS vs plaintext: ${met} of ${costs.length} operations within ${TLS_AIM}x; worst ${worst.ratio.toFixed(2)}x (${worst.operation})`;
}

/**
 * The order of the runs: each round runs both modes, alternating which goes first (TLS,
 * plaintext, plaintext, TLS, ...), so a machine that warms up or slows down during the bench
 * does not favour one mode.
 */
export function runOrder(rounds: number): TransportMode[] {
  const order: TransportMode[] = [];
  for (let r = 0; r < rounds; r++) order.push(...(r % 2 === 0 ? (['tls', 'plaintext'] as const) : (['plaintext', 'tls'] as const)));
  return order;
}

/**
 * Several runs of the same rows (same operations in the same order) as one: for each operation
 * the run with the median wall time (the lower middle one for an even count).
 */
export function medianRows(runs: readonly (readonly BenchRow[])[]): BenchRow[] {
  if (runs.length === 0) return [];
  return runs[0]!.map((first, i) => {
    const candidates = runs.map((run) => run[i]);
    if (candidates.some((r) => r?.operation !== first.operation)) throw new Error(`runs disagree on row ${i} (${first.operation})`);
    const sorted = (candidates as BenchRow[]).slice().sort((a, b) => a.wallMs - b.wallMs);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    return runs.length === 1 ? median : { ...median, note: [median.note, `median of ${runs.length} runs`].filter(Boolean).join('; ') };
  });
}

/**
 * The TLS run's rows with, under each row `measured` selects, the plaintext run's same row as a
 * baseline (rows are matched by position; both runs made the same rows). Collects the pairs of
 * the rows `heldToAim` selects (default: all measured ones); the others' notes say they are not.
 */
export function withPlaintextBaselines(
  tls: readonly BenchRow[],
  plaintext: readonly BenchRow[],
  measured: (r: BenchRow) => boolean,
  heldToAim: (r: BenchRow) => boolean = () => true,
): { rows: BenchRow[]; costs: TlsCost[] } {
  if (tls.length !== plaintext.length) throw new Error(`the TLS run made ${tls.length} rows, the plaintext run ${plaintext.length}`);
  const rows: BenchRow[] = [];
  const costs: TlsCost[] = [];
  tls.forEach((r, i) => {
    rows.push(r);
    if (!measured(r)) return;
    const p = plaintext[i]!;
    if (p.operation !== r.operation) throw new Error(`row ${i}: "${r.operation}" with TLS, "${p.operation}" in plaintext`);
    const held = heldToAim(r);
    const baseline = plaintextRow(r, p, held);
    rows.push(baseline.row);
    if (held) costs.push(baseline.cost);
  });
  return { rows, costs };
}
