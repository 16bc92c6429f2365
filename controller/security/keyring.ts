// The controller's encryption keys: AES-256-GCM keys kept in a JSON file (mode 0600, dir 0700),
// used to seal Secrets in etcd (and anything else the control plane keeps encrypted). Every
// sealed value names the key that sealed it, so keys can rotate: new values go under the
// primary key, old values stay readable until rotation re-encrypts them.
//
//   { "primary": "<id>", "keys": [{ "id": "<id>", "created": "<rfc3339>", "secret": "<base64 32 bytes>" }] }
//
// Old keys are never removed from the file: a controller that has not re-read the file since a
// rotation still seals under the old primary for a while, and those values must stay readable.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { systemClock, type Clock } from '../../common/clock';
import { KiteError } from '../../common/errors';

const ENVELOPE_PREFIX = 'kite:enc:aes256gcm:v1:';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** How often seal() looks whether another process changed the file (a rotation on this host). */
const REFRESH_INTERVAL_MS = 5_000;
const KEY_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

export interface KeyFileEntry {
  id: string;
  created: string;
  secret: string;
}

export interface KeyFile {
  primary: string;
  keys: KeyFileEntry[];
  /**
   * A `kite-controller secrets rotate-key` run that has not finished: the key it re-encrypts to,
   * so a crashed run resumes with the same key instead of adding another.
   */
  rotation?: { to: string; started: string };
}

/** A problem with the key file or with a sealed value; the message never carries key material or data. */
export function keyringError(message: string): KiteError {
  return new KiteError('Internal', message);
}

export function isSealed(value: string | Buffer): boolean {
  const head = typeof value === 'string' ? value.slice(0, ENVELOPE_PREFIX.length) : value.subarray(0, ENVELOPE_PREFIX.length).toString('latin1');
  return head === ENVELOPE_PREFIX;
}

/** The id of the key that sealed `envelope` (undefined for a value that is not sealed). */
export function sealedKeyId(envelope: string): string | undefined {
  if (!isSealed(envelope)) return undefined;
  const rest = envelope.slice(ENVELOPE_PREFIX.length);
  const colon = rest.indexOf(':');
  return colon > 0 ? rest.slice(0, colon) : undefined;
}

export class KeyRing {
  private state: KeyFile;
  private secrets = new Map<string, Buffer>();
  private fileStamp = '';
  private checkedAt: number;

  private constructor(
    readonly file: string,
    private readonly clock: Clock,
    state: KeyFile,
  ) {
    this.state = state;
    this.adopt(state);
    this.checkedAt = clock.now();
    this.fileStamp = stampOf(file);
  }

