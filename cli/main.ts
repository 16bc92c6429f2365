#!/usr/bin/env node
// kite: the kubectl-shaped command line for a Kite cluster.
import { Command, InvalidArgumentError, Option } from 'commander';
import { KITE_VERSION } from '../common/version';
import { isKiteError, errorMessage, type ErrorCode } from '../common/errors';
import { CliContext, type GlobalFlags } from './context';
import { applyCommand } from './commands/apply';
import { convertCommand } from './commands/convert';
import { createCommand, type CreateFlags } from './commands/create';
import { deleteCommand, deleteFilesCommand, type DeleteFlags } from './commands/delete';
import { getCommand, describeCommand, eventsCommand } from './commands/get';
import { logsCommand, execCommand } from './commands/streams';
import { scaleCommand, historyCommand, undoCommand, statusCommand } from './commands/rollout';
import { cordonCommand, drainCommand } from './commands/nodes';
import { versionCommand, topCommand } from './commands/info';
import { registerSecurityCommands } from './commands/security';
import { registerKubeconfigCommand } from './commands/kubeconfig';
import { runCommand } from './commands/run';
import { exposeCommand } from './commands/expose';
import { portForwardCommand } from './commands/port-forward';
import { cpCommand } from './commands/cp';
import { imagePushCommand, imageListCommand } from './commands/image';

const collect = (v: string, prev: string[] = []) => [...prev, v];
/** `--wait`, `--wait=true`, `--wait=false`, as kubectl's boolean flags. */
const parseBool = (v: string): boolean => {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InvalidArgumentError(`"${v}" is not true or false`);
};

const program = new Command('kite')
  .description('Kite: run containers across many Docker hosts, the kubectl way')
  .version(KITE_VERSION, '--client-version', 'print the client version')
  .addOption(new Option('-s, --server <host:port>', 'controller address [env KITE_SERVER, ~/.kite/config]'))
  .addOption(new Option('-n, --namespace <ns>', 'namespace (default "default")'))
  .addOption(new Option('--request-timeout <duration>', 'give up on a request after this long (e.g. 10s)'))
  .showSuggestionAfterError(true)
  .configureOutput({ outputError: (str, write) => write(str.startsWith('error: ') ? 'Error: ' + str.slice(7) : str) });

let ctx: CliContext;
program.hook('preAction', () => {
  const g = program.opts<GlobalFlags>();
  ctx = new CliContext(g);
});

program
  .command('apply')
  .description('create or update objects from manifests')
  .requiredOption('-f, --filename <file>', 'file, directory or - for stdin (repeatable)', collect)
  .option('--dry-run', 'validate and show what would change without writing')
  .option('-p, --project-name <name>', 'Compose files: the project name (and namespace)')
  .option('--profile <profile>', 'Compose files: also convert the services of this profile (repeatable)', collect)
  .action(async (o: { filename: string[]; dryRun?: boolean; projectName?: string; profile?: string[] }) => applyCommand(ctx, o.filename, o));

program
  .command('convert')
  .description('print the Kubernetes objects Compose files become, without applying them')
  .requiredOption('-f, --filename <file>', 'a Compose file; several are merged in order (repeatable)', collect)
  .option('-p, --project-name <name>', 'the project name (and namespace); default: name: in the file, else the directory')
  .option('--profile <profile>', 'also convert the services of this profile (repeatable)', collect)
  .option('-o, --output <format>', 'yaml (default) or json')
  .action(async (o: { filename: string[]; projectName?: string; profile?: string[]; output?: string }) => convertCommand(o.filename, o));

program
  .command('get')
  .description('list objects, or show some by name')
  .argument('<kind>', 'pods, deployments (deploy), replicasets (rs), daemonsets (ds), jobs, cronjobs (cj), services (svc), configmaps (cm), secrets, namespaces (ns), nodes (no), events (ev), componentstatus (cs)')
  .argument('[names...]')
  .option('-o, --output <format>', 'wide, json, yaml or name')
  .option('-l, --selector <selector>', 'label selector, e.g. app=web,tier!=db')
  .option('--field-selector <selector>', 'field selector, e.g. spec.nodeName=node-1')
  .option('-A, --all-namespaces', 'list across all namespaces')
  .option('-w, --watch', 'after listing, watch for changes')
  .action(async (kind: string, names: string[], o) => getCommand(ctx, kind, names, o));

program
  .command('describe')
  .description('show details of an object, with its events')
  .argument('<kind>')
  .argument('<name>')
  .action(async (kind: string, name: string) => describeCommand(ctx, kind, name));

