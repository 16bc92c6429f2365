// kite kubeconfig: a kubeconfig for the controller's Kubernetes API, so kubectl and the rest of the
// Kubernetes tooling work against Kite. For yourself it carries the certificate and key of your
// own credential file (nothing new is issued); with --user NAME (cluster admins) it carries a new
// API token acting as NAME, which the controller makes and shows only this once.
//
// Written with -o, the file is mode 0600 and marked as kite's; an existing file without the mark
// (someone's ~/.kube/config, say) is never replaced.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { Command } from 'commander';
import { errorMessage, invalid } from '../../common/errors';
import { CONTROLLER_SERVER_NAME } from '../../common/pki/identity';
import { configPath, readConfig } from '../config';
import { type CliContext, parseDuration } from '../context';

/** The first line of every kubeconfig kite writes, for people reading it. */
export const KUBECONFIG_MARKER = '# Written by `kite kubeconfig`: kite kubeconfig -o replaces this file, so edits are lost.';

/**
 * How a later `-o` knows the file is kite's: a named extension on the cluster entry (as minikube
 * marks its clusters). kubectl keeps extensions when it rewrites a kubeconfig (`kubectl config
 * set-context ...`), where it drops comments such as the marker line.
 */
export const KUBECONFIG_EXTENSION = { name: 'kite', extension: { provider: 'kite', 'written-by': 'kite kubeconfig' } } as const;

/** The names of the cluster and context entries. */
const ENTRY = 'kite';

export interface KubeconfigInput {
  /** https://HOST:PORT of the Kubernetes API. */
  server: string;
  /** PEM of the cluster CA. */
  ca: string;
  /** The user entry's name. */
  user: string;
  namespace: string;
  credential: { token: string } | { cert: string; key: string };
}

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/** The kubeconfig text: one cluster, user and context, all current. */
export function buildKubeconfig(k: KubeconfigInput): string {
  const user = 'token' in k.credential ? { token: k.credential.token } : { 'client-certificate-data': base64(k.credential.cert), 'client-key-data': base64(k.credential.key) };
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: ENTRY,
        cluster: {
          server: k.server,
          'certificate-authority-data': base64(k.ca),
          // The controllers' serving certificate names this DNS name, not their addresses.
          'tls-server-name': CONTROLLER_SERVER_NAME,
          extensions: [KUBECONFIG_EXTENSION],
        },
      },
    ],
    users: [{ name: k.user, user }],
    contexts: [{ name: ENTRY, context: { cluster: ENTRY, user: k.user, namespace: k.namespace } }],
    'current-context': ENTRY,
    preferences: {},
  };
  return `${KUBECONFIG_MARKER}\n${YAML.stringify(doc, { lineWidth: 0 })}`;
}

/** True when the text is a kubeconfig kite wrote: its marker line is first, or (after kubectl rewrote it) a cluster carries kite's extension. */
export function isKiteKubeconfig(text: string): boolean {
  if (text.startsWith(KUBECONFIG_MARKER)) return true;
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch {
    return false;
  }
  const clusters = (doc as { clusters?: unknown } | null)?.clusters;
  if (!Array.isArray(clusters)) return false;
  return clusters.some((c: { cluster?: { extensions?: unknown } } | null) => {
    const extensions = c?.cluster?.extensions;
    return Array.isArray(extensions) && extensions.some((e: { name?: unknown; extension?: { provider?: unknown } } | null) => e?.name === KUBECONFIG_EXTENSION.name && e.extension?.provider === KUBECONFIG_EXTENSION.extension.provider);
  });
}

/** Throws unless `file` is absent or a kubeconfig kite wrote. */
export function assertReplaceable(file: string): void {
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw invalid(`${file}: cannot read it to check that kite wrote it (${errorMessage(e)}); refusing to replace it`);
  }
  if (!isKiteKubeconfig(existing)) {
    throw invalid(`${file} exists and was not written by kite kubeconfig; refusing to replace it (choose another -o, or move it away yourself)`);
  }
}

/**
 * Writes `text` to `file` with mode 0600, replacing it at once (rename). Refuses when the file
 * exists and is not a kubeconfig kite wrote.
 */
export function writeKubeconfigFile(file: string, text: string): void {
  assertReplaceable(file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  fs.renameSync(tmp, file);
}

/** `--ttl`: 8760h, 30m...; at least a second (the token's default is one year). */
export function kubeconfigTtlSeconds(ttl: string): number {
  const ms = parseDuration(ttl, '--ttl');
  if (ms < 1000) throw invalid(`--ttl: "${ttl}" is shorter than a second`);
  return Math.round(ms / 1000);
}

export interface KubeconfigFlags {
  user?: string;
  ttl?: string;
  out?: string;
}

export async function kubeconfigCommand(ctx: CliContext, o: KubeconfigFlags): Promise<void> {
  if (o.ttl !== undefined && !o.user) throw invalid('--ttl is the lifetime of the token made for --user NAME; your own kubeconfig uses your certificate');
  const ttlSeconds = o.ttl === undefined ? 0 : kubeconfigTtlSeconds(o.ttl);
  // Before asking: a token minted for a file we then refuse to write would be valid and lost.
  if (o.out) assertReplaceable(o.out);
  const res = await ctx.client.createKubeconfig(o.user ?? '', ttlSeconds);
  if (!res.server) throw invalid('the controller named no Kubernetes API address');
  let credential: KubeconfigInput['credential'];
  if (res.token) {
    credential = { token: res.token };
  } else {
    // Yourself (no --user, or your own name): the credential this CLI just authenticated with.
    const file = configPath();
    const config = readConfig(file);
    if (!config.cert || !config.key) throw invalid(`${file} holds no certificate and key to put in the kubeconfig`);
    credential = { cert: config.cert, key: config.key };
  }
  const user = res.user || readConfig().user || 'kite';
  // Another user's default namespace is not the admin's: only an explicit -n sets it.
  const namespace = res.token ? ctx.flags.namespace || 'default' : ctx.namespace;
  const text = buildKubeconfig({ server: res.server, ca: res.ca, user, namespace, credential });
  if (!o.out) {
    process.stdout.write(text);
    return;
  }
  writeKubeconfigFile(o.out, text);
  process.stdout.write(`kubeconfig for user "${user}" written to ${o.out}\n`);
}

export function registerKubeconfigCommand(program: Command, context: () => CliContext): void {
  program
    .command('kubeconfig')
    .description('print a kubeconfig for kubectl and other Kubernetes tools (yours, with your certificate; or with --user, an API token for that user: cluster admins)')
    .option('--user <name>', 'a kubeconfig acting as this user, with a new API token (shown once; deleting the user revokes it)')
    .option('--ttl <duration>', 'with --user: how long the token is valid (default 8760h, one year)')
    .option('-o, --out <file>', 'write it to this file (mode 0600); an existing file is replaced only if kite wrote it')
    .action(async (o: KubeconfigFlags) => kubeconfigCommand(context(), o));
}
