// The namespace lifecycle (leader only). The namespaces every cluster has exist from the first
// start; a new namespace is marked Active; a namespace marked for deletion turns Terminating, has
// everything in it deleted (pods gracefully, like any other delete), and is removed once empty.
// Every Active namespace has a `default` ServiceAccount, created when missing (as Kubernetes'
// service account controller does).
import type { KObject, Namespace, ServiceAccount } from '../../common/api/types';
import { KINDS } from '../../common/kinds/registry';
import { isKiteError } from '../../common/errors';
import { POD_SECURITY_ENFORCE_LABEL } from '../../common/kinds/namespace';
import { DEFAULT_SERVICE_ACCOUNT } from '../../common/kinds/serviceaccount';
import { WorkloadController, type WorkloadDeps } from '../workloads/base';
import type { ObjectStore } from '../store/types';

/** Namespaces that exist in every cluster and cannot be deleted, as in Kubernetes. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

/** How often a Terminating namespace is looked at again while its contents go. */
const TERMINATING_RECHECK_MS = 1000;

/** Owners go first, so their controllers do not replace what is being deleted. */
const DELETE_ORDER = ['Deployment', 'DaemonSet', 'Job', 'ReplicaSet'];

export class NamespaceController extends WorkloadController<Namespace> {
  constructor(deps: WorkloadDeps) {
    super('namespace-controller', 'Namespace', deps);
    // A deleted default ServiceAccount is created again: look at its namespace.
    this.informers.get<ServiceAccount>('ServiceAccount').on((type, sa) => {
      if (type === 'DELETED' && sa.metadata.name === DEFAULT_SERVICE_ACCOUNT && sa.metadata.namespace) this.enqueue(sa.metadata.namespace);
    });
  }

  override start(): void {
    super.start();
    void ensureSystemNamespaces(this.store).catch((e: unknown) => this.log.warn({ err: (e as Error).message }, 'could not create the system namespaces yet'));
  }

  protected watchedKinds(): string[] {
    return ['Namespace', 'ServiceAccount'];
  }

  protected async reconcile(key: string): Promise<number | void> {
    const ns = this.cached(key);
    if (!ns) return;
    const phase = ns.metadata.deletionTimestamp ? 'Terminating' : 'Active';
    if (ns.status?.phase !== phase) {
      await this.store.updateStatus<Namespace>({ ...ns, metadata: { ...ns.metadata, resourceVersion: undefined }, status: { ...ns.status, phase } });
    }
    if (phase === 'Active') return this.ensureDefaultServiceAccount(ns.metadata.name);
    const left = await this.deleteContents(ns.metadata.name);
    if (left > 0) return TERMINATING_RECHECK_MS;
    try {
      await this.store.delete('Namespace', '', ns.metadata.name, { finalize: true });
      this.log.info({ namespace: ns.metadata.name }, 'namespace deleted');
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
    }
  }

  private async ensureDefaultServiceAccount(namespace: string): Promise<void> {
    if (this.informers.get<ServiceAccount>('ServiceAccount').get(`${namespace}/${DEFAULT_SERVICE_ACCOUNT}`)) return;
    try {
      await this.store.create<ServiceAccount>({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } });
    } catch (e) {
      if (!isKiteError(e, 'AlreadyExists')) throw e;
    }
  }

  /** Asks for the deletion of everything in the namespace; returns how many objects are still there. */
  private async deleteContents(namespace: string): Promise<number> {
    const kinds = KINDS.filter((k) => k.namespaced).map((k) => k.kind);
    const ordered = [...DELETE_ORDER, ...kinds.filter((k) => !DELETE_ORDER.includes(k))];
    let left = 0;
    for (const kind of ordered) {
      const { items } = await this.store.list(kind, { namespace });
      left += items.length;
      for (const obj of items) await this.deleteOne(obj);
    }
    return left;
  }

  private async deleteOne(obj: KObject): Promise<void> {
    if (obj.metadata.deletionTimestamp) return;
    try {
      await this.store.delete(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name);
    } catch (e) {
      if (!isKiteError(e, 'NotFound') && !isKiteError(e, 'Conflict')) throw e;
    }
  }
}

/** The labels a system namespace must carry: kube-system runs the node-level system pods (privileged). */
const SYSTEM_NAMESPACE_LABELS: Readonly<Record<string, Record<string, string>>> = {
  'kube-system': { [POD_SECURITY_ENFORCE_LABEL]: 'privileged' },
};

/**
 * Creates the system namespaces that do not exist yet, with their labels, and gives an existing
 * one a required label it lacks (a cluster from before the label; every controller does this at start).
 */
export async function ensureSystemNamespaces(store: ObjectStore): Promise<void> {
  await Promise.all(
    SYSTEM_NAMESPACES.map(async (name) => {
      const labels = SYSTEM_NAMESPACE_LABELS[name];
      const existing = await store.get<Namespace>('Namespace', '', name);
      if (existing) return labels ? addMissingLabels(store, existing, labels) : undefined;
      try {
        await store.create<Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) }, spec: {} } as Namespace);
      } catch (e) {
        if (!isKiteError(e, 'AlreadyExists')) throw e;
      }
    }),
  );
}

/** Adds the labels the namespace has no value for; a value set by someone is kept. */
async function addMissingLabels(store: ObjectStore, first: Namespace, labels: Record<string, string>): Promise<void> {
  let ns: Namespace | undefined = first;
  // A Conflict: someone else wrote it meanwhile (perhaps another controller starting); look again.
  for (let attempt = 0; ns && attempt < 5; attempt++) {
    const missing = Object.entries(labels).filter(([k]) => ns!.metadata.labels?.[k] === undefined);
    if (!missing.length) return;
    try {
      await store.update<Namespace>({ ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, ...Object.fromEntries(missing) } } });
      return;
    } catch (e) {
      if (!isKiteError(e, 'Conflict')) throw e;
      ns = await store.get<Namespace>('Namespace', '', ns.metadata.name);
    }
  }
}
