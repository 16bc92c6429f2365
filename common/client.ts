// A typed client for the Kite API, used by the CLI, tests and benchmarks.
import type { KObject } from './api/types';
import type { KiteClient as GrpcKiteClient } from './generated/kite/v1/Kite';
import type { ApplyResponse__Output } from './generated/kite/v1/ApplyResponse';
import type { ObjectResponse__Output } from './generated/kite/v1/ObjectResponse';
import type { ListResponse__Output } from './generated/kite/v1/ListResponse';
import type { VersionResponse__Output } from './generated/kite/v1/VersionResponse';
import type { WatchEvent__Output } from './generated/kite/v1/WatchEvent';
import type { LogsRequest } from './generated/kite/v1/LogsRequest';
import type { ExecInput } from './generated/kite/v1/ExecInput';
import type { ExecOutput__Output } from './generated/kite/v1/ExecOutput';
import type { PortForwardInput } from './generated/kite/v1/PortForwardInput';
import type { PortForwardOutput__Output } from './generated/kite/v1/PortForwardOutput';
import type { LogChunk__Output } from './generated/kite/v1/LogChunk';
import { grpc, loadProto, fromServiceError } from './grpc';
import { dial, type TransportSecurity } from './transport';
import { clientSecurity, readClientConfig } from './client-config';
import type { TokenInfo__Output } from './generated/kite/v1/TokenInfo';
import type { UserInfo__Output } from './generated/kite/v1/UserInfo';
import type { CreateTokenResponse__Output } from './generated/kite/v1/CreateTokenResponse';
import type { CreateUserResponse__Output } from './generated/kite/v1/CreateUserResponse';
import type { WhoAmIResponse__Output } from './generated/kite/v1/WhoAmIResponse';
import type { CreateKubeconfigResponse__Output } from './generated/kite/v1/CreateKubeconfigResponse';
import { AsyncQueue } from './async-queue';

export interface DeleteOptions {
  resourceVersion?: string;
  /** A pod's grace in seconds; unset means the pod's own; 0 removes it at once. */
  gracePeriodSeconds?: number;
}

export interface ListQuery {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchedEvent<T extends KObject = KObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object?: T;
  resourceVersion: string;
}

export class KiteClient {
  readonly raw: GrpcKiteClient;

  constructor(
    readonly target: string,
    security: TransportSecurity,
    private readonly timeoutMs = 30_000,
  ) {
    this.raw = dial(target, loadProto().kite.v1.Kite, { security });
  }

  /** A client with the credential in a config file (its server unless `target` is given). */
  static fromConfigFile(file: string, target?: string, timeoutMs?: number): KiteClient {
    const config = readClientConfig(file);
    const server = target ?? config.server;
    if (!server) throw new Error(`${file} names no server`);
    return new KiteClient(server, clientSecurity(config, file), timeoutMs);
  }

  private deadline(): grpc.CallOptions {
    return { deadline: Date.now() + this.timeoutMs };
  }

