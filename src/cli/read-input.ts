import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, read, readSync, type Stats } from 'node:fs';
import { maxInputMb, warn } from '../domain/input-state.js';
import { Utf8Check, Utf8Stream } from '../roster/utf8-stream.js';
import { describeNode, noteInput, reasonOf } from './atomic-write.js';
import { OffThreadSha256 } from './sha256-off-thread.js';

/**
 * Input bounds (docs/scenario-format.md "Limits"): only regular files are read — a FIFO, device,
 * socket or directory is refused at once, without blocking — and each kind of input has a size limit,
 * raised for one run with --max-input-mb (or FEESIM_MAX_INPUT_MB).
 */
export type InputKind = 'scenario' | 'roster' | 'table';
export const DEFAULT_LIMIT_MB: Record<InputKind, number> = { scenario: 4, roster: 512, table: 16 };
export { setMaxInputMb, takeWarnings, warn } from '../domain/input-state.js';

export function inputLimitBytes(kind: InputKind): number {
  const env = process.env.FEESIM_MAX_INPUT_MB;
  const mb = maxInputMb() ?? (env && /^\d+(\.\d+)?$/.test(env) ? Number(env) : DEFAULT_LIMIT_MB[kind]);
  return Math.floor(mb * 1024 * 1024);
}

/** A size as the limit messages show it (a limit under a kilobyte, `--max-input-mb 0.0001`, in bytes: not "0.000 MB"). */
const mb = (bytes: number) =>
  bytes < 1024 ? `${Math.floor(bytes)} bytes` : `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 3 : 1)} MB`;

export type ReadResult =
  | { text: string; bytes: Uint8Array; problem?: undefined; missing?: undefined }
  | { problem: string; missing: boolean; text?: undefined };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a run input: a regular file within its size limit, decoded as UTF-8 (invalid bytes become
 * U+FFFD with a warning naming the first line that has one). The file is recorded as an input, so no
 * output of this run may replace it. Never blocks on a FIFO, never reads a device.
 */
export function readInputFile(file: string, what: string, kind: InputKind, shown: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'not found' : `cannot be read: ${reasonOf(e)}`, missing: code === 'ENOENT' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: `is ${describeNode(st)}, not a regular file`, missing: false };
    const limit = inputLimitBytes(kind);
    if (st.size > limit)
      return {
        problem: `is ${mb(st.size)}, over the ${mb(limit)} limit for a ${kind === 'table' ? 'data table' : kind} file; raise it with --max-input-mb (or FEESIM_MAX_INPUT_MB)`,
        missing: false,
      };
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    noteInput(file, what, st);
    const bytes = buf.subarray(0, off);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      text = bytes.toString('utf8');
      const at = text.indexOf('\uFFFD');
      let line = 1;
      for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
      warn(`${shown}:${line}: not valid UTF-8; the invalid bytes were read as U+FFFD (save the file as UTF-8)`);
    }
    return { text, bytes };
  } catch (e) {
    return { problem: `cannot be read: ${reasonOf(e)}`, missing: false };
  } finally {
    closeSync(fd);
  }
}

/** Where a streamed input's text goes (RosterParser): its LF count so far and the length of an unfinished record. */
export interface TextSink {
  /** Told the file's size before the first chunk. */
  expect?(size: number): void;
  push(text: string): void;
  /** Takes the bytes undecoded, when the sink reads bytes (RosterParser): they are checked as UTF-8 here. */
  pushBytes?(bytes: Uint8Array): void;
  /**
   * With pushedInPlace, instead of pushBytes: the sink's own (shared) memory to read the next `want`
   * bytes into, then told how many were read (RosterParser.readTarget): no copy of each chunk.
   */
  readTarget?(want: number): Uint8Array;
  pushedInPlace?(n: number): void;
  /**
   * Where the `want` bytes after the next `ahead` (read, not pushed yet) may be read meanwhile, when
   * the sink's memory has room for them already (RosterParser.readTargetAhead); undefined otherwise.
   */
  readTargetAhead?(ahead: number, want: number): Uint8Array | undefined;
  readonly newlines: number;
  readonly pending: number;
}

export type StreamResult =
  | { sha256: string; size: number; problem?: undefined }
  | { problem: string; missing: boolean; sha256?: undefined };

/** Bytes read at a time; more when a record still open is longer (a read never costs more than the text kept). */
export const READ_CHUNK = 1 << 20;

/** Inputs from this size on are hashed on another thread when their bytes are read into shared memory (sha256-off-thread.ts). */
export const HASH_OFF_THREAD_BYTES = 8 << 20;

