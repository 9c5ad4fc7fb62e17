/**
 * Output safety (docs/outputs.md, "How files are written"): every file feesim writes goes through
 * `publishFile` (one file) or `publishSet` (a set of files, e.g. one CSV per table). Readers see the
 * old complete output or the new complete one, never a mix, a half-written file or a temp file:
 *
 * - the target is checked first: a new name or a regular file (or, for a set, a set feesim published
 *   before); never a symlink, directory, device, FIFO or socket, and never one of this run's inputs;
 * - bytes go to a temporary file in the same folder; every write is checked for its byte count, the
 *   file is fsync'd, renamed over the target, and the folder fsync'd;
 * - a set is written into a fresh folder `.<name>.set-<pid>-<rand>/`; `<name>` is a symbolic link to
 *   it, replaced in one rename(2) by a new link, so the whole set switches at once;
 * - temp files and folders left by a killed earlier run are removed by the next publish to that target;
 * - any OS error (missing folder, disk full, …) is an InputError naming the flag (`-o`, `--junit`) and
 *   the reason: exit 2, never "internal error".
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  symlinkSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../domain/issues.js';

export interface PublishOpts {
  /** The flag that named the target, for messages: `-o` (default), `--junit`, `--out-dir`. */
  flag?: string;
  /** How paths are shown in messages (default: as given). */
  display?: (file: string) => string;
}

export interface SetFile {
  /** A plain file name inside the set (letters, digits, `.`, `-`, `_`; other characters become `_`). */
  name: string;
  data: string | Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Inputs of this run: an output may never replace one of them.

interface InputFile {
  dev: number;
  ino: number;
  path: string;
  what: string;
}
const inputs: InputFile[] = [];

/** Records a file this run read (scenario, extends parent, roster, fee schedule, country table). */
export function noteInput(file: string, what: string, st?: Stats): void {
  try {
    const s = st ?? statSync(file);
    if (!inputs.some((i) => i.dev === s.dev && i.ino === s.ino)) inputs.push({ dev: s.dev, ino: s.ino, path: resolve(file), what });
  } catch {
    // a file that cannot be stat'ed was not read either
  }
}

/** One file is no longer an input of this run (check --update reads an expected file, then rewrites it). */
export function forgetInput(file: string): void {
  try {
    const s = statSync(file);
    const k = inputs.findIndex((i) => i.dev === s.dev && i.ino === s.ino);
    if (k >= 0) inputs.splice(k, 1);
  } catch {
    // gone: nothing to forget
  }
}

/** For tests that run several commands in one process (and main.ts when a command ends). */
export function forgetInputs(): void {
  inputs.length = 0;
  declared.length = 0;
}

function inputAt(st: Stats): InputFile | undefined {
  return inputs.find((i) => i.dev === st.dev && i.ino === st.ino);
}

// ---------------------------------------------------------------------------------------------
// Pending temp files, removed on Ctrl+C (main.ts) and on errors.

const pending = new Set<string>();
/** Removes the temporary files and folders still being written (best effort: one failure does not stop the rest). */
function removePendingFiles(): void {
  for (const f of pending) {
    try {
      rmSync(f, { force: true, recursive: true, maxRetries: 3, retryDelay: 5 });
    } catch {
      // nothing more can be done in an interrupt; the next export to this target removes it (removeStale)
    }
  }
  pending.clear();
}

/**
 * File operations running in libuv's thread pool. An interrupt can arrive while one is in flight —
 * e.g. an `open(O_CREAT)` of a temp file that has not happened yet: removing the temp files at once
 * would then miss the file it creates a moment later, or fail on a folder that is no longer empty
 * (a CI run once left a `.k.set-…` folder that way). So the interrupt waits for them to settle.
 */
let inFlight = 0;
let whenSettled: (() => void) | undefined;
async function fsOp<T>(op: Promise<T>): Promise<T> {
  inFlight++;
  try {
    return await op;
  } finally {
    inFlight--;
    if (inFlight === 0) whenSettled?.();
  }
}

/**
 * On an interrupt (main.ts: SIGINT, SIGTERM, SIGHUP): once no file operation is in flight, removes
 * the temporary files and folders being written, then calls `exit`. A write stuck in the kernel does
 * not hold Ctrl+C for more than a second.
 */
export function cleanUpThenExit(exit: () => void): void {
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    whenSettled = undefined;
    removePendingFiles();
    exit();
  };
  if (inFlight === 0) {
    finish();
    return;
  }
  whenSettled = finish;
  setTimeout(finish, 1000);
}

