// kite expose deployment/NAME --port P: a Service in front of what a deployment, pod or service selects.
import { alreadyExists, isKiteError, notFound } from '../../common/errors';
import { type CliContext, splitTypeName } from '../context';
import { buildExposedService, type ExposeFlags } from '../docker/expose-service';

export async function exposeCommand(ctx: CliContext, target: string, nameArg: string | undefined, flags: ExposeFlags): Promise<void> {
  const { info, name } = splitTypeName(target, nameArg);
  const namespace = ctx.namespace;
  const obj = await ctx.client.get(info.kind, name, namespace).catch((e: unknown) => {
    if (isKiteError(e, 'NotFound')) throw notFound(`${info.plural} "${name}" not found in namespace "${namespace}"`);
    throw e;
  });
  const svc = buildExposedService(obj, namespace, flags);
  const existing = await ctx.client.get('Service', svc.metadata.name, namespace).catch((e: unknown) => {
    if (isKiteError(e, 'NotFound')) return undefined;
    throw e;
  });
  if (existing) throw alreadyExists(`services "${svc.metadata.name}" already exists`);
  await ctx.client.apply([svc], false);
  process.stdout.write(`service/${svc.metadata.name} exposed\n`);
}