  private call<Res>(fn: (opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      fn(this.deadline(), (err, res) => (err ? reject(fromServiceError(err, this.target)) : resolve(res as Res)));
    });
  }

  apply(objects: KObject[], dryRun = false): Promise<ApplyResponse__Output> {
    return this.call<ApplyResponse__Output>((o, cb) => this.raw.Apply({ objects_json: objects.map((x) => JSON.stringify(x)), dry_run: dryRun }, o, cb));
  }

  async get<T extends KObject = KObject>(kind: string, name: string, namespace = ''): Promise<T> {
    const res = await this.call<ObjectResponse__Output>((o, cb) => this.raw.Get({ kind, name, namespace }, o, cb));
    return JSON.parse(res.object_json) as T;
  }

  async list<T extends KObject = KObject>(kind: string, q: ListQuery = {}): Promise<{ items: T[]; resourceVersion: string }> {
    const req = {
      kind,
      namespace: q.namespace ?? '',
      all_namespaces: q.allNamespaces ?? false,
      label_selector: q.labelSelector ?? '',
      field_selector: q.fieldSelector ?? '',
    };
    const res = await this.call<ListResponse__Output>((o, cb) => this.raw.List(req, o, cb));
    return { items: res.items_json.map((j) => JSON.parse(j) as T), resourceVersion: res.resource_version };
  }

  async update<T extends KObject>(obj: T): Promise<T> {
    const res = await this.call<ObjectResponse__Output>((o, cb) => this.raw.Update({ object_json: JSON.stringify(obj) }, o, cb));
    return JSON.parse(res.object_json) as T;
  }

  async updateStatus<T extends KObject>(obj: T): Promise<T> {
    const res = await this.call<ObjectResponse__Output>((o, cb) => this.raw.UpdateStatus({ object_json: JSON.stringify(obj) }, o, cb));
    return JSON.parse(res.object_json) as T;
  }

  /**
   * Deletes an object, or marks it Terminating when deletion waits for the system (pods,
   * namespaces, finalizers). `opts` may hold a resourceVersion precondition and a pod's grace
   * period (0 removes the pod at once).
   */
  async delete(kind: string, name: string, namespace = '', opts: DeleteOptions = {}): Promise<KObject> {
    const { resourceVersion = '', gracePeriodSeconds } = opts;
    const req = { ref: { kind, name, namespace }, resource_version: resourceVersion, ...(gracePeriodSeconds !== undefined ? { grace_period_seconds: gracePeriodSeconds } : {}) };
    const res = await this.call<ObjectResponse__Output>((o, cb) => this.raw.Delete(req, o, cb));
    return JSON.parse(res.object_json) as KObject;
  }

  version(): Promise<VersionResponse__Output> {
    return this.call<VersionResponse__Output>((o, cb) => this.raw.Version({}, o, cb));
  }

  /** Follows changes; iterate with for-await, abort the signal to stop. Errors arrive as KiteErrors. */
  watch<T extends KObject = KObject>(kind: string, q: ListQuery & { resourceVersion?: string }, signal: AbortSignal): AsyncIterable<WatchedEvent<T>> {
    const queue = new AsyncQueue<WatchedEvent<T>>();
    const call = this.raw.Watch({
      kind,
      namespace: q.namespace ?? '',
      all_namespaces: q.allNamespaces ?? false,
      label_selector: q.labelSelector ?? '',
      field_selector: q.fieldSelector ?? '',
      resource_version: q.resourceVersion ?? '',
    });
    call.on('data', (ev: WatchEvent__Output) =>
      queue.push({ type: ev.type as WatchedEvent['type'], object: ev.object_json ? (JSON.parse(ev.object_json) as T) : undefined, resourceVersion: ev.resource_version }),
    );
    call.on('end', () => queue.end());
    call.on('error', (e: grpc.ServiceError) => {
      if (signal.aborted) queue.end();
      else queue.fail(fromServiceError(e, this.target));
    });
    signal.addEventListener('abort', () => call.cancel(), { once: true });
    return queue;
  }

  logs(req: LogsRequest): grpc.ClientReadableStream<LogChunk__Output> {
    return this.raw.Logs(req);
  }

  exec(): grpc.ClientDuplexStream<ExecInput, ExecOutput__Output> {
    return this.raw.Exec();
  }

  /** One forwarded connection: write `start`, then data / close_write; read the pod's bytes. */
  portForward(): grpc.ClientDuplexStream<PortForwardInput, PortForwardOutput__Output> {
    return this.raw.PortForward();
  }

  async createToken(ttlSeconds: number, description = ''): Promise<CreateTokenResponse__Output> {
    return this.call<CreateTokenResponse__Output>((o, cb) => this.raw.CreateToken({ ttl_seconds: ttlSeconds, description }, o, cb));
  }

  async listTokens(): Promise<TokenInfo__Output[]> {
    return (await this.call<{ tokens: TokenInfo__Output[] }>((o, cb) => this.raw.ListTokens({}, o, cb))).tokens;
  }

  async deleteToken(id: string): Promise<void> {
    await this.call((o, cb) => this.raw.DeleteToken({ id }, o, cb));
  }

  /** Registers a user and has the CA sign `csr` (made with a key the caller keeps). */
  async createUser(name: string, role: string, namespace: string, csr: string): Promise<CreateUserResponse__Output> {
    return this.call<CreateUserResponse__Output>((o, cb) => this.raw.CreateUser({ name, role, namespace, csr }, o, cb));
  }

  async listUsers(): Promise<UserInfo__Output[]> {
    return (await this.call<{ users: UserInfo__Output[] }>((o, cb) => this.raw.ListUsers({}, o, cb))).users;
  }

  async deleteUser(name: string): Promise<void> {
    await this.call((o, cb) => this.raw.DeleteUser({ name }, o, cb));
  }

  whoAmI(): Promise<WhoAmIResponse__Output> {
    return this.call<WhoAmIResponse__Output>((o, cb) => this.raw.WhoAmI({}, o, cb));
  }

  /**
   * The Kubernetes API's URL and CA; with `user` naming another user (admins only), also a new
   * API token for it, valid `ttlSeconds` (0: the server's default, one year).
   */
  createKubeconfig(user = '', ttlSeconds = 0): Promise<CreateKubeconfigResponse__Output> {
    return this.call<CreateKubeconfigResponse__Output>((o, cb) => this.raw.CreateKubeconfig({ user, ttl_seconds: ttlSeconds }, o, cb));
  }

  close(): void {
    this.raw.close();
  }
}