const TEMP_KINDS = ['tmp', 'set', 'lnk'] as const;
const tempName = (base: string, kind: (typeof TEMP_KINDS)[number]) => `.${base}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what an earlier, killed run left next to this target: `.<name>.tmp-<pid>[-<rand>]` files,
 * `.<name>.lnk-…` links and `.<name>.set-…` folders other than the one the target links to, whose
 * process is gone (a concurrent export's files are left alone).
 */
function removeStale(folder: string, base: string, keep?: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  const re = new RegExp(`^\\.${escapeRe(base)}\\.(tmp|set|lnk)-(\\d+)(-[0-9a-f]+)?$`);
  for (const n of names) {
    const m = re.exec(n);
    if (!m || n === keep) continue;
    const full = join(folder, n);
    if (pending.has(full) || alive(Number(m[2]))) continue;
    rmSync(full, { force: true, recursive: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Checking a target.

export function describeNode(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The folder a set link points to, when `target` is a link feesim made (`<name>` → `.<name>.set-…`). */
function ownSetFolder(target: string, st: Stats): string | undefined {
  if (!st.isSymbolicLink()) return undefined;
  const to = readlinkSync(target);
  if (!new RegExp(`^\\.${escapeRe(basename(target))}\\.set-\\d+(-[0-9a-f]+)?$`).test(to)) return undefined;
  const folder = join(dirname(target), to);
  try {
    return statSync(folder).isDirectory() ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** Paths relative to the working folder when inside it. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function refuse(target: string, opts: PublishOpts, message: string): InputError {
  const show = opts.display ?? shown;
  return new InputError([{ file: opts.flag ?? '-o', path: show(target), message }]);
}

/**
 * Throws an InputError (exit 2) when `target` may not be written: call it before a long computation
 * so a bad `-o` fails at once. `kind: 'set'` accepts a set link feesim published before.
 */
export function checkOutputTarget(target: string, opts: PublishOpts & { kind?: 'file' | 'set' } = {}): void {
  const abs = resolve(target);
  const folder = dirname(abs);
  let fst: Stats;
  try {
    fst = statSync(folder);
  } catch (e) {
    throw refuse(target, opts, `cannot write here: folder ${(opts.display ?? shown)(folder)} ${reasonOf(e)}`);
  }
  if (!fst.isDirectory()) throw refuse(target, opts, `cannot write here: ${(opts.display ?? shown)(folder)} is not a folder`);
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // a new name
    throw refuse(target, opts, `cannot write: ${reasonOf(e)}`);
  }
  if (opts.kind === 'set') {
    const own = ownSetFolder(abs, st);
    if (own) {
      const real = realpathSync(own) + sep;
      const inside = inputs.find((i) => i.path.startsWith(real) || safeReal(i.path).startsWith(real));
      if (inside) throw refuse(target, opts, `refusing to replace a set that holds this run's ${inside.what} (${inside.path})`);
      return;
    }
    if (!st.isFile())
      throw refuse(
        target,
        opts,
        `refusing to replace ${describeNode(st)}: a CSV set is published as a link to a folder feesim made; choose a new name`,
      );
    throw refuse(target, opts, 'refusing to replace a regular file with a CSV set (a folder); choose a new name');
  }
  if (!st.isFile()) throw refuse(target, opts, `refusing to write: it is ${describeNode(st)}, not a regular file or a new name`);
  const input = inputAt(st);
  if (input) throw refuse(target, opts, `refusing to overwrite this run's ${input.what}`);
}

/** Output targets this command checked before computing: checked again once its inputs are known. */
const declared: { target: string; opts: PublishOpts & { kind?: 'file' | 'set' } }[] = [];