/** Decodes (or checks as UTF-8), hashes and hands on each chunk: the file is read once. */
class Consumer {
  /** The hash of the bytes on this thread, unless `offThread` takes them. */
  private readonly hashHere = createHash('sha256');
  private readonly utf8 = new Utf8Stream();
  private readonly check = new Utf8Check();
  size = 0;
  constructor(
    private readonly sink: TextSink,
    private readonly shown: string,
    /** When given, the hash of the bytes (which are then in shared memory, never written again). */
    readonly offThread?: OffThreadSha256,
  ) {}
  private hash(bytes: Uint8Array): void {
    if (this.offThread) this.offThread.update(bytes);
    else this.hashHere.update(bytes);
  }
  /** The next chunk, read into memory of the reader's own. */
  take(bytes: Uint8Array): void {
    this.size += bytes.length;
    this.hash(bytes);
    if (this.sink.pushBytes) {
      this.check.check(bytes, this.sink.newlines);
      this.sink.pushBytes(bytes);
    } else this.sink.push(this.utf8.decode(bytes, this.sink.newlines));
  }
  /** The next chunk, read where the sink's readTarget said (the first `n` bytes there). */
  tookInPlace(target: Uint8Array, n: number): void {
    const bytes = target.subarray(0, n);
    this.size += n;
    this.hash(bytes);
    this.check.check(bytes, this.sink.newlines);
    this.sink.pushedInPlace!(n);
  }
  /** The end of the input: the UTF-8 warning, if any (the digest: digestHere, or offThread.digest()). */
  finish(): void {
    const u = this.sink.pushBytes ? this.check : this.utf8;
    if (this.sink.pushBytes) this.check.end(this.sink.newlines);
    else this.sink.push(this.utf8.end(this.sink.newlines));
    if (u.invalid)
      warn(`${this.shown}:${u.replacementLine ?? 1}: not valid UTF-8; the invalid bytes were read as U+FFFD (save the file as UTF-8)`);
  }
  /** The digest, when the bytes were hashed on this thread. */
  digestHere(): string {
    return this.hashHere.digest('hex');
  }
}

function checkStat(st: Stats, kind: InputKind): string | undefined {
  if (!st.isFile()) return `is ${describeNode(st)}, not a regular file`;
  const limit = inputLimitBytes(kind);
  if (st.size > limit)
    return `is ${mb(st.size)}, over the ${mb(limit)} limit for a ${kind === 'table' ? 'data table' : kind} file; raise it with --max-input-mb (or FEESIM_MAX_INPUT_MB)`;
  return undefined;
}

const openProblem = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return { problem: code === 'ENOENT' ? 'not found' : `cannot be read: ${reasonOf(e)}`, missing: code === 'ENOENT' };
};

/** An I/O error while reading, as a problem; anything else is a bug and thrown on. */
function readProblem(e: unknown): StreamResult {
  if ((e as NodeJS.ErrnoException).code === undefined) throw e; // not an I/O error
  return { problem: `cannot be read: ${reasonOf(e)}`, missing: false };
}

/** The `want` bytes at `position` of the file read into `target` on libuv's thread pool: the number read. */
function readOnThreadPool(fd: number, target: Uint8Array, want: number, position: number): Promise<number> {
  return new Promise((done, failed) => read(fd, target, 0, want, position, (e, n) => (e ? failed(e) : done(n))));
}

/**
 * streamInputFile and streamInputFileSync: opens, checks and reads the file chunk by chunk into the
 * sink, yielding after each chunk; returns the result. A regular file's chunk is read at once (a FIFO
 * or device is refused before any read), synchronously: a read handed to the thread pool, then
 * awaited, only left the process idle between chunks (about a tenth of a second on a 1,000,000-row
 * roster). When the driver awaits (streamInputFile), a sink that reads in place and has room for the next
 * chunk already (RosterParser.readTargetAhead) has that chunk read on the thread pool while it reads
 * this one: the generator yields the read's promise, and is given the number of bytes read (or the
 * read's error thrown in) when it has settled. `driverAwaits`: true for streamInputFile, which awaits
 * between chunks, and so may also have a large file hashed on another thread; false for
 * streamInputFileSync.
 */
