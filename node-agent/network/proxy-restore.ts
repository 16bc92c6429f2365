// Turns the wanted service rules and what iptables-save shows now into ONE iptables-restore
// --noflush input: our chains are declared (which flushes them) and rewritten, per-service chains
// no longer wanted are deleted, and the jumps from the built-in chains are (re)put first where
// they are missing or where another program (Docker, after a restart) put its rules above them.
// Chains that are not ours are never touched. Pure: iptables-proxier.ts runs the commands.
import { FIXED_CHAINS, JUMPS, type Jump, type ProxyRules, type TableRules } from './proxy-rules';
import { PER_SERVICE_PREFIXES } from './proxy-chain-names';

export type TableName = 'nat' | 'filter';

export interface SavedTable {
  chains: Set<string>;
  /** Rules of each chain without the leading "-A CHAIN ", in order. */
  rules: Map<string, string[]>;
}

export type SavedTables = Record<TableName, SavedTable>;

const emptyTable = (): SavedTable => ({ chains: new Set(), rules: new Map() });

/** Parses `iptables-save` output (every table; the ones we do not use are skipped). */
export function parseIptablesSave(text: string): SavedTables {
  const out: SavedTables = { nat: emptyTable(), filter: emptyTable() };
  let table: SavedTable | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      const name = line.slice(1).trim();
      table = name === 'nat' || name === 'filter' ? out[name] : undefined;
    } else if (!table) {
      continue;
    } else if (line.startsWith(':')) {
      table.chains.add(line.slice(1).split(' ')[0]!);
    } else if (line.startsWith('-A ')) {
      const rest = line.slice(3);
      const sp = rest.indexOf(' ');
      const chain = sp < 0 ? rest : rest.slice(0, sp);
      const list = table.rules.get(chain) ?? [];
      list.push(sp < 0 ? '' : rest.slice(sp + 1));
      table.rules.set(chain, list);
    }
  }
  return out;
}

const isPerService = (chain: string) => PER_SERVICE_PREFIXES.some((p) => chain.startsWith(p));
const jumpTarget = (rule: string) => / -j (\S+)/.exec(' ' + rule)?.[1] ?? '';

/** Targets of the service proxy's own jumps: they may precede each other. */
const OWN_TARGETS = new Set([...FIXED_CHAINS.nat, ...FIXED_CHAINS.filter]);

/**
 * Lines that put a jump first in its chain, or none when it is there already. "First" means only
 * the proxy's own jumps precede it: not Docker's rules, and not the pod network's (which accepts
 * all pod traffic, so a REJECT after it would never be seen; it lets ours go first).
 */
export function jumpLines(j: Jump, saved: SavedTable): string[] {
  if (j.ifExists && !saved.chains.has(j.from)) return [];
  const rules = saved.rules.get(j.from) ?? [];
  const mine = (r: string) => jumpTarget(r) === j.target;
  const at = rules.findIndex(mine);
  if (at >= 0 && rules.slice(0, at).every((r) => OWN_TARGETS.has(jumpTarget(r)))) return [];
  const lines = rules.filter(mine).map((r) => `-D ${j.from} ${r}`);
  lines.push(`-I ${j.from} 1 ${j.spec}`);
  return lines;
}

function tableText(name: TableName, wanted: TableRules, existing: Iterable<string>, jumpFixes: string[]): string {
  const want = new Set(wanted.chains);
  const stale = [...existing].filter((c) => isPerService(c) && !want.has(c));
  const lines = [`*${name}`];
  // Declaring a chain under --noflush creates it or flushes it; stale ones are flushed first so
  // that nothing refers to them when they are deleted below.
  for (const c of [...wanted.chains, ...stale]) lines.push(`:${c} - [0:0]`);
  lines.push(...wanted.rules);
  for (const c of stale) lines.push(`-X ${c}`);
  lines.push(...jumpFixes);
  lines.push('COMMIT');
  return lines.join('\n');
}

/** The complete input: our chains from `wanted`, stale ones deleted, jumps repaired, from what iptables-save showed. */
export function restoreText(wanted: ProxyRules, saved: SavedTables): string {
  const fixes = (t: TableName) => JUMPS.filter((j) => j.table === t).flatMap((j) => jumpLines(j, saved[t]));
  return [tableText('nat', wanted.nat, saved.nat.chains, fixes('nat')), tableText('filter', wanted.filter, saved.filter.chains, fixes('filter'))].join('\n') + '\n';
}

/**
 * Input for a sync right after another one this process made: the chains that exist are the ones
 * it wrote then, so no iptables-save is needed; jumps are left alone (the periodic full sync
 * repairs them).
 */
export function incrementalRestoreText(wanted: ProxyRules, previous: ProxyRules): string {
  return [tableText('nat', wanted.nat, previous.nat.chains, []), tableText('filter', wanted.filter, previous.filter.chains, [])].join('\n') + '\n';
}

