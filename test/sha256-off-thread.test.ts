import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OffThreadSha256 } from '../src/cli/sha256-off-thread.js';

/** Pieces of shared memory holding `bytes`, cut at the given lengths. */
function sharedPieces(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const mem = new Uint8Array(new SharedArrayBuffer(bytes.length + 16));
  mem.set(bytes, 8); // not at offset 0: the offsets are posted too
  const out: Uint8Array[] = [];
  let at = 0;
  for (const n of [...cuts, bytes.length]) {
    const end = Math.min(n, bytes.length);
    out.push(mem.subarray(8 + at, 8 + end));
    at = end;
  }
  return out;
}

describe('OffThreadSha256', () => {
  const bytes = new Uint8Array(300_000).map((_, k) => (k * 7919) % 251);
  const want = createHash('sha256').update(bytes).digest('hex');

  it('the doc example: "abc" (FIPS 180-2, appendix B.1)', async () => {
    const h = new OffThreadSha256();
    const piece = new Uint8Array(new SharedArrayBuffer(3));
    piece.set([97, 98, 99]);
    h.update(piece);
    expect(await h.digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('= node:crypto on this thread over the same bytes, whatever the pieces (empty ones, and ordinary memory, included)', async () => {
    for (const cuts of [[], [1], [0, 0, 5], [65_536, 65_536, 200_000]]) {
      const h = new OffThreadSha256();
      for (const p of sharedPieces(bytes, cuts)) h.update(p);
      expect(await h.digest()).toBe(want);
    }
    const h = new OffThreadSha256();
    h.update(bytes.subarray(0, 1000)); // not shared: posted as a copy
    for (const p of sharedPieces(bytes.subarray(1000), [5000])) h.update(p);
    expect(await h.digest()).toBe(want);
  });

  it('hashes the pieces on this thread when its worker is gone: the same digest', async () => {
    const h = new OffThreadSha256();
    for (const p of sharedPieces(bytes, [100_000])) h.update(p);
    h.dispose(); // the worker stopped before the digest was asked for
    expect(await h.digest()).toBe(want);
  });

  it('does not keep a piece of ordinary memory (posted as a copy): right digest, and no fallback once its worker is gone', async () => {
    const h = new OffThreadSha256();
    const pieces = sharedPieces(bytes, [100_000]);
    h.update(pieces[0]!);
    const reused = new Uint8Array(bytes.length); // the caller's buffer, written again after update
    reused.set(pieces[1]!);
    h.update(reused.subarray(0, pieces[1]!.length));
    reused.fill(0);
    expect(await h.digest()).toBe(want);
    const g = new OffThreadSha256();
    g.update(new Uint8Array(10));
    g.dispose();
    await expect(g.digest()).rejects.toThrow(/not kept/);
  });

  it('nothing at all: the digest of no bytes', async () => {
    expect(await new OffThreadSha256().digest()).toBe(createHash('sha256').digest('hex'));
  });
});
