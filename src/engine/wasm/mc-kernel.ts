import {
  type Arena,
  type Code,
  F64,
  f64,
  forRange,
  get,
  I32,
  i32,
  instanceFactory,
  loadF64,
  loadI32,
  op,
  set,
  storeF64,
  type ValType,
  when,
} from '../../wasm/assemble.js';
import { POW_IMPORT, powers, storeUniform } from './sweep-kernel.js';

/**
 * A Monte Carlo run's member loops (montecarlo.ts) as WebAssembly, a block of draws at a time: the
 * per-member uniforms (memberUniform, operation for operation) and every arm's members in each draw
 * (member-choice.ts drawMembers), the same IEEE 754 operations in the same order, so the same numbers
 * bit for bit (test/montecarlo.test.ts compares runs with the JavaScript loops). A one-shot Monte Carlo
 * run of 10,000 draws runs these loops 10,000 times per arm before V8's optimising compiler has caught
 * up with them in JavaScript; WebAssembly is compiled before its first call, and one call per block
 * (not one per draw and arm) leaves little JavaScript in the draw loop for V8 to compile.
 *
 * Each run gets an instance of its own (instanceFactory: compiled once), its memory sized for its
 * arrays up front and never grown: the records, a block's parameter columns, powers, uniforms and
 * accumulators live there as long as the run, and several runs may be alive at once (the explorer's).
 */

const { i32Add, i32And, i32Mul, f64Add, f64Mul, f64Lt } = op;
const SLOTS = 7; // kernel.ts SLOTS: the accumulation step's numbers per member

/** Bytes of a member's record: seven i32 fields (and 4 spare), its fixed probability, its SLOTS contributions. */
export const RECORD = 40 + 8 * SLOTS;
/** Where a record holds whether it ends its group (drawBlockBranchFree), its fixed probability, and its contributions. */
export const LAST = 24;
export const FIXED_P = 32;
export const CONTRIB = 40;

/**
 * uniformsByDraw(keys, n, seedKey, first, count, out): out[d × n + m] = memberUniform(seedKey, keys[m],
 * first + d) for d < count, m < n — sweep-kernel.ts `uniforms` with its two loops swapped (the same
 * operations for each number), so that one draw's uniforms lie together: `uniforms`' member-major
 * block put a draw's uniforms 16 KiB apart (2,048 draws), all in one set of the processor's cache.
 */
const uniformsByDraw = (() => {
  const [keys, n, seed, first, count, out, m, d, k, x, a, draw] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return {
    name: 'uniformsByDraw',
    params: [I32, I32, I32, I32, I32, I32] as const,
    results: [] as const,
    locals: [I32, I32, I32, I32, I32, I32] as const,
    code: forRange(d, i32(0), count, [
      [get(first), get(d), i32Add, set(draw)],
      forRange(m, i32(0), n, [
        [get(keys), get(m), i32(2), op.i32Shl, i32Add, loadI32(), set(k)],
        storeUniform(seed, k, draw, out, x, a),
        [get(out), i32(8), i32Add, set(out)],
      ]),
    ]),
  };
})();

