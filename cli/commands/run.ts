// kite run: docker run's shape on a cluster. `kite run web --image nginx -p 8080:80` makes a
// Deployment and a LoadBalancer Service; `kite run tmp --image busybox --rm -it -- sh` makes a pod,
// gives the terminal to the command and removes the pod afterwards, exiting with the command's code.
import type { KObject } from '../../common/api/types';
import { alreadyExists, isKiteError } from '../../common/errors';
import { parseDuration } from '../../common/flags';
import { type CliContext, qualifiedName } from '../context';
import { buildRunPlan, type RunFlags } from '../docker/run-objects';
import { waitForRunningPod } from '../docker/pod-wait';
import { execCommand } from './streams';

export interface RunCommandFlags extends RunFlags {
  podRunningTimeout?: string;
}

/** Resolves with kite's exit code: the attached command's, or 0. */
export async function runCommand(ctx: CliContext, name: string, args: string[], flags: RunCommandFlags): Promise<number> {
  const namespace = ctx.namespace;
  const plan = buildRunPlan(name, namespace, flags, args);
  const waitMs = flags.podRunningTimeout ? parseDuration(flags.podRunningTimeout, '--pod-running-timeout') : 60_000;
  const objects: KObject[] = plan.mode === 'pod' ? [plan.pod] : [plan.deployment, ...(plan.service ? [plan.service] : [])];
  // apply would update what exists; run must refuse it, as docker run and kubectl run do.
  for (const o of objects) {
    const existing = await ctx.client.get(o.kind, o.metadata.name, namespace).catch((e: unknown) => {
      if (isKiteError(e, 'NotFound')) return undefined;
      throw e;
    });
    if (existing) throw alreadyExists(`${qualifiedName({ kind: o.kind, name: o.metadata.name })} already exists in namespace "${namespace}"`);
  }
  const res = await ctx.client.apply(objects, false);
  const quiet = plan.mode === 'pod' && plan.attach;
  if (!quiet) for (const r of res.results) process.stdout.write(`${qualifiedName(r)} ${r.action}\n`);
  if (plan.mode === 'deployment' || !plan.attach) return 0;

  const remove = async () => {
    if (!plan.rm) return;
    await ctx.client.delete('Pod', name, namespace, { gracePeriodSeconds: 1 }).catch(() => undefined);
    process.stderr.write(`pod "${name}" deleted\n`);
  };
  const onSignal = () => void remove().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  try {
    await waitForRunningPod(ctx.client, name, namespace, waitMs);
    return await execCommand(ctx, name, plan.attach, { stdin: true, tty: flags.tty });
  } finally {
    process.off('SIGINT', onSignal);
    await remove();
  }
}
