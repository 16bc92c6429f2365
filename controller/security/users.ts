// Users: a name, a role and an optional namespace, kept in etcd. A user proves the name with a
// client certificate from the cluster CA; the role is looked up on every call (from a watched
// in-memory copy), so deleting a user or changing a role takes effect at once, before the
// certificate expires.
import type { Etcd3, Watcher } from 'etcd3';
import { alreadyExists, invalid, notFound } from '../../common/errors';
import type { Logger } from '../../common/log';
import { dns1123SubdomainError } from '../../common/manifest/names';
import type { KeyLayout } from '../store/keys';

export const ROLES = ['view', 'edit', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface UserRecord {
  name: string;
  role: Role;
  /** Set: the role applies in this namespace only. */
  namespace?: string;
  created: string;
}

/** The user `npm run up` and the controller's `--admin-config` write a credential for. */
export const ADMIN_USER = 'admin';

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export class UserStore {
  private readonly byName = new Map<string, UserRecord>();
  private watcher: Watcher | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly keys: KeyLayout,
    private readonly log: Logger,
  ) {}

  /** Loads every user and follows changes. */
  async start(): Promise<void> {
    const w = await this.client.watch().prefix(this.keys.users).create();
    w.on('put', (kv) => this.remember(kv.value.toString('utf8')));
    w.on('delete', (kv) => this.byName.delete(kv.key.toString('utf8').slice(this.keys.users.length)));
    w.on('error', (e) => this.log.warn({ component: 'users', err: String(e) }, 'users watch failed; reconnecting'));
    this.watcher = w;
    const all = await this.client.getAll().prefix(this.keys.users).strings();
    for (const text of Object.values(all)) this.remember(text);
  }

  async stop(): Promise<void> {
    await this.watcher?.cancel();
  }

  /** The user, as of the last change seen. */
  get(name: string): UserRecord | undefined {
    return this.byName.get(name);
  }

  list(): UserRecord[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async create(name: string, role: string, namespace: string | undefined): Promise<UserRecord> {
    const nameProblem = dns1123SubdomainError(name);
    if (nameProblem) throw invalid(`user name "${name}": ${nameProblem}`);
    if (!isRole(role)) throw invalid(`--role "${role}": must be one of ${ROLES.join(', ')}`);
    if (namespace !== undefined) {
      const nsProblem = dns1123SubdomainError(namespace);
      if (nsProblem) throw invalid(`namespace "${namespace}": ${nsProblem}`);
    }
    const record: UserRecord = { name, role, ...(namespace ? { namespace } : {}), created: new Date().toISOString() };
    const key = this.keys.users + name;
    const res = await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(JSON.stringify(record))).commit();
    if (!res.succeeded) throw alreadyExists(`user "${name}" already exists`);
    this.byName.set(name, record);
    return record;
  }

  /** Creates the user unless it exists (the admin, at every controller start). */
  async ensure(name: string, role: Role): Promise<void> {
    const key = this.keys.users + name;
    const record: UserRecord = { name, role, created: new Date().toISOString() };
    await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(JSON.stringify(record))).commit();
    if (!this.byName.has(name)) this.byName.set(name, record);
  }

  async delete(name: string): Promise<void> {
    const res = await this.client.delete().key(this.keys.users + name).exec();
    if (Number(res.deleted) === 0) throw notFound(`user "${name}" not found`);
    this.byName.delete(name);
  }

  private remember(text: string): void {
    try {
      const r = JSON.parse(text) as UserRecord;
      if (typeof r.name === 'string' && isRole(r.role)) this.byName.set(r.name, r);
    } catch {
      this.log.warn({ component: 'users' }, 'ignoring a malformed user record in etcd');
    }
  }
}
