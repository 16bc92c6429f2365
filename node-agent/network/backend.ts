// Routing to peers' pod subnets, behind one interface: host-gw (direct routes) and VXLAN.
// Every route the agent installs carries protocol KITE_ROUTE_PROTO, so stale ones (peers that
// left, also before an agent restart) and all of them on --cleanup are found in the table.
import type { CommandRunner } from './commands';
import type { BackendKind, PeerRoute } from './route-plan';

export const KITE_ROUTE_PROTO = '77';

export interface RouteBackend {
  readonly kind: BackendKind;
  /** Installs (or re-asserts) the kernel state for exactly these peers, removing its stale per-peer state. */
  program(peers: PeerRoute[]): Promise<void>;
}

/** Destinations of the routes the agent installed. */
export async function kiteRoutes(runner: CommandRunner): Promise<string[]> {
  const out = await runner.run('ip', ['-4', '-o', 'route', 'show', 'proto', KITE_ROUTE_PROTO]);
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** Deletes the agent's routes whose destination is not in `keep`. */
export async function removeStaleRoutes(runner: CommandRunner, keep: Set<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dst of await kiteRoutes(runner)) {
    if (keep.has(dst)) continue;
    await runner.run('ip', ['route', 'del', dst, 'proto', KITE_ROUTE_PROTO]);
    removed.push(dst);
  }
  return removed;
}

export class HostGwBackend implements RouteBackend {
  readonly kind = 'host-gw' as const;
  constructor(private readonly runner: CommandRunner) {}

  async program(peers: PeerRoute[]): Promise<void> {
    for (const p of peers) {
      await this.runner.run('ip', ['route', 'replace', p.podCidr, 'via', p.address, 'proto', KITE_ROUTE_PROTO]);
    }
  }
}