/**
 * drawBlock(records, n, from, to, u, uRow, acc, accRow): draws from … to − 1 of a block (of n members),
 * draw d's uniforms at u + d × uRow and its accumulators at acc + d × accRow (bytes; zeroed by the caller). Each member's record
 * (RECORD bytes, laid out by montecarlo.ts kernelLoops):
 *
 *   [0] address of its probability in draw 0, [4] its stride: the probability of draw d is at
 *       [0] + d × [4] — a parameter's value in the block's rows of values (stride: a row's bytes), or
 *       its fixed probability at [32] in the record (stride 0)
 *   [8], [12] columns of its two rights-aware powers (drawTerms; both the column of 1.0s when it has none)
 *   [16] its uniform's slot × 8;  [20] its offer's accumulator, bytes from the draw's
 *   [24] 1 where it is the last of its group (drawBlockBranchFree)
 *   [32] its fixed probability (if any);  [40 …] its SLOTS contributions at taken = 1
 *
 * p = probability × (power1 × power2); when uniform < p, accumulator[s] += contribution[s] for s < SLOTS
 * — member-choice.ts drawMembers' operations in its order (a member without rights-aware powers: p × (1
 * × 1) is p, bit for bit), draw after draw.
 *
 * drawBlockBranchFree does the same without a branch, for runs whose contributions are all finite and
 * whose records come in groups of one accumulator each (the last of a group marked at [24]): the
 * group's SLOTS sums are kept in locals, sum[s] += taken × contribution[s] with taken 1 or 0, and added
 * to the accumulator at the group's end. 1 × c is c and 0 × c is ±0, which leaves a sum as it is (a
 * sum starts at +0, and +0 + −0 is +0: it is never −0); a group holds its accumulator's members in their
 * row order (montecarlo.ts sorts them stably), so each accumulator gets the same additions in the same
 * order as drawBlock gives it, whatever their size: the same bits. Whether a member takes up is a coin
 * toss the processor cannot predict: the branch cost more than the adds, and adding into memory member
 * after member waited on the store before.
 */
const drawBlockOf = (name: string, branchFree: boolean) => {
  const [records, n, from, to, u, uRow, acc, accRow] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [d, d8, m, r, at, p, ud, ad, taken] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const sum = (s: number) => 17 + s; // the group's sums (branch-free)
  const locals: ValType[] = [I32, I32, I32, I32, I32, F64, I32, I32, F64, ...Array.from({ length: SLOTS }, (): ValType => F64)];
  const field = (offset: number): Code => [get(r), loadI32(offset)];
  const take: Code = branchFree
    ? [
        // taken = (uniform < p) as 1 or 0; sum[s] += taken × contribution[s] (adds it, or exactly 0)
        [op.f64ConvertI32U, set(taken)],
        Array.from({ length: SLOTS }, (_, s) => [get(sum(s)), get(taken), get(r), loadF64(CONTRIB + 8 * s), f64Mul, f64Add, set(sum(s))]),
        // the group's last: its sums into the accumulator, and zeroed
        field(LAST),
        when([
          [get(ad), field(20), i32Add, set(at)],
          Array.from({ length: SLOTS }, (_, s) => [
            get(at),
            get(at),
            loadF64(8 * s),
            get(sum(s)),
            f64Add,
            storeF64(8 * s),
            f64(0),
            set(sum(s)),
          ]),
        ]),
      ]
    : when([
        [get(ad), field(20), i32Add, set(at)],
        Array.from({ length: SLOTS }, (_, s) => [
          get(at),
          get(at),
          loadF64(8 * s),
          get(r),
          loadF64(CONTRIB + 8 * s),
          f64Add,
          storeF64(8 * s),
        ]),
      ]);
  return {
    name,
    params: [I32, I32, I32, I32, I32, I32, I32, I32] as const,
    results: [] as const,
    locals,
    code: forRange(d, get(from), to, [
      [get(d), i32(3), op.i32Shl, set(d8), get(records), set(r)],
      [get(u), get(d), get(uRow), i32Mul, i32Add, set(ud), get(acc), get(d), get(accRow), i32Mul, i32Add, set(ad)],
      forRange(m, i32(0), n, [
        // p = probability × (power1 × power2)
        [field(0), get(d), field(4), i32Mul, i32Add, loadF64()],
        [field(8), get(d8), i32Add, loadF64(), field(12), get(d8), i32Add, loadF64(), f64Mul, f64Mul, set(p)],
        // uniform < p: it takes up
        [get(ud), field(16), i32Add, loadF64(), get(p), f64Lt],
        take,
        [get(r), i32(RECORD), i32Add, set(r)],
      ]),
    ]),
  };
};
const drawBlock = drawBlockOf('drawBlock', false);
const drawBlockBranchFree = drawBlockOf('drawBlockBranchFree', true);

