// kite cp POD:PATH LOCAL and kite cp LOCAL POD:PATH: tar over exec, as kubectl cp (the container
// needs sh and tar). Unpacking on this side refuses paths escaping the destination (cli/docker/tar.ts).
// As cp and docker cp: copying onto an existing directory puts the source inside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalid, notFound } from '../../common/errors';
import type { CliContext } from '../context';
import { execWithIo } from '../docker/exec-io';
import { packPath, TarUnpacker } from '../docker/tar';

export interface CpFlags {
  container?: string;
}

interface PodPath {
  namespace?: string;
  pod: string;
  path: string;
}

/** `pod:/path` or `ns/pod:/path`; a local path otherwise (one with a `/` before any `:` is local, as kubectl). */
export function parseCpArg(arg: string): PodPath | undefined {
  const colon = arg.indexOf(':');
  if (colon <= 0) return undefined;
  const left = arg.slice(0, colon);
  if (left.split('/').length > 2 || left.startsWith('.')) return undefined;
  const [a, b] = left.split('/') as [string, string | undefined];
  const p = arg.slice(colon + 1);
  if (!p) throw invalid(`${arg}: the path in the pod is empty`);
  return b === undefined ? { pod: a, path: p } : { namespace: a, pod: b, path: p };
}

/** Where in the pod a path's parent and last component are ('/' copies the root's contents). */
function splitRemote(p: string): { dir: string; base: string } {
  const norm = path.posix.normalize(p);
  if (norm === '/' || norm === '.') return { dir: norm, base: '.' };
  const trimmed = norm.replace(/\/+$/, '');
  return { dir: path.posix.dirname(trimmed), base: path.posix.basename(trimmed) };
}

export async function cpCommand(ctx: CliContext, src: string, dest: string, flags: CpFlags): Promise<void> {
  const from = parseCpArg(src);
  const to = parseCpArg(dest);
  if (from && to) throw invalid('kite cp copies between this machine and a pod, not between pods');
  if (!from && !to) throw invalid('kite cp needs one side in a pod: POD:PATH');
  if (from) return copyFromPod(ctx, from, dest, flags);
  return copyToPod(ctx, src, to!, flags);
}

async function copyFromPod(ctx: CliContext, from: PodPath, local: string, flags: CpFlags): Promise<void> {
  const target = { namespace: from.namespace ?? ctx.namespace, pod: from.pod, container: flags.container };
  const { dir, base } = splitRemote(from.path);
  let destination = path.resolve(local);
  if (base !== '.' && fs.statSync(destination, { throwIfNoEntry: false })?.isDirectory()) destination = path.join(destination, base);
  const unpacker = new TarUnpacker(destination);
  let failure: unknown;
  const res = await execWithIo(ctx.client, target, ['tar', 'cf', '-', '-C', dir, base], {
    onStdout: (d) => {
      if (failure) return;
      try {
        unpacker.write(d);
      } catch (e) {
        failure = e;
      }
    },
  });
  if (res.code !== 0) throw notFound(`cannot copy ${from.pod}:${from.path}: ${res.stderr.trim() || `tar exited with ${res.code}`}`);
  if (failure) throw failure;
  const report = unpacker.end();
  for (const s of report.skipped) process.stderr.write(`warning: ${s}\n`);
}

async function copyToPod(ctx: CliContext, local: string, to: PodPath, flags: CpFlags): Promise<void> {
  const source = path.resolve(local);
  if (!fs.lstatSync(source, { throwIfNoEntry: false })) throw notFound(`${local}: no such file or directory`);
  const target = { namespace: to.namespace ?? ctx.namespace, pod: to.pod, container: flags.container };
  const { dir, base } = splitRemote(to.path);
  // Onto an existing directory in the pod: inside it, under the source's own name.
  const isDir = base === '.' || (await execWithIo(ctx.client, target, ['test', '-d', to.path], {})).code === 0;
  const [into, top] = isDir ? [path.posix.join(dir, base), path.basename(source)] : [dir, base];
  const res = await execWithIo(ctx.client, target, ['tar', 'xmf', '-', '-C', into], { stdin: packPath(source, top) });
  if (res.code !== 0) throw invalid(`cannot copy to ${to.pod}:${to.path}: ${res.stderr.trim() || `tar exited with ${res.code}`}`);
}
