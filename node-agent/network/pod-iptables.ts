// iptables text for the pod network, applied with one `iptables-restore --noflush`: our own
// chains are declared (which flushes and refills them atomically), and the jumps into them from
// Docker's and the kernel's chains are put first, repairing the order when Docker re-inserted its
// own rules at the top after an engine restart. Pure functions: unit tested.

/** Chains owned by the pod network (the service proxy has its own KITE-* chains). */
export const POD_FORWARD_CHAIN = 'KITE-POD-FORWARD';
export const POD_MASQ_CHAIN = 'KITE-POD-MASQ';

export interface PodRulesInput {
  clusterCidr: string;
  podCidr: string;
  /**
   * Traffic still addressed to a service's virtual IP after PREROUTING has no endpoint to go to:
   * it is left to the service proxy's REJECT, never accepted here (it would hang, not fail).
   */
  serviceCidr?: string;
}

interface Jump {
  table: 'filter' | 'nat';
  from: string;
  to: string;
}

const JUMPS: Jump[] = [
  // Docker's FORWARD starts with a jump to DOCKER-USER, before its isolation rules and the DROP policy.
  { table: 'filter', from: 'DOCKER-USER', to: POD_FORWARD_CHAIN },
  // Before any masquerade rule that could match pod traffic.
  { table: 'nat', from: 'POSTROUTING', to: POD_MASQ_CHAIN },
];

const jumpRule = (j: Jump) => `-A ${j.from} -j ${j.to}`;

/** One table of `iptables-save` output: its chain names and `-A` lines. */
export interface SavedTable {
  chains: Set<string>;
  rules: string[];
}

export function parseIptablesSave(text: string): Map<string, SavedTable> {
  const tables = new Map<string, SavedTable>();
  let current: SavedTable | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) {
      current = { chains: new Set(), rules: [] };
      tables.set(line.slice(1), current);
    } else if (!current || line.startsWith('#') || line === 'COMMIT' || line === '') continue;
    else if (line.startsWith(':')) current.chains.add(line.slice(1).split(/\s+/)[0]!);
    else if (line.startsWith('-A ')) current.rules.push(line);
  }
  return tables;
}

/**
 * Lines that make `j` the only and first jump of its kind in its chain: nothing when it already
 * is; otherwise delete every copy and insert one at the top.
 */
function jumpFix(j: Jump, saved: SavedTable | undefined): string[] {
  const out: string[] = [];
  // DOCKER-USER before Docker made it: create it (Docker keeps an existing one and its rules).
  if (!saved?.chains.has(j.from)) out.push(`:${j.from} - [0:0]`);
  const inChain = (saved?.rules ?? []).filter((r) => r.startsWith(`-A ${j.from} `));
  const copies = inChain.filter((r) => r === jumpRule(j)).length;
  // Other KITE-* jumps (the service proxy's, which must see new connections first) may precede it.
  const at = inChain.indexOf(jumpRule(j));
  if (copies === 1 && at >= 0 && inChain.slice(0, at).every((r) => /\s-j KITE-\S+$/.test(r))) return out;
  for (let i = 0; i < copies; i++) out.push(`-D ${j.from} -j ${j.to}`);
  out.push(`-I ${j.from} 1 -j ${j.to}`);
  return out;
}

/** The whole iptables-restore input for the pod network, given the current `iptables-save`. */
export function podNetworkRules(i: PodRulesInput, saved: Map<string, SavedTable>): string {
  const fixes = (table: Jump['table']) => JUMPS.filter((j) => j.table === table).flatMap((j) => jumpFix(j, saved.get(table)));
  const filterFixes = fixes('filter');
  const natFixes = fixes('nat');
  // Only user chains are declared: a declared built-in chain line would reset its policy.
  return [
    '*filter',
    `:${POD_FORWARD_CHAIN} - [0:0]`,
    ...filterFixes.filter((l) => l.startsWith(':')),
    ...(i.serviceCidr ? [`-A ${POD_FORWARD_CHAIN} -d ${i.serviceCidr} -m comment --comment "kite: service virtual IPs are the proxy's" -j RETURN`] : []),
    `-A ${POD_FORWARD_CHAIN} -s ${i.clusterCidr} -m comment --comment "kite: traffic from pods" -j ACCEPT`,
    `-A ${POD_FORWARD_CHAIN} -d ${i.clusterCidr} -m comment --comment "kite: traffic to pods" -j ACCEPT`,
    ...filterFixes.filter((l) => !l.startsWith(':')),
    'COMMIT',
    '*nat',
    `:${POD_MASQ_CHAIN} - [0:0]`,
    ...natFixes.filter((l) => l.startsWith(':')),
    // Pod to pod keeps the source pod's own address, on this node and across nodes.
    `-A ${POD_MASQ_CHAIN} -s ${i.podCidr} -d ${i.clusterCidr} -m comment --comment "kite: no masquerade inside the cluster" -j RETURN`,
    `-A ${POD_MASQ_CHAIN} -s ${i.podCidr} ! -d ${i.clusterCidr} -m comment --comment "kite: pod traffic leaving the cluster" -j MASQUERADE`,
    ...natFixes.filter((l) => !l.startsWith(':')),
    'COMMIT',
    '',
  ].join('\n');
}

/**
 * Input that removes every KITE-* chain (the pod network's and the service proxy's) and every
 * rule jumping into one, in each table that has any; '' when there is nothing to remove.
 */
export function cleanupRules(saved: Map<string, SavedTable>): string {
  const out: string[] = [];
  for (const [table, t] of saved) {
    const ours = [...t.chains].filter((c) => c.startsWith('KITE-'));
    const jumps = t.rules.filter((r) => {
      const chain = r.split(/\s+/)[1] ?? '';
      return !chain.startsWith('KITE-') && /\s-[jg]\s+KITE-\S+/.test(r);
    });
    if (!ours.length && !jumps.length) continue;
    out.push(`*${table}`, ...jumps.map((r) => '-D' + r.slice(2)), ...ours.map((c) => `-F ${c}`), ...ours.map((c) => `-X ${c}`), 'COMMIT');
  }
  return out.length ? out.join('\n') + '\n' : '';
}