program
  .command('delete')
  .description('delete objects by kind and name, by selector, or from manifests')
  .argument('[kind]')
  .argument('[names...]')
  .option('-f, --filename <file>', 'delete the objects in these manifests (repeatable)', collect)
  .option('-l, --selector <selector>', 'delete the objects matching a label selector')
  .option('--ignore-not-found', 'treat "not found" as success')
  .option('--grace-period <seconds>', "seconds a pod gets to stop (-1: the pod's own; 0 only with --force)")
  .option('--force', 'with --grace-period 0: remove at once, without waiting for the containers to stop')
  .option('--now', 'stop pods quickly (grace period 1)')
  .option('--wait [bool]', 'wait until the objects are gone (default true)', parseBool, true)
  .option('-p, --project-name <name>', 'Compose files: the project name (and namespace)')
  .option('--profile <profile>', 'Compose files: the services of this profile too (repeatable)', collect)
  .action(async (kind: string | undefined, names: string[], o: DeleteFlags & { filename?: string[]; projectName?: string; profile?: string[] }) => {
    let ok: boolean;
    if (o.filename) ok = await deleteFilesCommand(ctx, o.filename, o);
    else if (!kind) throw Object.assign(new Error('delete needs KIND NAME or -f FILE'), { code: 'Invalid' });
    else if (kind.includes('/')) ok = await deleteCommand(ctx, kind.split('/')[0]!, [kind.split('/')[1]!, ...names], o);
    else ok = await deleteCommand(ctx, kind, names, o);
    if (!ok) process.exitCode = 1;
  });

program
  .command('create')
  .description('create an object from the command line')
  .argument('<kind>', 'namespace (ns), or job with --from')
  .argument('<name>')
  .option('--from <cronjob/NAME>', "job: make it from a cronjob's jobTemplate")
  .action(async (kind: string, name: string, o: CreateFlags) => createCommand(ctx, kind, name, o));

program
  .command('logs')
  .description('print the logs of a container in a pod')
  .argument('<pod>')
  .option('-c, --container <name>', 'container name (needed when the pod has several)')
  .option('-f, --follow', 'stream new lines as they come')
  .option('--tail <lines>', 'only the last N lines')
  .option('--timestamps', 'prefix each line with its timestamp')
  .option('-p, --previous', 'the previous (terminated) instance of the container')
  .action(async (pod: string, o) => logsCommand(ctx, pod, o));

program
  .command('exec')
  .description('run a command in a container: kite exec POD [-c C] [-it] -- CMD [ARGS...]')
  .argument('<pod>')
  .argument('[command...]')
  .option('-c, --container <name>', 'container name')
  .option('-i, --stdin', 'pass stdin to the command')
  .option('-t, --tty', 'allocate a terminal')
  .action(async (pod: string, command: string[], o) => {
    process.exitCode = await execCommand(ctx, pod, command, o);
  });

program
  .command('scale')
  .description('set the replicas of a deployment: kite scale deployment/web --replicas 5')
  .argument('<target>', 'deployment/NAME (or: deployment NAME)')
  .argument('[name]')
  .option('--replicas <n>', 'the new number of replicas')
  .action(async (target: string, name: string | undefined, o: { replicas?: string }) => scaleCommand(ctx, target, name, o.replicas));

const rollout = program.command('rollout').description('manage the rollout of a deployment');
rollout
  .command('status')
  .argument('<target>')
  .argument('[name]')
  .option('--timeout <duration>', 'give up after this long (e.g. 5m)')
  .option('-w, --watch [bool]', 'wait for the rollout to finish (default true)')
  .action(async (t: string, n: string | undefined, o: { timeout?: string; watch?: string | boolean }) => statusCommand(ctx, t, n, { timeout: o.timeout, watch: o.watch !== 'false' }));
rollout
  .command('history')
  .argument('<target>')
  .argument('[name]')
  .option('--revision <n>', 'show the pod template of one revision')
  .action(async (t: string, n: string | undefined, o: { revision?: string }) => historyCommand(ctx, t, n, o.revision));
rollout
  .command('undo')
  .argument('<target>')
  .argument('[name]')
  .option('--to-revision <n>', 'the revision to roll back to (default: the previous one)')
  .action(async (t: string, n: string | undefined, o: { toRevision?: string }) => undoCommand(ctx, t, n, o.toRevision));

program.command('cordon').description('mark a node unschedulable').argument('<node>').action(async (n: string) => cordonCommand(ctx, n, true));
program.command('uncordon').description('mark a node schedulable').argument('<node>').action(async (n: string) => cordonCommand(ctx, n, false));
program
  .command('drain')
  .description('cordon a node and evict its pods (DaemonSet pods stay)')
  .argument('<node>')
  .option('--force', 'also delete pods that no controller will replace')
  .option('--timeout <duration>', 'give up after this long')
  .option('--ignore-daemonsets [bool]', 'leave DaemonSet pods in place (default true)')
  .action(async (n: string, o: { force?: boolean; timeout?: string; ignoreDaemonsets?: string | boolean }) =>
    drainCommand(ctx, n, { force: o.force, timeout: o.timeout, ignoreDaemonsets: o.ignoreDaemonsets !== 'false' }),
  );

program
  .command('top')
  .description('resource usage of nodes or pods')
  .argument('<what>', 'nodes or pods')
  .option('-A, --all-namespaces')
  .action(async (what: string, o: { allNamespaces?: boolean }) => topCommand(ctx, what, !!o.allNamespaces));

program
  .command('events')
  .description('list events')
  .option('-A, --all-namespaces')
  .action(async (o: { allNamespaces?: boolean }) => eventsCommand(ctx, !!o.allNamespaces));

