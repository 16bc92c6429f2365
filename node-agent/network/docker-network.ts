// The node's pod bridge as a Docker network: `kite` on bridge `kite0` with the node's pod CIDR,
// gateway .1, and Docker's masquerade off (the pod network masquerades only traffic leaving the
// cluster, so pods see each other's own addresses).
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { conflict } from '../../common/errors';

export const POD_NETWORK_NAME = 'kite';
export const POD_BRIDGE = 'kite0';
const LABEL = 'kite.network';

export interface BridgeSpec {
  subnet: string;
  gateway: string;
  mtu: number;
}

interface EngineError {
  statusCode?: number;
}
const statusOf = (e: unknown) => (e as EngineError)?.statusCode;

export type EnsureResult = 'created' | 'unchanged' | 'recreated';

export class DockerBridgeNetwork {
  constructor(private readonly docker: Docker) {}

  private async inspect(): Promise<Docker.NetworkInspectInfo | undefined> {
    try {
      return (await this.docker.getNetwork(POD_NETWORK_NAME).inspect()) as Docker.NetworkInspectInfo;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  /**
   * Creates the network, or checks the existing one; one with another subnet, gateway or MTU is
   * recreated when no container uses it, and is a Conflict error otherwise.
   */
  async ensure(spec: BridgeSpec): Promise<EnsureResult> {
    const have = await this.inspect();
    if (have) {
      const cfg = have.IPAM?.Config?.[0];
      const mtu = have.Options?.['com.docker.network.driver.mtu'];
      const differs: string[] = [];
      if (cfg?.Subnet !== spec.subnet) differs.push(`subnet ${cfg?.Subnet ?? 'none'} (want ${spec.subnet})`);
      if (cfg?.Gateway !== spec.gateway) differs.push(`gateway ${cfg?.Gateway ?? 'none'} (want ${spec.gateway})`);
      if (String(mtu ?? '1500') !== String(spec.mtu)) differs.push(`MTU ${mtu ?? 'default'} (want ${spec.mtu})`);
      if (!differs.length) return 'unchanged';
      const users = Object.values(have.Containers ?? {}).map((c) => c.Name);
      if (users.length) {
        throw conflict(`Docker network "${POD_NETWORK_NAME}" has ${differs.join(', ')} but containers still use it (${users.slice(0, 5).join(', ')}): remove them or run kite-agent --cleanup`);
      }
      await this.docker.getNetwork(POD_NETWORK_NAME).remove();
    }
    await this.docker.createNetwork({
      Name: POD_NETWORK_NAME,
      Driver: 'bridge',
      CheckDuplicate: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: spec.subnet, Gateway: spec.gateway }] },
      Options: {
        'com.docker.network.bridge.name': POD_BRIDGE,
        'com.docker.network.bridge.enable_ip_masquerade': 'false',
        'com.docker.network.driver.mtu': String(spec.mtu),
      },
      Labels: { [LABEL]: 'pods' },
    });
    return have ? 'recreated' : 'created';
  }

  /** Removes the network when no running container is attached; false when it stays. */
  async removeIfEmpty(): Promise<'removed' | 'absent' | 'in use'> {
    const have = await this.inspect();
    if (!have) return 'absent';
    if (Object.keys(have.Containers ?? {}).length) return 'in use';
    try {
      await this.docker.getNetwork(POD_NETWORK_NAME).remove();
    } catch (e) {
      if (statusOf(e) === 404) return 'absent';
      // Stopped containers still attached make the engine refuse: the network stays.
      return 'in use';
    }
    return 'removed';
  }
}

/**
 * Calls `onEngineBack` whenever the engine comes back after its event stream broke (an engine
 * restart: Docker re-inserts its iptables rules at the top, so ours must be re-checked).
 */
export async function watchEngineRestarts(docker: Docker, onEngineBack: () => void, signal: AbortSignal): Promise<void> {
  const sleep = (ms: number) => new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });
  let broke = false;
  while (!signal.aborted) {
    try {
      await docker.ping();
      if (broke) onEngineBack();
      broke = false;
      const stream = (await docker.getEvents({ filters: { type: ['network'] }, abortSignal: signal } as object)) as unknown as Readable;
      await new Promise<void>((resolve) => {
        stream.on('data', () => undefined);
        stream.once('end', () => resolve());
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
      });
    } catch {
      /* the engine is down: keep probing */
    }
    if (signal.aborted) return;
    broke = true;
    await sleep(1000);
  }
}
