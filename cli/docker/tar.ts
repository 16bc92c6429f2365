// The small part of tar that `kite cp` needs, as kubectl cp does it (tar over exec):
// - pack: a local file or directory as ustar entries named under a chosen top name;
// - unpack: a tar stream read incrementally into a destination, refusing every entry whose path
//   would land outside it (absolute names, `..`, writing through a symlink) and skipping symlinks
//   that point outside it. Regular files, directories and symlinks; other entry types are skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalid } from '../../common/errors';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header; names too long for ustar get a GNU long-name entry first (tar and busybox read both). */
export function tarHeader(name: string, entry: { type: 'file' | 'dir' | 'symlink'; size: number; mode: number; mtime: number; linkname?: string }): Buffer {
  const blocks: Buffer[] = [];
  const nameBytes = Buffer.from(name);
  if (nameBytes.length > 99) {
    const data = Buffer.concat([nameBytes, Buffer.alloc(1)]);
    blocks.push(rawHeader('././@LongLink', 'L', data.length, 0o644, 0, ''), pad(data));
  }
  const link = entry.linkname ?? '';
  if (Buffer.byteLength(link) > 99) {
    const data = Buffer.concat([Buffer.from(link), Buffer.alloc(1)]);
    blocks.push(rawHeader('././@LongLink', 'K', data.length, 0o644, 0, ''), pad(data));
  }
  const type = entry.type === 'dir' ? '5' : entry.type === 'symlink' ? '2' : '0';
  blocks.push(rawHeader(nameBytes.subarray(0, 99).toString(), type, entry.type === 'file' ? entry.size : 0, entry.mode, entry.mtime, Buffer.from(link).subarray(0, 99).toString()));
  return Buffer.concat(blocks);
}

