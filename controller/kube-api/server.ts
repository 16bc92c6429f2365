// The Kubernetes HTTP API of a controller, so kubectl and the Kubernetes client libraries work
// against Kite. HTTPS with the controller's certificate; callers authenticate with a client
// certificate from the cluster CA or a user's bearer token, and are authorized by the same roles
// as the gRPC API, inside ApiService. This file authenticates, routes and answers; what each
// request does lives in resources.ts (objects), discovery/openapi/table.ts (documents),
// metrics-api.ts and streams/ (exec, attach, port-forward).
import * as http from 'node:http';
import * as https from 'node:https';
import type * as stream from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Endpoints, Node, Pod } from '../../common/api/types';
import type { CertificateSource } from '../../common/pki/certificate-source';
import { identityOfPeer, type Identity } from '../../common/pki/identity';
import { unauthenticated } from '../../common/errors';
import type { Logger } from '../../common/log';
import { listen } from '../../common/net';
import type { ApiService } from '../api/service';
import { parseApiPath, type ApiPath, type ResourcePath } from './paths';
import { errorStatus, rejectOnSocket } from './streams/status';
import { ResourceHandlers, kindOf, type Reply } from './resources';
import { HttpError, badRequest, notFoundPath, statusFromError } from './status';
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions, groupOf, versionInfo, wantsAggregated } from './discovery';
import { openApiV3Document, openApiV3Index } from './openapi';
import { SERVICE_NAME_LABEL, endpointSlicesOf, serviceNameSelected } from './endpoint-slices';
import { nodeMetricsList, nodeMetrics, podMetrics, podMetricsList } from './metrics-api';

/** Serves a pod's exec, attach or port-forward on an upgraded connection (streams/). */
export type PodStreamUpgrade = (
  caller: Identity,
  target: { namespace: string; pod: string; subresource: 'exec' | 'attach' | 'portforward'; query: URLSearchParams },
  req: http.IncomingMessage,
  socket: stream.Duplex,
  head: Buffer,
) => void;

export interface KubeApiDeps {
  api: ApiService;
  kiteVersion: string;
  /** The controller's certificate and the cluster CA; undefined only for the benchmarks' plaintext baseline. */
  certificates: CertificateSource | undefined;
  /** A user's identity from `Authorization: Bearer ...`, or undefined. */
  authenticateBearer: (header: string | undefined) => Identity | undefined;
  /** The plaintext baseline's caller (everyone is the admin there). */
  plaintextCaller?: Identity;
  podStreams?: PodStreamUpgrade;
  log: Logger;
}

const UNAUTHENTICATED = 'Unauthorized: present a client certificate from the cluster CA or a bearer token (`kite kubeconfig` writes either)';

export class KubeApiServer {
  private readonly server: http.Server;
  private readonly resources: ResourceHandlers;
  private readonly log: Logger;
  /** Upgraded connections (exec, port-forward): the HTTP server no longer tracks them, stop() ends them. */
  private readonly upgraded = new Set<stream.Duplex>();
  private readonly socketIdentities = new WeakMap<TLSSocket, Identity | null>();
  port = 0;