function* readChunks(
  file: string,
  what: string,
  kind: InputKind,
  shown: string,
  sink: TextSink,
  driverAwaits: boolean,
): Generator<Promise<number> | undefined, StreamResult | { consumer: Consumer; size: number }, number | undefined> {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return openProblem(e);
  }
  let consumer: Consumer | undefined;
  /** The next chunk, being read on the thread pool into `target`. */
  let reading: { target: Uint8Array; bytes: Promise<number> } | undefined;
  try {
    const st = fstatSync(fd);
    const problem = checkStat(st, kind);
    if (problem) return { problem, missing: false };
    noteInput(file, what, st);
    sink.expect?.(st.size);
    // a sink with memory of its own (the roster parser) has each chunk read straight into it
    const inPlace = sink.readTarget !== undefined && sink.pushedInPlace !== undefined && sink.pushBytes !== undefined;
    const c = new Consumer(sink, shown, inPlace && driverAwaits && st.size >= HASH_OFF_THREAD_BYTES ? new OffThreadSha256() : undefined);
    consumer = c;
    let buf = inPlace ? Buffer.alloc(0) : Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(st.size, 1)));
    while (c.size < st.size) {
      const want = Math.min(Math.max(READ_CHUNK, sink.pending), st.size - c.size);
      if (inPlace) {
        let n: number;
        let target: Uint8Array;
        if (reading) {
          const ahead = reading.target;
          n = (yield reading.bytes)!; // the driver waits for the read (signals are answered meanwhile)
          reading = undefined;
          // where the sink wants them now: the same memory, unless it has stopped (then a copy)
          target = sink.readTarget!(n);
          if (n > 0 && (target.buffer !== ahead.buffer || target.byteOffset !== ahead.byteOffset)) target.set(ahead.subarray(0, n));
        } else {
          target = sink.readTarget!(want);
          n = readSync(fd, target, 0, want, c.size);
        }
        if (n === 0) break;
        // the next chunk read on the thread pool while the sink reads this one
        const next = Math.min(Math.max(READ_CHUNK, sink.pending), st.size - c.size - n);
        const ahead = driverAwaits && next > 0 ? sink.readTargetAhead?.(n, next) : undefined;
        if (ahead) reading = { target: ahead, bytes: readOnThreadPool(fd, ahead, next, c.size + n) };
        c.tookInPlace(target, n);
        if (reading) continue; // the driver waits for that read next
      } else {
        if (want > buf.length) buf = Buffer.allocUnsafe(want);
        const n = readSync(fd, buf, 0, want, c.size);
        if (n === 0) break;
        c.take(buf.subarray(0, n));
      }
      yield;
    }
    c.finish();
    consumer = undefined; // handed on: the caller takes the digest
    return { consumer: c, size: c.size };
  } catch (e) {
    return readProblem(e);
  } finally {
    consumer?.offThread?.dispose();
    // a read still under way on the thread pool (the sink failed meanwhile) has the file closed after it:
    // closed now, its descriptor could be another file's by the time the read is made
    if (reading)
      void reading.bytes.then(
        () => closeSync(fd),
        () => closeSync(fd),
      );
    else closeSync(fd);
  }
}

/**
 * Streams a run input into `sink` in chunks, with the checks of readInputFile (regular files only —
 * never blocks on a FIFO —, the size limit, the UTF-8 warning, recorded as an input) and its sha256
 * computed from the same chunks. Asynchronous: between chunks the process answers signals (Ctrl+C).
 * At most the size the file had when opened is read.
 */
export async function streamInputFile(file: string, what: string, kind: InputKind, shown: string, sink: TextSink): Promise<StreamResult> {
  const steps = readChunks(file, what, kind, shown, sink, true);
  for (let r = steps.next(); ; ) {
    if (r.done) {
      if (!('consumer' in r.value)) return r.value;
      const { consumer, size } = r.value;
      return { sha256: consumer.offThread ? await consumer.offThread.digest() : consumer.digestHere(), size };
    }
    // signals are answered here, between chunks
    if (r.value === undefined) {
      await new Promise((go) => setImmediate(go));
      r = steps.next();
      continue;
    }
    let n: number;
    try {
      n = await r.value; // the next chunk, read on the thread pool
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next(n);
  }
}

/** streamInputFile without yielding to the event loop (for callers that cannot wait: tests, `roster`); hashed on this thread. */
export function streamInputFileSync(file: string, what: string, kind: InputKind, shown: string, sink: TextSink): StreamResult {
  const steps = readChunks(file, what, kind, shown, sink, false);
  for (let r = steps.next(); ; r = steps.next())
    if (r.done) return 'consumer' in r.value ? { sha256: r.value.consumer.digestHere(), size: r.value.size } : r.value;
}