function rawHeader(name: string, type: string, size: number, mode: number, mtime: number, linkname: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100);
  h.write(octal(mode & 0o7777, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(Math.floor(mtime), 12), 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(linkname, 157, 100);
  h.write('ustar\x0000', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest ? Buffer.concat([data, Buffer.alloc(BLOCK - rest)]) : data;
}

/** The entries of a local file or directory, named `top` and `top/...`, then the end-of-archive blocks. */
export function* packPath(source: string, top: string, chunkSize = 64 * 1024): Generator<Buffer> {
  function* walk(p: string, name: string): Generator<Buffer> {
    const st = fs.lstatSync(p);
    const mtime = st.mtimeMs / 1000;
    if (st.isSymbolicLink()) {
      yield tarHeader(name, { type: 'symlink', size: 0, mode: 0o777, mtime, linkname: fs.readlinkSync(p) });
    } else if (st.isDirectory()) {
      yield tarHeader(name + '/', { type: 'dir', size: 0, mode: st.mode, mtime });
      for (const child of fs.readdirSync(p).sort()) yield* walk(path.join(p, child), `${name}/${child}`);
    } else if (st.isFile()) {
      yield tarHeader(name, { type: 'file', size: st.size, mode: st.mode, mtime });
      const fd = fs.openSync(p, 'r');
      try {
        let left = st.size;
        while (left > 0) {
          const buf = Buffer.alloc(Math.min(chunkSize, left));
          const n = fs.readSync(fd, buf, 0, buf.length, null);
          if (n === 0) throw invalid(`${p} shrank while being copied`);
          left -= n;
          yield buf.subarray(0, n);
        }
      } finally {
        fs.closeSync(fd);
      }
      if (st.size % BLOCK) yield Buffer.alloc(BLOCK - (st.size % BLOCK));
    }
    // Sockets, devices, FIFOs: not copied (kubectl cp skips them too).
  }
  yield* walk(source, top);
  yield Buffer.alloc(BLOCK * 2);
}

function field(h: Buffer, start: number, len: number): string {
  const raw = h.subarray(start, start + len);
  const end = raw.indexOf(0);
  return (end < 0 ? raw : raw.subarray(0, end)).toString();
}

function numberField(h: Buffer, start: number, len: number): number {
  // GNU base-256 for sizes beyond 8 GiB.
  if (h[start]! & 0x80) {
    let n = 0;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + h[i]!;
    return n;
  }
  const s = field(h, start, len).trim();
  return s ? parseInt(s, 8) : 0;
}

/** PAX records "LEN key=value\n": path and linkpath are the ones that matter here. */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.subarray(i, sp).toString());
    if (!len) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString();
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Where an entry named `name` goes: its first component is replaced by `dest` (the archive was
 * made with the source's base name on top). Undefined when it would escape `dest`.
 */
export function entryDestination(dest: string, name: string): string | undefined {
  if (name.startsWith('/') || name.includes('\0')) return undefined;
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  return parts.length <= 1 ? dest : path.join(dest, ...parts.slice(1));
}

/** True when no directory between dest and target (exclusive) is a symlink: writing there stays inside dest. */
function noSymlinkBetween(dest: string, target: string): boolean {
  const rel = path.relative(dest, path.dirname(target));
  if (rel === '' ) return true;
  let p = dest;
  for (const part of rel.split(path.sep)) {
    p = path.join(p, part);
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) return false;
  }
  return true;
}

export interface UnpackReport {
  files: number;
  /** Entries refused or skipped, with why. */
  skipped: string[];
}

/** Feeds a tar stream chunk by chunk into `dest` (created as needed). */
export class TarUnpacker {
  readonly report: UnpackReport = { files: 0, skipped: [] };
  private pending: Buffer = Buffer.alloc(0);
  private file: { fd?: number; left: number; padding: number } | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: Record<string, string> = {};
  private meta: { kind: 'L' | 'K' | 'x'; data: Buffer[]; left: number; padding: number } | undefined;
  private ended = false;

  constructor(private readonly dest: string) {}

  write(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (!this.ended) {
      if (this.file) {
        if (!this.consumeFile()) return;
      } else if (this.meta) {
        if (!this.consumeMeta()) return;
      } else {
        if (this.pending.length < BLOCK) return;
        const h = this.pending.subarray(0, BLOCK);
        this.pending = this.pending.subarray(BLOCK);
        this.header(h);
      }
    }
  }

  /** Closes what is open; a stream that stopped inside an entry is an error. */
  end(): UnpackReport {
    if (this.file?.fd !== undefined) fs.closeSync(this.file.fd);
    if (this.file || this.meta) throw invalid('the archive from the pod ended in the middle of an entry');
    return this.report;
  }

  private consumeFile(): boolean {
    const f = this.file!;
    if (f.left > 0) {
      if (!this.pending.length) return false;
      const n = Math.min(f.left, this.pending.length);
      if (f.fd !== undefined) fs.writeSync(f.fd, this.pending, 0, n);
      this.pending = this.pending.subarray(n);
      f.left -= n;
      if (f.left > 0) return false;
    }
    if (this.pending.length < f.padding) return false;
    this.pending = this.pending.subarray(f.padding);
    if (f.fd !== undefined) fs.closeSync(f.fd);
    this.file = undefined;
    return true;
  }

  private consumeMeta(): boolean {
    const m = this.meta!;
    const total = m.left + m.padding;
    if (this.pending.length < total) return false;
    const data = this.pending.subarray(0, m.left);
    this.pending = this.pending.subarray(total);
    this.meta = undefined;
    if (m.kind === 'L') this.longName = field(data, 0, data.length);
    else if (m.kind === 'K') this.longLink = field(data, 0, data.length);
    else this.pax = paxRecords(data);
    return true;
  }

  private header(h: Buffer): void {
    if (h.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    const type = String.fromCharCode(h[156]!) || '0';
    const size = numberField(h, 124, 12);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'L' || type === 'K' || type === 'x') {
      this.meta = { kind: type, data: [], left: size, padding };
      return;
    }
    if (type === 'g') {
      this.file = { left: size, padding };
      return;
    }
    const prefix = field(h, 345, 155);
    const name = this.pax.path ?? this.longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    const linkname = this.pax.linkpath ?? this.longLink ?? field(h, 157, 100);
    this.longName = this.longLink = undefined;
    this.pax = {};
    const mode = numberField(h, 100, 8) & 0o777;
    const target = entryDestination(this.dest, name);
    const skip = (why: string) => {
      this.report.skipped.push(`${name}: ${why}`);
      this.file = { left: type === '0' || type === '\0' || type === '7' ? size : 0, padding: type === '0' || type === '\0' || type === '7' ? padding : 0 };
    };
    if (!target || !noSymlinkBetween(this.dest, target)) return skip('its path leads outside the destination; refused');
    if (type === '5') {
      fs.mkdirSync(target, { recursive: true });
      return;
    }
    if (type === '2') {
      const resolved = path.resolve(path.dirname(target), linkname);
      const rel = path.relative(this.dest, resolved);
      if (path.isAbsolute(linkname) || rel.startsWith('..') || path.isAbsolute(rel)) return skip(`a symlink to ${linkname}, outside the destination; skipped`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.rmSync(target, { force: true });
      fs.symlinkSync(linkname, target);
      return;
    }
    if (type !== '0' && type !== '\0' && type !== '7') return skip(`entry type ${type} is not copied`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Replace rather than follow: an existing symlink at the target must not be written through.
    if (fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(target);
    const fd = fs.openSync(target, 'w', mode || 0o644);
    this.report.files++;
    this.file = { fd, left: size, padding };
    if (size === 0) this.consumeFile();
  }
}