/**
 * checkOutputTarget for a target the command will write after computing, remembered so that
 * `checkDeclaredOutputs` can check it again against the inputs read since (the scenario, its extends
 * parents, roster, fee schedule, country table): an -o naming one of them is refused as soon as the
 * scenario is opened, before the deterministic run and the Monte Carlo.
 */
export function declareOutput(target: string, opts: PublishOpts & { kind?: 'file' | 'set' } = {}): void {
  checkOutputTarget(target, opts);
  declared.push({ target: resolve(target), opts });
}

/** How many output targets are declared now: a nested command (verify's re-run) forgets its own after it. */
export function declaredOutputCount(): number {
  return declared.length;
}

/** Forgets the output targets declared after `count` were (verify: the re-run's scratch -o, removed after it). */
export function forgetDeclaredOutputs(count: number): void {
  declared.length = Math.min(declared.length, count);
}

/** Checks every declared output target again (session.ts, right after a scenario's inputs are read). */
export function checkDeclaredOutputs(): void {
  for (const d of declared) checkOutputTarget(d.target, d.opts);
}

function safeReal(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** The OS reason of an error, in words: "no space left on device (ENOSPC)". */
export function reasonOf(e: unknown, enoent = 'does not exist'): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: enoent,
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'is a directory',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EEXIST: 'already exists',
    EIO: 'input/output error',
    EFBIG: 'file too large',
    ENAMETOOLONG: 'name too long',
    EMFILE: 'too many open files',
    EXDEV: 'not on the same file system',
  };
  if (err?.code && words[err.code]) return `${words[err.code]} (${err.code})`;
  return err?.message ?? String(e);
}

/** Turns an OS error into an InputError naming the flag; anything else is rethrown. */
function asOutputError(e: unknown, target: string, opts: PublishOpts): unknown {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return refuse(target, opts, `cannot write: ${reasonOf(e)}`);
  return e;
}

// ---------------------------------------------------------------------------------------------
// Writing.

class ShortWrite extends Error {
  code = 'ENOSPC';
  constructor(written: number, total: number) {
    super(`short write: ${written} of ${total} bytes written`);
  }
}

/** Writes every byte (retrying partial writes), checks the size on disk, fsyncs. */
async function writeAll(file: FileHandle, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const delay = writeDelayMs();
  const limit = testWriteLimit();
  const CHUNK = 1 << 16;
  let off = 0;
  while (off < bytes.length) {
    let len = Math.min(CHUNK, bytes.length - off);
    if (limit !== undefined) len = Math.max(0, Math.min(len, limit - off));
    const { bytesWritten } = len ? await fsOp(file.write(bytes, off, len)) : { bytesWritten: 0 };
    if (bytesWritten <= 0) throw new ShortWrite(off, bytes.length);
    off += bytesWritten;
    if (delay) await sleep(delay);
  }
  await fsOp(file.sync());
  const size = (await fsOp(file.stat())).size;
  if (size !== bytes.length) throw new ShortWrite(size, bytes.length);
}

function fsyncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // some platforms cannot open or fsync a folder; the rename itself is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes one file in `folder` under a temp name; returns the temp path (registered as pending). */
async function writeTemp(folder: string, tempBase: string, data: string | Uint8Array): Promise<string> {
  const tmp = join(folder, tempBase);
  pending.add(tmp);
  let file: FileHandle | undefined;
  try {
    file = await fsOp(open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644));
    await writeAll(file, data);
    await fsOp(file.close());
    file = undefined;
    return tmp;
  } catch (e) {
    if (file) await fsOp(file.close()).catch(() => {});
    rmSync(tmp, { force: true });
    pending.delete(tmp);
    throw e;
  }
}

/**
 * Publishes one file atomically (see the module comment). Throws InputError (exit 2) naming
 * `opts.flag` when the target may not be written or the write fails.
 */