  /**
   * Reads the key file, or creates it with one random key when it does not exist. Refuses a file
   * other users can read and a malformed one, naming the file and what is wrong.
   */
  static loadOrCreate(file: string, clock: Clock = systemClock): KeyRing {
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const key = newKey(clock);
      writeAtomically(file, { primary: key.id, keys: [key] });
    }
    return new KeyRing(file, clock, readKeyFile(file));
  }

  get primaryId(): string {
    return this.state.primary;
  }

  get keyIds(): string[] {
    return this.state.keys.map((k) => k.id);
  }

  /** The unfinished rotation's target key, if a rotation is under way. */
  get rotationTarget(): string | undefined {
    return this.state.rotation?.to;
  }

  /** `plaintext` encrypted under the primary key, bound to `aad` (the etcd key it is stored at). */
  seal(plaintext: Buffer, aad: string): string {
    this.refreshIfChanged();
    const id = this.state.primary;
    const key = this.secrets.get(id)!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return `${ENVELOPE_PREFIX}${id}:${body.toString('base64')}`;
  }

  /** The plaintext of an envelope from seal(); fails when it was sealed for another `aad` or altered. */
  open(envelope: string, aad: string): Buffer {
    if (!isSealed(envelope)) throw keyringError(`value stored at ${aad} is not an encrypted envelope`);
    const rest = envelope.slice(ENVELOPE_PREFIX.length);
    const colon = rest.indexOf(':');
    if (colon <= 0) throw keyringError(`encrypted value stored at ${aad} is malformed (no key id)`);
    const id = rest.slice(0, colon);
    const body = Buffer.from(rest.slice(colon + 1), 'base64');
    if (body.length < NONCE_BYTES + TAG_BYTES) throw keyringError(`encrypted value stored at ${aad} is malformed (too short)`);
    let key = this.secrets.get(id);
    if (!key) {
      // Another process (a rotation) may have added the key since this one read the file.
      this.reload();
      key = this.secrets.get(id);
      if (!key) throw keyringError(`value stored at ${aad} is encrypted with key "${id}", which is not in ${this.file}; copy the key file from the controller that rotated the keys`);
    }
    const nonce = body.subarray(0, NONCE_BYTES);
    const tag = body.subarray(body.length - TAG_BYTES);
    const ciphertext = body.subarray(NONCE_BYTES, body.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw keyringError(`value stored at ${aad} does not decrypt with key "${id}": it was altered or belongs to another key`);
    }
  }

  /** Adds a new key and makes it the primary (the file is rewritten atomically); returns its id. */
  rotate(): string {
    return this.addPrimary(false);
  }

  /**
   * The key a rotation re-encrypts to: the unfinished rotation's key when there is one (a crashed
   * run resumes with it), else a new primary key recorded as the rotation in progress, in the same
   * atomic write.
   */
  beginRotation(): string {
    this.reload();
    const pending = this.state.rotation?.to;
    if (pending) {
      if (this.state.primary !== pending) this.write({ ...this.state, primary: pending });
      return pending;
    }
    return this.addPrimary(true);
  }

  /** Marks the rotation to `id` done. */
  finishRotation(id: string): void {
    this.reload();
    if (this.state.rotation?.to !== id) return;
    const { rotation: _done, ...rest } = this.state;
    this.write(rest);
  }

  /** Re-reads the file (another process may have rotated). */
  reload(): void {
    const state = readKeyFile(this.file);
    this.adopt(state);
    this.state = state;
    this.fileStamp = stampOf(this.file);
    this.checkedAt = this.clock.now();
  }

  private addPrimary(recordRotation: boolean): string {
    this.reload();
    const key = newKey(this.clock, new Set(this.keyIds));
    const next: KeyFile = { ...this.state, primary: key.id, keys: [...this.state.keys, key] };
    if (recordRotation) next.rotation = { to: key.id, started: key.created };
    this.write(next);
    return key.id;
  }

  private write(next: KeyFile): void {
    writeAtomically(this.file, next);
    this.adopt(next);
    this.state = next;
    this.fileStamp = stampOf(this.file);
  }

  private adopt(state: KeyFile): void {
    const secrets = new Map<string, Buffer>();
    for (const k of state.keys) secrets.set(k.id, Buffer.from(k.secret, 'base64'));
    this.secrets = secrets;
  }

  /** Picks up a rotation done by another process on this host, so new values go under the new primary. */
  private refreshIfChanged(): void {
    const now = this.clock.now();
    if (now - this.checkedAt < REFRESH_INTERVAL_MS) return;
    this.checkedAt = now;
    if (stampOf(this.file) === this.fileStamp) return;
    try {
      this.reload();
    } catch {
      // A broken file must not stop writes: keep sealing with the keys read before.
    }
  }
}

function newKey(clock: Clock, taken = new Set<string>()): KeyFileEntry {
  const created = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let id: string;
  do id = `${created.replace(/[-:]/g, '').replace(/Z$/, '')}-${randomBytes(3).toString('hex')}`;
  while (taken.has(id));
  return { id, created, secret: randomBytes(KEY_BYTES).toString('base64') };
}

function stampOf(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return '';
  }
}

/** Reads and checks the key file: private to its owner, well formed, every key 32 bytes. */
export function readKeyFile(file: string): KeyFile {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw keyringError(`encryption key file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if ((st.mode & 0o077) !== 0) {
    throw keyringError(`encryption key file ${file} is accessible by group or others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); run chmod 600 ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw keyringError(`encryption key file ${file} is not valid JSON`);
  }
  const problem = keyFileProblem(parsed);
  if (problem) throw keyringError(`encryption key file ${file} is malformed: ${problem}`);
  return parsed as KeyFile;
}

function keyFileProblem(v: unknown): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'expected an object with "primary" and "keys"';
  const o = v as Record<string, unknown>;
  if (!Array.isArray(o.keys) || o.keys.length === 0) return '"keys" must be a non-empty list';
  const ids = new Set<string>();
  for (const [i, k] of (o.keys as unknown[]).entries()) {
    if (!k || typeof k !== 'object') return `keys[${i}] must be an object`;
    const e = k as Record<string, unknown>;
    if (typeof e.id !== 'string' || !KEY_ID_RE.test(e.id)) return `keys[${i}].id must be 1-64 letters, digits, '.', '_' or '-'`;
    if (ids.has(e.id)) return `key id "${e.id}" appears twice`;
    ids.add(e.id);
    if (typeof e.created !== 'string') return `keys[${i}].created must be an RFC 3339 time`;
    if (typeof e.secret !== 'string' || Buffer.from(e.secret, 'base64').length !== KEY_BYTES) return `keys[${i}].secret must be ${KEY_BYTES} bytes in base64`;
  }
  if (typeof o.primary !== 'string' || !ids.has(o.primary)) return '"primary" must be the id of one of the keys';
  if (o.rotation !== undefined) {
    const r = o.rotation as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || typeof r.to !== 'string' || !ids.has(r.to)) return '"rotation.to" must be the id of one of the keys';
  }
  return undefined;
}

/** Temp file (0600) + fsync + rename + directory fsync: a crash leaves the old file or the new one. */
function writeAtomically(file: string, content: KeyFile): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, JSON.stringify(content, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is atomic.
  }
}
