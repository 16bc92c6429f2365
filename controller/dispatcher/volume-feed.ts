// What agents need about PersistentVolumes: with each pod, the directory of every bound claim it
// mounts (re-sent when a claim binds after the pod was sent); and, per node, the local volumes
// being deleted (reclaimPolicy Delete), whose directories the agent removes and reports. The
// finalizer that held the PersistentVolume is dropped only on that report, from the node the
// volume lives on, for the path it was told: a volume's data is removed on an explicit
// instruction only, never because an agent found something it did not know.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../common/api/types';
import { errorMessage, isKiteError } from '../../common/errors';
import type { ClaimVolume } from '../../common/generated/kite/v1/ClaimVolume';
import type { LocalVolume } from '../../common/generated/kite/v1/LocalVolume';
import type { LocalVolumeRemoved__Output } from '../../common/generated/kite/v1/LocalVolumeRemoved';
import { LOCAL_VOLUME_CLEANUP_FINALIZER, volumePath } from '../../common/kinds/persistentvolume';
import type { Logger } from '../../common/log';
import type { EventRecorderLike } from '../events';
import { objectKey } from '../informer';
import type { SharedInformers } from '../informers';
import { claimKey, localVolumeNode, podClaimKeys } from '../storage/volume-facts';
import type { ObjectStore } from '../store/types';
import type { AgentSession } from './session';

/** Whether a volume's directory is to be removed by its node's agent now. */
export function awaitsCleanup(pv: PersistentVolume): boolean {
  return !!pv.metadata.deletionTimestamp && (pv.metadata.finalizers ?? []).includes(LOCAL_VOLUME_CLEANUP_FINALIZER) && !!pv.spec.local?.path;
}

/** The local volumes the node's agent must remove now. */
export function cleanupFor(node: string, volumes: Iterable<PersistentVolume>): LocalVolume[] {
  const out: LocalVolume[] = [];
  for (const pv of volumes) if (awaitsCleanup(pv) && localVolumeNode(pv) === node) out.push({ name: pv.metadata.name, path: pv.spec.local!.path });
  return out;
}

/** Why an agent's removal report is not believed, or undefined. */
export function removalProblem(report: LocalVolumeRemoved__Output, pv: PersistentVolume | undefined, node: string): string | undefined {
  if (!pv) return `persistentvolume "${report.name}" not found`;
  if (!awaitsCleanup(pv)) return `persistentvolume "${report.name}" is not waiting for its directory to be removed`;
  if (localVolumeNode(pv) !== node) return `persistentvolume "${report.name}" is not on node "${node}"`;
  if (pv.spec.local?.path !== report.path) return `persistentvolume "${report.name}" is not at ${JSON.stringify(report.path)}`;
  return undefined;
}

export class VolumeFeed {
  constructor(
    private readonly informers: SharedInformers,
    private readonly sessions: () => Iterable<AgentSession>,
    private readonly store: ObjectStore,
    private readonly events: EventRecorderLike | undefined,
    private readonly log: Logger,
  ) {
    informers.get<PersistentVolumeClaim>('PersistentVolumeClaim').on((type, pvc, old) => {
      const changed = type !== 'MODIFIED' || old?.spec.volumeName !== pvc.spec.volumeName || old?.status?.phase !== pvc.status?.phase;
      if (changed) this.resendPodsUsing(objectKey(pvc));
    });
    informers.get<PersistentVolume>('PersistentVolume').on((_type, pv, old) => {
      const ref = pv.spec.claimRef;
      if (ref && volumePath(pv) !== (old ? volumePath(old) : undefined)) this.resendPodsUsing(claimKey(ref.namespace, ref.name));
      if (awaitsCleanup(pv) || (old && awaitsCleanup(old))) {
        const node = localVolumeNode(pv);
        for (const s of this.sessions()) if (s.nodeName === node) this.sendCleanup(s);
      }
    });
  }

  /** The directories of the pod's bound claims, for its assignment. */
  claimVolumes(pod: Pod): ClaimVolume[] {
    const keys = podClaimKeys(pod);
    if (keys.length === 0) return [];
    const claims = this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim');
    const volumes = this.informers.get<PersistentVolume>('PersistentVolume');
    const out: ClaimVolume[] = [];
    for (const key of keys) {
      const pvc = claims.get(key);
      if (!pvc || pvc.status?.phase !== 'Bound' || !pvc.spec.volumeName) continue;
      const pv = volumes.get(pvc.spec.volumeName);
      const path = pv && volumePath(pv);
      // A volume bound to another claim (or a stale cache) is never handed out.
      if (!pv || !path || pv.spec.claimRef?.uid !== pvc.metadata.uid) continue;
      out.push({ claim_name: pvc.metadata.name, path });
    }
    return out;
  }

  /** At session start: the node's pending removals. */
  welcome(session: AgentSession): void {
    this.sendCleanup(session);
  }

  private sendCleanup(session: AgentSession): void {
    session.send({ volume_cleanup: { volumes: cleanupFor(session.nodeName, this.informers.get<PersistentVolume>('PersistentVolume').list()) } });
  }

  /** The agent removed a volume's directory: the volume object may go. Agent input is validated first. */
  async onRemoved(session: AgentSession, report: LocalVolumeRemoved__Output): Promise<void> {
    const pv = await this.store.get<PersistentVolume>('PersistentVolume', '', report.name);
    const problem = removalProblem(report, pv, session.nodeName);
    if (problem) {
      this.log.warn({ node: session.nodeName, volume: report.name, problem }, 'ignoring local volume removal report');
      return;
    }
    if (report.error) {
      this.events?.record(pv!, 'Warning', 'VolumeFailedDelete', `node ${session.nodeName} could not remove ${report.path}: ${report.error.slice(0, 512)}`);
      return;
    }
    try {
      await this.store.update<PersistentVolume>({ ...pv!, metadata: { ...pv!.metadata, finalizers: (pv!.metadata.finalizers ?? []).filter((f) => f !== LOCAL_VOLUME_CLEANUP_FINALIZER) } });
      this.log.info({ node: session.nodeName, volume: report.name, path: report.path }, 'local volume removed');
    } catch (e) {
      // A conflict: the newer version's event sends the cleanup again, and the agent answers again.
      if (!isKiteError(e, 'NotFound')) this.log.warn({ volume: report.name, err: errorMessage(e) }, 'could not drop the cleanup finalizer');
    }
  }

  private resendPodsUsing(key: string): void {
    const ns = key.slice(0, key.indexOf('/'));
    const sessions = new Map<string, AgentSession>();
    for (const s of this.sessions()) sessions.set(s.nodeName, s);
    if (sessions.size === 0) return;
    for (const pod of this.informers.get<Pod>('Pod').list()) {
      if (pod.metadata.namespace !== ns || !pod.spec.nodeName) continue;
      const session = sessions.get(pod.spec.nodeName);
      if (session && podClaimKeys(pod).includes(key)) session.upsert(pod);
    }
  }
}
