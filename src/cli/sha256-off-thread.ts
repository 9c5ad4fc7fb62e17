import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * The SHA-256 of a large input, hashed on another thread while this one parses it (README, Performance):
 * on a 1,000,000-membership roster (85 MB) hashing takes ~70 ms that the parser need not wait for.
 *
 * The bytes are not copied: each piece is a view of shared memory (the roster parser reads the file
 * into SharedArrayBuffers, RosterParser.readTarget), posted to the worker, which hashes the very bytes
 * the parser reads — the parser never writes them again. If the worker cannot be started, every piece
 * is hashed here as it comes; if it fails, the pieces (still there) are hashed here at the end: the
 * same digest either way. Pieces of ordinary memory (update) are posted as copies and not kept.
 *
 * @example
 * const h = new OffThreadSha256();
 * const piece = new Uint8Array(new SharedArrayBuffer(3)); piece.set([97, 98, 99]);
 * h.update(piece);
 * await h.digest() // => 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export class OffThreadSha256 {
  /** The pieces the worker was sent, kept for the fallback (views of shared memory: nothing copied). */
  private readonly pieces: Uint8Array[] = [];
  /** False once a piece was sent as a copy and not kept: a failed worker then has no fallback. */
  private complete = true;
  /** The hash here, when no worker could be started: every piece hashed as it comes. */
  private readonly here = createHash('sha256');
  private worker: Worker | undefined;
  private readonly started: boolean;
  private readonly answer: Promise<string | undefined>;

  constructor() {
    try {
      this.worker = new Worker(WORKER_SOURCE, { eval: true });
      // never what keeps the process alive (an input error ends the read early); digest() holds it while it waits
      this.worker.unref();
    } catch {
      this.worker = undefined; // e.g. workers not allowed (Node's permission model): hashed here
    }
    this.started = this.worker !== undefined;
    const w = this.worker;
    this.answer = w
      ? new Promise((resolve) => {
          w.once('message', (hex: string) => resolve(hex));
          w.once('error', () => resolve(undefined));
          w.once('exit', () => resolve(undefined));
        })
      : Promise.resolve(undefined);
  }

  /**
   * Adds the next piece of the input. A view of shared memory that is not written again is posted as
   * it is, and kept for the fallback. Any other piece (ordinary memory the caller may reuse: the rest
   * of a roster after the parser stopped) is posted as a copy and not kept — a refused file of hundreds
   * of MB is not held for a digest nobody reads —, so from then on a failed worker has no fallback.
   * Without a worker, every piece is hashed here at once.
   */
  update(piece: Uint8Array): void {
    if (!this.started) {
      this.here.update(piece);
      return;
    }
    if (piece.buffer instanceof SharedArrayBuffer) {
      this.pieces.push(piece);
      this.worker?.postMessage({ buffer: piece.buffer, offset: piece.byteOffset, length: piece.length });
      return;
    }
    this.complete = false;
    const copy = piece.slice();
    this.worker?.postMessage({ buffer: copy.buffer, offset: 0, length: copy.length }, [copy.buffer]);
  }

  /** The hex digest of every piece, in order; the worker is stopped. */
  async digest(): Promise<string> {
    const w = this.worker;
    if (w) {
      w.ref();
      w.postMessage(null);
    }
    const hex = await this.answer;
    this.dispose();
    if (hex !== undefined) return hex;
    if (!this.started) return this.here.digest('hex'); // every piece hashed here, as it came
    if (!this.complete) throw new Error('the SHA-256 worker stopped, and pieces it was sent were not kept');
    const h = createHash('sha256');
    for (const p of this.pieces) h.update(p);
    return h.digest('hex');
  }

  /** Stops the worker (a read that ended early, or after the digest). */
  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }
}

/** The worker: hashes each piece posted ({ buffer, offset, length }); null asks for the hex digest. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha256');
parentPort.on('message', (m) => {
  if (m === null) parentPort.postMessage(hash.digest('hex'));
  else hash.update(new Uint8Array(m.buffer, m.offset, m.length));
});
`;
