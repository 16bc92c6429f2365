// Test harness: a local busybox image, built from the host's busybox-static without any registry.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';

export const TEST_IMAGE = 'kite-test/busybox:1';

const APPLETS = [
  'sh', 'ash', 'sleep', 'echo', 'cat', 'nc', 'httpd', 'wget', 'env', 'ls', 'id', 'true', 'false', 'kill', 'ps',
  'mkdir', 'rm', 'touch', 'printf', 'test', '[', 'hostname', 'head', 'tail', 'grep', 'date', 'dd', 'seq', 'yes',
  'pwd', 'stat', 'whoami', 'ip', 'ifconfig', 'top', 'free', 'mount', 'wc', 'tr', 'xargs', 'timeout', 'expr',
];

async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Builds `kite-test/busybox:1` from /usr/bin/busybox via `docker import`; a no-op when present. */
export async function ensureTestImage(docker: Docker, busyboxPath = '/usr/bin/busybox'): Promise<string> {
  if (await imageExists(docker, TEST_IMAGE)) return TEST_IMAGE;
  const dir = mkdtempSync(join(tmpdir(), 'kite-image-'));
  try {
    const root = join(dir, 'root');
    for (const d of ['bin', 'tmp', 'etc', 'proc', 'sys', 'dev', 'www', 'root']) mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    copyFileSync(busyboxPath, join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    for (const a of APPLETS) symlinkSync('busybox', join(root, 'bin', a));
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
    writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    writeFileSync(join(root, 'www', 'index.html'), 'kite test page\n');
    const tarPath = join(dir, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tarPath, '.']);
    const [repo, tag] = TEST_IMAGE.split(':');
    const stream = await docker.importImage(createReadStream(tarPath) as unknown as string, {
      repo,
      tag,
      changes: ['ENV PATH=/bin', 'CMD ["sh"]'],
    } as unknown as object);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!(await imageExists(docker, TEST_IMAGE))) throw new Error('import of ' + TEST_IMAGE + ' produced no image');
  return TEST_IMAGE;
}
