// Objects are written only into namespaces that exist and are not being deleted, as Kubernetes'
// NamespaceLifecycle admission. Checked for users' writes (apply, update); the system's own
// controllers write only where users' objects already are, and the namespace controller keeps
// deleting until a Terminating namespace is empty.
import type { Namespace } from '../../common/api/types';
import { KiteError, notFound } from '../../common/errors';
import type { ObjectStore } from '../store/types';
import { SYSTEM_NAMESPACES, ensureSystemNamespaces } from '../namespaces/namespace-controller';

export class NamespaceGate {
  constructor(private readonly store: ObjectStore) {}

  /**
   * Throws unless every namespace in `namespaces` can take new objects. `createdAlongside` are
   * namespaces the same request creates first (an apply of a Namespace and what goes in it).
   */
  async check(namespaces: Iterable<string>, createdAlongside: ReadonlySet<string> = new Set()): Promise<void> {
    const wanted = [...new Set(namespaces)].filter((ns) => ns && !createdAlongside.has(ns));
    const found = await Promise.all(wanted.map((ns) => this.store.get<Namespace>('Namespace', '', ns)));
    // The namespaces every cluster has may not be created yet right after the first start.
    if (wanted.some((ns, i) => !found[i] && SYSTEM_NAMESPACES.includes(ns))) return this.afterBootstrap(wanted, createdAlongside);
    wanted.forEach((name, i) => {
      const ns = found[i];
      if (!ns) throw notFound(`namespaces "${name}" not found`);
      if (ns.metadata.deletionTimestamp) {
        throw new KiteError('Forbidden', `unable to create new content in namespace ${name} because it is being terminated`);
      }
    });
  }

  private async afterBootstrap(wanted: string[], createdAlongside: ReadonlySet<string>): Promise<void> {
    await ensureSystemNamespaces(this.store);
    const rest = wanted.filter((ns) => !SYSTEM_NAMESPACES.includes(ns));
    if (rest.length) await this.check(rest, createdAlongside);
  }
}
