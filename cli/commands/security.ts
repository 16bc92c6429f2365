// kite token create|list|delete, kite user create|list|delete, kite auth whoami: join tokens for
// nodes (as kubeadm token), user credentials (the key is made here and never leaves this machine;
// the controller only signs its certificate request), and who the current credential is.
import * as fs from 'node:fs';
import YAML from 'yaml';
import { type Command, Option } from 'commander';
import { invalid, isKiteError } from '../../common/errors';
import { createCertificateRequest } from '../../common/pki/certs';
import type { ClientConfig } from '../../common/client-config';
import { writeClientConfig } from '../../common/client-config';
import { toJson, toYaml } from '../print';
import { tokenTable, userTable, whoAmITable } from '../print/security';
import { type CliContext, parseDuration } from '../context';

export const ROLES = ['view', 'edit', 'admin'] as const;

/** The CLI's clock: only for the TTL and AGE columns. */
const now = () => Date.now();

/** `--ttl`: 24h, 30m, 90s, or 0 for a token that never expires. */
export function ttlSeconds(ttl: string): number {
  const ms = parseDuration(ttl, '--ttl');
  if (ms === 0) return 0;
  if (ms < 1000) throw invalid(`--ttl: "${ttl}" is shorter than a second (use 0 for a token that never expires)`);
  return Math.round(ms / 1000);
}

/** The agent command a new node runs, as `kubeadm token create --print-join-command` prints it. */
export function joinCommand(server: string, token: string, caHash: string): string {
  return `kite-agent --controller ${server} --token ${token} --ca-hash ${caHash}`;
}

export async function tokenCreateCommand(ctx: CliContext, o: { ttl: string; description?: string }): Promise<void> {
  const res = await ctx.client.createToken(ttlSeconds(o.ttl), o.description ?? '');
  process.stdout.write(`${res.token}\n${joinCommand(ctx.client.target, res.token, res.ca_hash)}\n`);
}

export async function tokenListCommand(ctx: CliContext): Promise<void> {
  const table = tokenTable(await ctx.client.listTokens(), now());
  if (table) process.stdout.write(table);
  else process.stderr.write('No join tokens found.\n');
}

/** `kite token delete ID...` (kubeadm also takes the whole ID.SECRET). False when some were not found. */
export async function tokenDeleteCommand(ctx: CliContext, args: string[]): Promise<boolean> {
  return deleteEach(args, async (arg) => {
    const id = arg.split('.')[0]!;
    await ctx.client.deleteToken(id);
    return `token "${id}" deleted`;
  });
}

export interface UserCreateFlags {
  role: string;
  out?: string;
}

export async function userCreateCommand(ctx: CliContext, name: string, o: UserCreateFlags): Promise<void> {
  // Never replace a credential (e.g. the admin's ~/.kite/config) by a typo in --out.
  if (o.out && fs.existsSync(o.out)) throw invalid(`${o.out} already exists; choose another --out or remove it first`);
  // Only an explicit -n makes a namespaced user (not the default namespace of the admin's config).
  const namespace = ctx.flags.namespace ?? '';
  const { key, csr } = await createCertificateRequest({ kind: 'user', name });
  const res = await ctx.client.createUser(name, o.role, namespace, csr);
  const credential: ClientConfig = {
    server: ctx.client.target,
    ...(namespace ? { namespace } : {}),
    user: name,
    ca: res.ca,
    cert: res.certificate,
    key,
  };
  if (o.out) {
    writeClientConfig(o.out, credential);
    process.stdout.write(`user/${name} created; credential written to ${o.out}\n`);
  } else {
    // `kite user create bob --role view > bob.config`: only the credential on stdout.
    process.stdout.write(YAML.stringify(credential, { lineWidth: 0, blockQuote: 'literal' }));
    process.stderr.write(`user/${name} created\n`);
  }
}

export async function userListCommand(ctx: CliContext): Promise<void> {
  const table = userTable(await ctx.client.listUsers(), now());
  if (table) process.stdout.write(table);
  else process.stderr.write('No users found.\n');
}

export async function userDeleteCommand(ctx: CliContext, names: string[]): Promise<boolean> {
  return deleteEach(names, async (name) => {
    await ctx.client.deleteUser(name);
    return `user "${name}" deleted`;
  });
}

export async function whoAmICommand(ctx: CliContext, output?: string): Promise<void> {
  if (output !== undefined && output !== 'json' && output !== 'yaml') throw invalid(`--output: "${output}" is not json or yaml`);
  const w = await ctx.client.whoAmI();
  if (!output) {
    process.stdout.write(whoAmITable(w));
    return;
  }
  const value = { kind: w.kind, name: w.name, role: w.role || undefined, namespace: w.namespace || undefined };
  process.stdout.write(output === 'json' ? toJson(value) : toYaml(value));
}

/** As kubectl delete: a missing one is reported and the rest still go; any other error stops. */
async function deleteEach(args: string[], remove: (arg: string) => Promise<string>): Promise<boolean> {
  let ok = true;
  for (const arg of args) {
    try {
      process.stdout.write(`${await remove(arg)}\n`);
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
      process.stderr.write(`Error from server (NotFound): ${e.message}\n`);
      ok = false;
    }
  }
  return ok;
}

/** The `token`, `user` and `auth` command groups; `context()` is the CliContext made before each action. */
export function registerSecurityCommands(program: Command, context: () => CliContext): void {
  const token = program.command('token').description('manage the join tokens nodes use to join the cluster (cluster admins)');
  token
    .command('create')
    .description('create a join token and print the kite-agent command that joins a node with it')
    .option('--ttl <duration>', 'how long the token is valid (e.g. 24h, 30m; 0: never expires)', '24h')
    .option('--description <text>', 'what the token is for')
    .action(async (o: { ttl: string; description?: string }) => tokenCreateCommand(context(), o));
  token
    .command('list')
    .description('list join tokens (never their secrets)')
    .action(async () => tokenListCommand(context()));
  token
    .command('delete')
    .description('delete join tokens: nodes can no longer join with them')
    .argument('<id...>', 'token IDs (the part before the dot) or whole tokens')
    .action(async (ids: string[]) => {
      if (!(await tokenDeleteCommand(context(), ids))) process.exitCode = 1;
    });

  const user = program.command('user').description('manage users and their credentials (cluster admins)');
  user
    .command('create')
    .description('create a user and its credential (the key is made on this machine); with -n the role applies in that namespace only')
    .argument('<name>')
    .addOption(new Option('--role <role>', 'what the user may do').choices(ROLES).makeOptionMandatory())
    .option('--out <file>', 'write the credential to this file (mode 0600) instead of stdout')
    .action(async (name: string, o: UserCreateFlags) => userCreateCommand(context(), name, o));
  user
    .command('list')
    .description('list users with their role and namespace')
    .action(async () => userListCommand(context()));
  user
    .command('delete')
    .description('delete users: their credentials stop working at once')
    .argument('<name...>')
    .action(async (names: string[]) => {
      if (!(await userDeleteCommand(context(), names))) process.exitCode = 1;
    });

  const auth = program.command('auth').description('inspect authorization');
  auth
    .command('whoami')
    .description('who the current credential is: user, role and namespace')
    .option('-o, --output <format>', 'json or yaml')
    .action(async (o: { output?: string }) => whoAmICommand(context(), o.output));
}
