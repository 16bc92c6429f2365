// kite port-forward TYPE/NAME [LOCAL:]REMOTE...: listens locally; every accepted connection is one
// stream CLI → controller → the pod's agent → pod IP:REMOTE. The pod is chosen once, at the start,
// as kubectl does (a service or deployment forwards to one of its pods, not through the service).
import * as net from 'node:net';
import type { Deployment, Endpoints, Pod, Service } from '../../common/api/types';
import { fromServiceError } from '../../common/grpc';
import { errorMessage, invalid, isKiteError, notFound } from '../../common/errors';
import { formatSelector } from '../../common/print/labels';
import { type CliContext, splitTypeName } from '../context';
import { parsePortPair, pickDeploymentPod, pickEndpointPod, requireRunning, serviceTargetPort, type PortPair } from '../docker/forward-target';
import { relayConnection } from '../docker/forward-relay';

export interface PortForwardFlags {
  address?: string[];
}

export async function portForwardCommand(ctx: CliContext, target: string, portSpecs: string[], flags: PortForwardFlags): Promise<void> {
  if (!portSpecs.length) throw invalid('port-forward needs at least one port, e.g. kite port-forward pod/web 8080:80');
  const pairs = portSpecs.map(parsePortPair);
  const addresses = flags.address?.length ? flags.address.flatMap((a) => a.split(',')) : ['127.0.0.1'];
  for (const a of addresses) if (a !== 'localhost' && !net.isIP(a)) throw invalid(`--address ${a}: must be an IP address or localhost`);
  const { pod, ports } = await resolveTarget(ctx, target.includes('/') ? target : `pod/${target}`, pairs);
  const namespace = ctx.namespace;

  const servers: net.Server[] = [];
  for (const [i, pair] of pairs.entries()) {
    const remote = ports[i]!;
    let local = pair.local;
    for (const address of addresses) {
      const server = net.createServer({ allowHalfOpen: true }, (socket) => {
        process.stdout.write(`Handling connection for ${local}\n`);
        relayConnection(socket, ctx.client.portForward(), { namespace, pod: pod.metadata.name, port: remote }, (e) => {
          process.stderr.write(`error: an error occurred forwarding ${local} -> ${remote}: ${errorMessage(fromServiceError(e, ctx.client.target))}\n`);
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e) => reject(invalid(`unable to listen on ${address}:${local}: ${errorMessage(e)}`)));
        server.listen(local, address === 'localhost' ? '127.0.0.1' : address, () => resolve());
      });
      // `:80` picks a free port once; the other addresses reuse it.
      local = (server.address() as net.AddressInfo).port;
      servers.push(server);
      const shown = address.includes(':') ? `[${address}]` : address === 'localhost' ? '127.0.0.1' : address;
      process.stdout.write(`Forwarding from ${shown}:${local} -> ${remote}\n`);
    }
  }
  // Until Ctrl-C (or a TERM): then stop listening; connections in flight end with the process.
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  for (const s of servers) s.close();
}

/** The pod to forward to, and the pod port each requested remote port means. */
async function resolveTarget(ctx: CliContext, target: string, pairs: PortPair[]): Promise<{ pod: Pod; ports: number[] }> {
  const { info, name } = splitTypeName(target);
  const namespace = ctx.namespace;
  const get = async <T extends Pod | Deployment | Service | Endpoints>(kind: string, n: string): Promise<T> =>
    ctx.client.get<T>(kind, n, namespace).catch((e: unknown) => {
      if (isKiteError(e, 'NotFound')) throw notFound(`${kind === 'Endpoints' ? 'endpoints' : info.plural} "${n}" not found in namespace "${namespace}"`);
      throw e;
    });
  switch (info.kind) {
    case 'Pod':
      return { pod: requireRunning(await get<Pod>('Pod', name)), ports: pairs.map((p) => p.remote) };
    case 'Deployment': {
      const d = await get<Deployment>('Deployment', name);
      const pods = await ctx.client.list<Pod>('Pod', { namespace, labelSelector: formatSelector(d.spec.selector) });
      return { pod: pickDeploymentPod(d, pods.items), ports: pairs.map((p) => p.remote) };
    }
    case 'Service': {
      const svc = await get<Service>('Service', name);
      const endpoints = await get<Endpoints>('Endpoints', name).catch(() => undefined);
      const pod = requireRunning(await get<Pod>('Pod', pickEndpointPod(svc, endpoints)));
      return { pod, ports: pairs.map((p) => serviceTargetPort(svc, p.remote, pod)) };
    }
    default:
      throw invalid(`cannot port-forward to a ${info.kind}: use pod/NAME, deployment/NAME or svc/NAME`);
  }
}
