// The scheduler's view of claims and the provisioning it triggers. It answers the volume filter
// (controller/scheduler/filters/volume-binding.ts) from the informers, and before the scheduler
// writes a pod's binding it binds the pod's unbound WaitForFirstConsumer claims for the chosen
// node: to a matching static volume that allows the node, or to a new local-path volume in the
// node's storage dir. Only when every claim is bound does the pod get its node, so a pod never
// reaches an agent with a claim still unbound.
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../common/api/types';
import { conflict, errorMessage, isKiteError } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { EventRecorderLike } from '../events';
import type { SharedInformers } from '../informers';
import type { NodeInfo } from '../scheduler/node-info';
import type { ClaimVolumes } from '../scheduler/filters/volume-binding';
import { matchesAnyTerm, type SelectableNode } from '../scheduler/filters/node-selector';
import type { ObjectStore } from '../store/types';
import { bindClaim } from './binding';
import {
  SELECTED_NODE_ANNOTATION, bestVolume, claimClassName, claimKey, isLocalPath, localPathVolume, nodeStorageDir, podClaimKeys, volumeNodeTerms,
} from './volume-facts';

export const UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const VOLUME_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const NO_VOLUME_FOR_NODE = "node(s) didn't find available persistent volumes to bind";

const allowsNode = (pv: PersistentVolume, node: SelectableNode) => {
  const terms = volumeNodeTerms(pv);
  return terms === undefined || matchesAnyTerm(terms, node);
};

export class VolumePlacement implements ClaimVolumes {
  /** Claims this scheduler bound for a node whose binding the informer has not shown yet. */
  private readonly assumed = new Map<string, string>();

  constructor(
    private readonly store: ObjectStore,
    private readonly informers: SharedInformers,
    private readonly events: EventRecorderLike,
    private readonly log: Logger,
  ) {
    this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim').on((type, pvc) => {
      if (type === 'DELETED' || pvc.status?.phase === 'Bound') this.assumed.delete(claimKey(pvc.metadata.namespace ?? 'default', pvc.metadata.name));
    });
  }

  /** Calls fn whenever claims, volumes or classes change (what can undo the filter's rejections). */
  onChange(fn: () => void): void {
    for (const kind of ['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass']) this.informers.get(kind).on(() => fn());
  }

  private claim(key: string): PersistentVolumeClaim | undefined {
    return this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim').get(key);
  }

  private volume(name: string): PersistentVolume | undefined {
    return this.informers.get<PersistentVolume>('PersistentVolume').get(name);
  }

  private waitsForConsumer(pvc: PersistentVolumeClaim): StorageClass | undefined {
    const name = claimClassName(pvc);
    const sc = name ? this.informers.get<StorageClass>('StorageClass').get(name) : undefined;
    return sc?.volumeBindingMode === 'WaitForFirstConsumer' ? sc : undefined;
  }

  problem(key: string): string | undefined {
    const pvc = this.claim(key);
    const name = key.slice(key.indexOf('/') + 1);
    if (!pvc) return `persistentvolumeclaim "${name}" not found`;
    if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (this.assumed.has(key)) return undefined;
    if (pvc.status?.phase === 'Bound' && pvc.spec.volumeName) {
      return this.volume(pvc.spec.volumeName) ? undefined : `persistentvolume "${pvc.spec.volumeName}" not found`;
    }
    if (pvc.status?.phase === 'Lost') return `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${pvc.spec.volumeName ?? ''}"`;
    return this.waitsForConsumer(pvc) ? undefined : UNBOUND_IMMEDIATE;
  }

  nodeProblem(key: string, node: NodeInfo): string | undefined {
    const assumedNode = this.assumed.get(key);
    if (assumedNode !== undefined) return assumedNode === node.name ? undefined : VOLUME_NODE_CONFLICT;
    const pvc = this.claim(key)!;
    if (pvc.status?.phase === 'Bound') return allowsNode(this.volume(pvc.spec.volumeName!)!, node) ? undefined : VOLUME_NODE_CONFLICT;
    const sc = this.waitsForConsumer(pvc)!;
    if (isLocalPath(sc) && nodeStorageDir(node.node)) return undefined;
    return bestVolume(this.informers.get<PersistentVolume>('PersistentVolume').list(), pvc, (pv) => allowsNode(pv, node)) ? undefined : NO_VOLUME_FOR_NODE;
  }

  /**
   * Makes each pod's claims bound for the node it was placed on, in order; answers per pod whether
   * its binding may be written. A pod whose claim was just bound for another node in this round
   * (two new pods sharing a new claim) is refused and scheduled again with the claim bound.
   */
  async prepare(placements: readonly { pod: Pod; node: string }[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const { pod, node } of placements) {
      const claims = podClaimKeys(pod);
      if (claims.length === 0) {
        out.push(true);
        continue;
      }
      try {
        for (const key of claims) await this.bindFor(key, node);
        out.push(true);
      } catch (e) {
        this.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, node, err: errorMessage(e) }, 'volumes not ready for the chosen node; scheduling again');
        out.push(false);
      }
    }
    return out;
  }

  private async bindFor(key: string, nodeName: string): Promise<void> {
    const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const assumedNode = this.assumed.get(key);
    if (assumedNode !== undefined) {
      if (assumedNode !== nodeName) throw conflict(`claim ${key} was just bound for node ${assumedNode}`);
      return;
    }
    // Read the claim from the store: the informer may not show a binding made a moment ago.
    const pvc = await this.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', ns, name);
    if (!pvc) throw conflict(`persistentvolumeclaim "${name}" not found`);
    const node = this.informers.get<Node>('Node').get(nodeName);
    const selectable: SelectableNode = { name: nodeName, labels: node?.metadata.labels ?? {} };
    if (pvc.status?.phase === 'Bound' && pvc.spec.volumeName) {
      const pv = await this.store.get<PersistentVolume>('PersistentVolume', '', pvc.spec.volumeName);
      if (!pv || !allowsNode(pv, selectable)) throw conflict(`claim ${key} is bound to a volume node ${nodeName} cannot use`);
      return;
    }
    const sc = this.waitsForConsumer(pvc);
    if (!sc) throw conflict(`claim ${key} is not bound`);
    const stat = bestVolume(this.informers.get<PersistentVolume>('PersistentVolume').list(), pvc, (pv) => allowsNode(pv, selectable));
    if (stat) {
      await bindClaim(this.store, pvc, stat);
    } else {
      const storageDir = nodeStorageDir(node);
      if (!isLocalPath(sc) || !storageDir) throw conflict(`no volume for claim ${key} on node ${nodeName}`);
      const selected = await this.store.update<PersistentVolumeClaim>({ ...pvc, metadata: { ...pvc.metadata, annotations: { ...pvc.metadata.annotations, [SELECTED_NODE_ANNOTATION]: nodeName } } });
      const pv = await this.createVolume(localPathVolume(selected, sc, nodeName, storageDir));
      await bindClaim(this.store, selected, pv);
      this.events.record(selected, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata.name}`);
    }
    this.assumed.set(key, nodeName);
  }

  /** Creates the volume; one left by an earlier attempt for the same claim (same name) is reused. */
  private async createVolume(pv: PersistentVolume): Promise<PersistentVolume> {
    try {
      return await this.store.create(pv);
    } catch (e) {
      if (!isKiteError(e, 'AlreadyExists')) throw e;
      const existing = await this.store.get<PersistentVolume>('PersistentVolume', '', pv.metadata.name);
      if (!existing || existing.spec.local?.path !== pv.spec.local?.path) throw e;
      return existing;
    }
  }
}