/**
 * outside(drawn, row, b, ks, m, lo, hi) → d × m + j for the first draw d < b and check j < m (in that
 * order) whose value — at drawn + d × row + ks[j] (ks: i32 byte offsets) — is not inside [lo[j],
 * hi[j]] and finite, or −1: finite.ts inBounds (v ≥ lo && v ≤ hi && v − v = 0) over a block's rows.
 */
const outside = (() => {
  const [drawn, row, b, ks, m, lo, hi] = [0, 1, 2, 3, 4, 5, 6];
  const [d, j, at, v] = [7, 8, 9, 10];
  return {
    name: 'outside',
    params: [I32, I32, I32, I32, I32, I32, I32] as const,
    results: [I32] as const,
    locals: [I32, I32, I32, F64] as const,
    code: [
      forRange(d, i32(0), b, [
        [get(drawn), get(d), get(row), i32Mul, i32Add, set(at)],
        forRange(j, i32(0), m, [
          [get(at), get(ks), get(j), i32(2), op.i32Shl, i32Add, loadI32(), i32Add, loadF64(), set(v)],
          [get(v), get(lo), get(j), i32(3), op.i32Shl, i32Add, loadF64(), op.f64Ge],
          [get(v), get(hi), get(j), i32(3), op.i32Shl, i32Add, loadF64(), op.f64Le, i32And],
          [get(v), get(v), op.f64Sub, f64(0), op.f64Eq, i32And, op.i32Eqz],
          when([get(d), get(m), i32Mul, get(j), i32Add, op.return]),
        ]),
      ]),
      i32(-1),
    ],
  };
})();

/**
 * scatter(cols, colBytes, ks, m, rows, rowBytes, b): rows[d][ks[j]] = cols[j][d] for j < m, d < b —
 * column j at cols + j × colBytes, row d at rows + d × rowBytes, ks[j] a byte offset in a row (i32):
 * the sampler's columns of a block into the rows of parameter values (copies, no arithmetic).
 */
const scatter = (() => {
  const [cols, colBytes, ks, m, rows, rowBytes, b] = [0, 1, 2, 3, 4, 5, 6];
  const [j, d, from, to] = [7, 8, 9, 10];
  return {
    name: 'scatter',
    params: [I32, I32, I32, I32, I32, I32, I32] as const,
    results: [] as const,
    locals: [I32, I32, I32, I32] as const,
    code: forRange(j, i32(0), m, [
      [get(cols), get(j), get(colBytes), i32Mul, i32Add, set(from)],
      [get(rows), get(ks), get(j), i32(2), op.i32Shl, i32Add, loadI32(), i32Add, set(to)],
      forRange(d, i32(0), b, [
        [get(to), get(from), loadF64(), storeF64()],
        [get(from), i32(8), i32Add, set(from), get(to), get(rowBytes), i32Add, set(to)],
      ]),
    ]),
  };
})();

interface Exports {
  uniformsByDraw(keys: number, n: number, seed: number, first: number, count: number, out: number): void;
  drawBlock(records: number, n: number, from: number, to: number, u: number, uRow: number, acc: number, accRow: number): void;
  drawBlockBranchFree(records: number, n: number, from: number, to: number, u: number, uRow: number, acc: number, accRow: number): void;
  powers(x: number, stride: number, e: number, out: number, b: number): void;
  outside(drawn: number, row: number, b: number, ks: number, m: number, lo: number, hi: number): number;
  scatter(cols: number, colBytes: number, ks: number, m: number, rows: number, rowBytes: number, b: number): void;
}

let factory: ((bytes: number) => Arena<Exports> | null) | null | undefined;

/**
 * A new kernel instance whose memory holds `bytes` (allocate exactly that from its arena, then make the
 * views), or undefined where WebAssembly is not available (node --jitless): the caller runs JavaScript.
 */
export function monteCarloKernel(bytes: number): Arena<Exports> | undefined {
  if (factory === undefined)
    factory = instanceFactory<Exports>([uniformsByDraw, drawBlock, drawBlockBranchFree, powers, outside, scatter], [POW_IMPORT]);
  return factory?.(bytes) ?? undefined;
}

export type MonteCarloKernel = Arena<Exports>;