program
  .command('version')
  .description('client and server versions, and which controller leads')
  .option('--client', 'client version only')
  .action(async (o: { client?: boolean }) => versionCommand(ctx, !!o.client));

const image = program.command('image').description('images on the nodes, without a registry');
image
  .command('push')
  .description('stream an image from the local Docker Engine to the nodes (every Ready node by default); nodes that have it are skipped')
  .argument('<image>', 'image name (repo:tag) or id in the local engine')
  .option('--node <name>', 'push to this node only (repeatable)', collect)
  .action(async (img: string, o: { node?: string[] }) => {
    if (!(await imagePushCommand(ctx, img, o))) process.exitCode = 1;
  });
image
  .command('ls')
  .description('which nodes hold which images (from Node.status.images)')
  .action(async () => imageListCommand(ctx));

program
  .command('run')
  .description('run an image: a Deployment (with -p, a LoadBalancer Service too), or with --rm -it a pod attached to this terminal')
  .argument('<name>')
  .argument('[args...]', 'after --: arguments (or with --command, the command) of the container')
  .requiredOption('--image <image>', 'the container image')
  .option('-p, --port <host:container>', 'publish a port on every node (repeatable)', collect)
  .option('-e, --env <K=V>', 'an environment variable (repeatable)', collect)
  .option('-l, --labels <k=v>', 'more labels (repeatable, or k=v,k2=v2)', collect)
  .option('--replicas <n>', 'number of pods of the deployment (default 1)')
  .option('--command', 'the arguments after -- are the command, not the image entrypoint\'s arguments')
  .option('--rm', 'delete the pod when the attached command ends (needs -i)')
  .option('-i, --stdin', 'run one pod and pass this stdin to the command')
  .option('-t, --tty', 'with -i: a terminal')
  .option('--restart <policy>', 'Always (a deployment), OnFailure or Never (a pod)')
  .option('--pod-running-timeout <duration>', 'with -i: how long to wait for the pod to run (default 1m)')
  .action(async (name: string, args: string[], o) => {
    process.exitCode = await runCommand(ctx, name, args, o);
  });

program
  .command('expose')
  .description('make a Service for a deployment, pod or service: kite expose deployment/web --port 80')
  .argument('<target>', 'deployment/NAME, pod/NAME or svc/NAME (or: TYPE NAME)')
  .argument('[name]')
  .option('--port <port>', 'the service port (default: the first container port)')
  .option('--target-port <port>', 'the port (number or name) on the pods (default: --port)')
  .option('--type <type>', 'ClusterIP (default), NodePort or LoadBalancer')
  .option('--name <name>', 'the service name (default: the exposed object\'s)')
  .option('--protocol <protocol>', 'TCP (default) or UDP')
  .action(async (target: string, name: string | undefined, o) => exposeCommand(ctx, target, name, o));

program
  .command('port-forward')
  .description('forward local ports to a pod: kite port-forward pod/web 8080:80 (also svc/NAME, deployment/NAME)')
  .argument('<target>')
  .argument('<ports...>', '[LOCAL:]REMOTE; :REMOTE picks a free local port')
  .option('--address <ip>', 'addresses to listen on (default 127.0.0.1; repeatable or comma-separated)', collect)
  .action(async (target: string, ports: string[], o: { address?: string[] }) => portForwardCommand(ctx, target, ports, o));

program
  .command('cp')
  .description('copy files and directories to and from a pod (needs tar in the container): kite cp web:/etc/hosts ./hosts')
  .argument('<src>', 'LOCAL or POD:PATH (NAMESPACE/POD:PATH)')
  .argument('<dest>', 'LOCAL or POD:PATH')
  .option('-c, --container <name>', 'container name')
  .action(async (src: string, dest: string, o: { container?: string }) => cpCommand(ctx, src, dest, o));

registerSecurityCommands(program, () => ctx);
registerKubeconfigCommand(program, () => ctx);

const LABELS: Partial<Record<ErrorCode, string>> = {
  NotFound: 'Error from server (NotFound)',
  AlreadyExists: 'Error from server (AlreadyExists)',
  Conflict: 'Error from server (Conflict)',
  Invalid: 'error',
  Gone: 'Error from server (Gone)',
};

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (isKiteError(e)) {
      if (e.code === 'Unavailable') process.stderr.write(`Unable to connect to the server: ${e.message}\n`);
      else if (e.details.length && e.message.startsWith(e.details[0]!)) {
        // A summary that repeats the first problem: show the list once.
        if (e.details.length === 1) process.stderr.write(`${LABELS[e.code] ?? 'error'}: ${e.details[0]}\n`);
        else process.stderr.write(`${LABELS[e.code] ?? 'error'}: ${e.details.length} problems; nothing was changed:\n${e.details.map((d) => `  ${d}\n`).join('')}`);
      } else {
        process.stderr.write(`${LABELS[e.code] ?? 'error'}: ${e.message}\n`);
        for (const d of e.details) process.stderr.write(`  ${d}\n`);
      }
    } else {
      process.stderr.write(`error: ${errorMessage(e)}\n`);
    }
    process.exitCode = 1;
  } finally {
    ctx?.close();
  }
}

void main();