export async function publishFile(target: string, data: string | Uint8Array, opts: PublishOpts = {}): Promise<void> {
  const abs = resolve(target);
  checkOutputTarget(abs, { ...opts, kind: 'file' });
  const folder = dirname(abs);
  const base = basename(abs);
  removeStale(folder, base);
  let tmp: string | undefined;
  try {
    tmp = await writeTemp(folder, tempName(base, 'tmp'), data);
    checkOutputTarget(abs, { ...opts, kind: 'file' }); // again, right before the rename
    renameSync(tmp, abs);
    pending.delete(tmp); // same tick as the rename: a SIGINT handler never sees a published file as pending
    fsyncFolder(folder);
  } catch (e) {
    if (tmp && pending.has(tmp)) {
      rmSync(tmp, { force: true });
      pending.delete(tmp);
    }
    throw asOutputError(e, target, opts);
  }
}

/** Compatibility name: publishFile with `-o` in messages. */
export const writeFileAtomic = (target: string, data: string | Uint8Array, opts: PublishOpts = {}) => publishFile(target, data, opts);

/** `-o out/pp18.csv` or `-o out/pp18` → the set link `out/pp18` (docs/outputs.md). */
export function csvSetPath(output: string): string {
  return output.replace(/\.csv$/i, '') || output;
}

function safeName(name: string): string {
  const s = name.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_');
  return s || '_';
}

/**
 * Publishes a set of files as a whole: the files go into a new folder next to the target, each
 * written, checked and fsync'd; then the target, a symbolic link, is switched to the new folder in
 * one rename, and the previous folder is removed. Readers that resolve the link see one set or the
 * other. (On Windows, creating the link needs Developer Mode or an administrator.)
 */
export async function publishSet(target: string, files: readonly SetFile[], opts: PublishOpts = {}): Promise<string[]> {
  const abs = resolve(target);
  checkOutputTarget(abs, { ...opts, kind: 'set' });
  const folder = dirname(abs);
  const base = basename(abs);
  let oldFolder: string | undefined;
  try {
    oldFolder = ownSetFolder(abs, lstatSync(abs));
  } catch {
    oldFolder = undefined;
  }
  removeStale(folder, base, oldFolder ? basename(oldFolder) : undefined);
  const setName = tempName(base, 'set');
  const setDir = join(folder, setName);
  const names: string[] = [];
  let link: string | undefined;
  try {
    pending.add(setDir);
    mkdirSync(setDir, { mode: 0o755 });
    const used = new Set<string>();
    for (const f of files) {
      let name = safeName(f.name);
      for (let k = 2; used.has(name); k++) name = `${k}-${safeName(f.name)}`;
      used.add(name);
      const tmp = await writeTemp(setDir, `.${name}.tmp`, f.data);
      renameSync(tmp, join(setDir, name));
      pending.delete(tmp);
      names.push(name);
    }
    fsyncFolder(setDir);
    checkOutputTarget(abs, { ...opts, kind: 'set' });
    link = join(folder, tempName(base, 'lnk'));
    pending.add(link);
    symlinkSync(setName, link, 'dir');
    renameSync(link, abs);
    // same tick as the rename: the published folder is no longer pending
    pending.delete(link);
    pending.delete(setDir);
    fsyncFolder(folder);
  } catch (e) {
    if (link && pending.has(link)) rmSync(link, { force: true });
    if (pending.has(setDir)) rmSync(setDir, { force: true, recursive: true });
    if (link) pending.delete(link);
    pending.delete(setDir);
    throw asOutputError(e, target, opts);
  }
  if (oldFolder) rmSync(oldFolder, { force: true, recursive: true });
  return names.map((n) => join(target, n));
}

/**
 * FEESIM_WRITE_DELAY_MS slows each 64 KiB chunk down, so that a test can interrupt an export while it
 * is being written (test/exports.test.ts, test/output-safety.test.ts). Unset in normal use.
 */
function writeDelayMs(): number {
  const ms = Number(process.env.FEESIM_WRITE_DELAY_MS);
  return Number.isFinite(ms) ? Math.max(ms, 0) : 0;
}

/**
 * FEESIM_TEST_WRITE_LIMIT=N makes every file accept only its first N bytes, as a full disk does: the
 * test of short writes (test/output-safety.test.ts). Unset in normal use.
 */
function testWriteLimit(): number | undefined {
  const v = process.env.FEESIM_TEST_WRITE_LIMIT;
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}