  constructor(private readonly deps: KubeApiDeps) {
    this.log = deps.log;
    this.resources = new ResourceHandlers(deps.api);
    // serve() answers its own failures; this catch is the last guard of the process.
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) =>
      void this.serve(req, res).catch((e: unknown) => {
        this.log.error({ component: 'kube-api', err: e }, 'request handler failed');
        res.destroy();
      });
    const certs = deps.certificates;
    if (certs) {
      const server = https.createServer({ ...tlsOptions(certs), requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, onRequest);
      // A renewed controller certificate serves new connections at once.
      certs.addIdentityCertificateListener(() => server.setSecureContext(tlsOptions(certs)));
      this.server = server;
    } else {
      this.server = http.createServer(onRequest);
    }
    this.server.on('upgrade', (req: http.IncomingMessage, socket: stream.Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.server.on('clientError', (_e, socket) => socket.destroy());
    // Watches and log streams are long; the API server's own request timeout does not apply to them.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 30_000;
  }

  async start(listenAddress: string): Promise<number> {
    this.port = await listen(this.server, listenAddress);
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.upgraded) socket.destroy();
    });
  }

  /** Who is calling: a verified client certificate first, then a bearer token. */
  private identify(req: http.IncomingMessage): Identity {
    if (this.deps.plaintextCaller) return this.deps.plaintextCaller;
    const socket = req.socket as TLSSocket;
    if (socket.authorized) {
      // A kept-alive connection presents the same certificate for every request: read it once.
      let identity = this.socketIdentities.get(socket);
      if (identity === undefined) {
        identity = identityOfPeer(socket.getPeerCertificate()) ?? null;
        this.socketIdentities.set(socket, identity);
      }
      if (identity) return identity;
    }
    const bearer = this.deps.authenticateBearer(req.headers.authorization);
    if (bearer) return bearer;
    throw unauthenticated(UNAUTHENTICATED);
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    let target: ApiPath | undefined;
    let url = new URL('https://kite/');
    try {
      url = parseUrl(req.url);
      target = parseApiPath(url.pathname);
      if (url.pathname === '/healthz' || url.pathname === '/livez' || url.pathname === '/readyz') return text(res, 200, 'ok');
      if (!target) throw notFoundPath();
      // Anyone may read the version, as in Kubernetes (system:public-info-viewer): /usr/bin/kubectl asks it first.
      if (target.type === 'version') return json(res, 200, versionInfo(this.deps.kiteVersion));
      const caller = this.identify(req);
      const reply = await this.route(caller, method, target, url, req, res);
      if ('streamed' in reply) return;
      json(res, reply.code, reply.body, reply.warnings, reply.contentType);
    } catch (e) {
      this.fail(res, e, target, method, url.pathname);
    }
  }

  private async route(caller: Identity, method: string, target: ApiPath, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<Reply> {
    const accept = req.headers.accept ?? '';
    if (target.type !== 'resource' && method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`);
    switch (target.type) {
      case 'api':
        return wantsAggregated(accept) ? { code: 200, body: aggregatedDiscovery('api'), contentType: AGGREGATED_DISCOVERY_CONTENT_TYPE } : { code: 200, body: apiVersions() };
      case 'apis':
        return wantsAggregated(accept) ? { code: 200, body: aggregatedDiscovery('apis'), contentType: AGGREGATED_DISCOVERY_CONTENT_TYPE } : { code: 200, body: apiGroupList() };
      case 'group': {
        const group = groupOf(target.group);
        if (!group) throw notFoundPath();
        return { code: 200, body: group };
      }
      case 'groupVersion': {
        const list = apiResourceList(target.group, target.version);
        if (!list) throw notFoundPath();
        return { code: 200, body: list };
      }
      case 'openapiV2':
        // kubectl falls back to its built-in types on a 404.
        throw notFoundPath('OpenAPI v2 is not served; use /openapi/v3');
      case 'openapiV3':
        return { code: 200, body: openApiV3Index() };
      case 'openapiV3Document': {
        const doc = openApiV3Document(target.groupVersion);
        if (!doc) throw notFoundPath();
        return { code: 200, body: doc };
      }
      case 'version':
        return { code: 200, body: versionInfo(this.deps.kiteVersion) };
      case 'resource':
        if (target.group === 'metrics.k8s.io') return this.metrics(caller, method, target);
        if (target.group === 'discovery.k8s.io' && target.version === 'v1' && target.resource === 'endpointslices' && !target.name) return this.endpointSlices(caller, method, target, url.searchParams);
        return this.resources.handle({ caller, method, target, query: url.searchParams, req, res });
    }
  }

  /** metrics.k8s.io: the usage agents report, read through the caller's own list/get rights. */
  private async metrics(caller: Identity, method: string, target: ResourcePath): Promise<Reply> {
    if (method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', 'metrics are read-only');
    const now = Date.now();
    if (target.resource === 'nodes' && target.namespace === undefined) {
      if (target.name) {
        const m = nodeMetrics((await this.deps.api.get(caller, 'Node', undefined, target.name)) as Node, now);
        if (!m) throw notFoundPath(`nodemetrics.metrics.k8s.io "${target.name}" not found`);
        return { code: 200, body: m };
      }
      return { code: 200, body: nodeMetricsList((await this.deps.api.list(caller, 'Node')).items as Node[], now) };
    }
    if (target.resource === 'pods') {
      if (target.name) {
        const m = podMetrics((await this.deps.api.get(caller, 'Pod', target.namespace, target.name)) as Pod, now);
        if (!m) throw notFoundPath(`podmetrics.metrics.k8s.io "${target.namespace}/${target.name}" not found`);
        return { code: 200, body: m };
      }
      const { items } = await this.deps.api.list(caller, 'Pod', { namespace: target.namespace, allNamespaces: target.namespace === undefined });
      return { code: 200, body: podMetricsList(items as Pod[], now) };
    }
    throw notFoundPath();
  }

  /** A read-only list of EndpointSlices projected from Endpoints (all of a namespace, or one Service's). */
  private async endpointSlices(caller: Identity, method: string, target: ResourcePath, query: URLSearchParams): Promise<Reply> {
    if (method !== 'GET' || query.get('watch')) throw new HttpError(405, 'MethodNotAllowed', 'EndpointSlices are a read-only view of Endpoints here; list them, or read the Endpoints');
    const service = serviceNameSelected(query.get('labelSelector'));
    if (query.get('labelSelector') && !service) throw new HttpError(400, 'BadRequest', `EndpointSlices can be selected by ${SERVICE_NAME_LABEL}=NAME only`);
    const { items, resourceVersion } = await this.deps.api.list(caller, 'Endpoints', {
      namespace: target.namespace,
      allNamespaces: target.namespace === undefined,
      ...(service ? { fieldSelector: `metadata.name=${service}` } : {}),
    });
    return { code: 200, body: { kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion }, items: (items as Endpoints[]).flatMap(endpointSlicesOf) } };
  }

  private upgrade(req: http.IncomingMessage, socket: stream.Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    try {
      const url = parseUrl(req.url);
      const target = parseApiPath(url.pathname);
      const sub = target?.type === 'resource' ? target.subresource : undefined;
      if (target?.type !== 'resource' || !target.namespace || !target.name || (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward') || kindOf(target).kind !== 'Pod') {
        throw notFoundPath('only pods/exec, pods/attach and pods/portforward take an upgrade');
      }
      const caller = this.identify(req);
      if (!this.deps.podStreams) throw new HttpError(503, 'ServiceUnavailable', 'pod streams are not available on this controller');
      this.deps.podStreams(caller, { namespace: target.namespace, pod: target.name, subresource: sub, query: url.searchParams }, req, socket, head);
    } catch (e) {
      rejectOnSocket(socket, errorStatus(e));
    }
  }

  private fail(res: http.ServerResponse, e: unknown, target: ApiPath | undefined, method: string, path: string): void {
    const status = statusFromError(e, target?.type === 'resource' ? subjectOf(target) : {});
    if (status.code >= 500) this.log.error({ component: 'kube-api', err: e, method, path }, 'request failed');
    if (res.headersSent) {
      // A stream that failed midway: nothing more can be said on this response.
      res.destroy();
      return;
    }
    json(res, status.code, status);
  }
}


/** The request's URL; a request line the URL parser refuses is a 400, not an internal error. */
function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'https://kite');
  } catch {
    throw badRequest('the request path is not a valid URL');
  }
}

function subjectOf(target: ResourcePath) {
  try {
    const def = kindOf(target);
    return { resource: def.plural, kind: def.kind, group: target.group, name: target.name };
  } catch {
    return {};
  }
}

function tlsOptions(certs: CertificateSource): { key: string; cert: string; ca: string } {
  const id = certs.identity;
  if (!id) throw new Error('the controller has no certificate yet');
  return { key: id.key, cert: id.cert, ca: certs.ca };
}

/** Kubernetes' `Warning: 299 - "text"` headers; kubectl prints each as `Warning: text`. */
function warningHeaders(warnings: readonly string[]): string[] {
  return [...new Set(warnings)].slice(0, 50).map((w) => `299 - ${JSON.stringify(w.replace(/[^\x20-\x7e]/g, ' ').slice(0, 1024))}`);
}

function json(res: http.ServerResponse, code: number, body: unknown, warnings: readonly string[] = [], contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  if (warnings.length) res.setHeader('Warning', warningHeaders(warnings));
  res.writeHead(code, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache, private' });
  res.end(text);
}

function text(res: http.ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

