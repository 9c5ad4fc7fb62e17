import {
  type Arena,
  type Code,
  call,
  choose,
  F64,
  f64,
  forRange,
  get,
  I32,
  type ImportDef,
  i32,
  loadF64,
  loadI32,
  loadU8,
  op,
  set,
  sizedKernel,
  storeF64,
  storeU8,
  tee,
  when,
} from '../../wasm/assemble.js';

/**
 * The threshold sweep's inner loops (threshold-sweep.ts: memberUniform over a block of draws,
 * takeUpBlock, closeBlock, rightsFactors' powers, firstOutside's bounds check) as WebAssembly
 * functions, operation for operation: the same IEEE 754 arithmetic in the same order, so the same
 * numbers bit for bit (test/kernel.test.ts compares them with the JavaScript loops and with single
 * runs). A one-shot `feesim sweep` runs these loops once,
 * over about a million (member, draw) pairs, before V8's optimising compiler has caught up with
 * JavaScript loops; WebAssembly is compiled before its first call.
 *
 * Addresses are byte offsets into the module's memory; the caller lays its arrays out there (views
 * from `f64(offset, length)`), so JavaScript fills them in and reads them back without copying.
 */

const { i32Add, i32And, i32Eqz, i32Mul, i32Xor, i32Or, i32Shl, i32ShrU, i32LtS, f64Add, f64Sub, f64Mul, f64Div, f64Lt, f64Ne, f64Sqrt } =
  op;
/** Math.pow, imported by the kernels whose `powers` needs it: function 0, before the module's own. */
const POW = 0;
export const POW_IMPORT: ImportDef & { fn: (x: number, y: number) => number } = {
  name: 'pow',
  params: [F64, F64],
  results: [F64],
  fn: Math.pow,
};

/** murmur3's finaliser (random/streams.ts mix32) on local t, in place. */
export const mix = (t: number): Code => [
  [get(t), get(t), i32(16), i32ShrU, i32Xor, set(t)],
  [get(t), i32(0x85ebca6b | 0), i32Mul, set(t)],
  [get(t), get(t), i32(13), i32ShrU, i32Xor, set(t)],
  [get(t), i32(0xc2b2ae35 | 0), i32Mul, set(t)],
  [get(t), get(t), i32(16), i32ShrU, i32Xor, set(t)],
];

/** local a += (code leaving an i32) */
const addTo = (a: number, x: Code): Code => [get(a), x, i32Add, set(a)];

/**
 * memberUniform(seedKey, memberKey, draw) (random/streams.ts), operation for operation, stored as an
 * f64 at the address in local `out`: the locals `seed`, `key` and `draw` hold its inputs, `x` and `a`
 * are scratch. The sweep's `uniforms` and the Monte Carlo's `uniformsByDraw` both draw with it.
 */
export const storeUniform = (seed: number, key: number, draw: number, out: number, x: number, a: number): Code => [
  // a = mix32(seedKey ^ mix32(memberKey + imul(draw, 0x9e3779b9)))
  [get(key), get(draw), i32(0x9e3779b9 | 0), i32Mul, i32Add, set(x)],
  mix(x),
  [get(seed), get(x), i32Xor, set(a)],
  mix(a),
  // b = mix32(a ^ 0x5bd1e995 ^ draw)
  [get(a), i32(0x5bd1e995), i32Xor, get(draw), i32Xor, set(x)],
  mix(x),
  // (a × 2^21 + (b >>> 11)) / 2^53, a and b unsigned
  get(out),
  [get(a), op.f64ConvertI32U, f64(2097152), f64Mul],
  [get(x), i32(11), i32ShrU, op.f64ConvertI32U, f64Add],
  [f64(9007199254740992), f64Div, storeF64()],
];

/**
 * uniforms(keys, n, seedKey, first, count, out): out[m × count + d] = memberUniform(seedKey, keys[m],
 * first + d) for m < n, d < count (keys: u32; out: f64).
 */
export const uniforms = (() => {
  const [keys, n, seed, first, count, out, m, d, k, x, a, draw] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return {
    name: 'uniforms',
    params: [I32, I32, I32, I32, I32, I32] as const,
    results: [] as const,
    locals: [I32, I32, I32, I32, I32, I32] as const,
    code: forRange(m, i32(0), n, [
      [get(keys), get(m), i32(2), i32Shl, i32Add, loadI32(), set(k)],
      forRange(d, i32(0), count, [[get(first), get(d), i32Add, set(draw)], storeUniform(seed, k, draw, out, x, a), addTo(out, i32(8))]),
    ]),
  };
})();

/**
 * takeUp(u, p, b, acc, stride, chg, cg, cl, cu, cs, cc) → whether any took up: for i < b, taken =
 * u[i] < p[i] (0 or 1), acc[s × stride + i] += taken × c_s for the five contributions (stride in
 * bytes), and chg[i] |= taken (bytes). Only for finite contributions (taken × c adds c or exactly 0).
 */
const takeUp = (() => {
  const [u, p, b, acc, stride, chg, c0, i, any, lt, k, at] = [0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15];
  const slot = (s: number): Code => [
    [get(at), get(at), loadF64(), get(k), get(c0 + s), f64Mul, f64Add, storeF64()],
    addTo(at, get(stride)),
  ];
  return {
    name: 'takeUp',
    params: [I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64] as const,
    results: [I32] as const,
    locals: [I32, I32, I32, F64, I32] as const,
    code: [
      forRange(i, i32(0), b, [
        [get(u), loadF64(), get(p), loadF64(), f64Lt, tee(lt), get(any), i32Or, set(any)],
        [get(chg), get(i), i32Add, get(chg), get(i), i32Add, loadU8(), get(lt), i32Or, storeU8()],
        [get(lt), op.f64ConvertI32U, set(k)],
        [get(acc), set(at)],
        [0, 1, 2, 3, 4].map(slot),
        addTo(u, i32(8)),
        addTo(p, i32(8)),
        addTo(acc, i32(8)),
      ]),
      get(any),
    ],
  };
})();

/**
 * close(acc, stride, b, K, Y, gained, lastNewcomers, adminRate, adminUnits, adminFixed, pilotCost,
 * pilotYears, discount, net, discountedNet, participants, lost, chg, skip) → the first draw whose net
 * is not finite, or −1: closeBlock (threshold-sweep.ts), with every array at its byte address and
 * column stride `stride` bytes. With skip ≠ 0, a draw where nobody took up in this segment (chg[i] =
 * 0) is left as it is: its outputs still hold the segment before's figures, which are its own (the
 * same totals, the same arithmetic).
 */
const close = (() => {
  const [acc, stride, b, K, Y, gTerm, lastNew, rate, aUnits, aFixed, pcost, pilotYears, disc, oNet, oDisc, oPart, oLost, chg, skip] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
  ];
  const [i, o, y, k, bad, yB] = [19, 20, 21, 22, 23, 24];
  const [mtG, mtL, mtU, mtT, r, pc, total, dsum, gained, admin, x] = [25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
  const at = (base: number, row: Code): Code => [get(base), row, i32Add, get(o), i32Add]; // base + row + o
  const micro = (s: number): Code => [at(acc, [get(stride), i32(s), i32Mul]), loadF64(), f64(1e6), f64Div];
  return {
    name: 'close',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, I32, I32, I32, I32, I32, I32, I32] as const,
    results: [I32] as const,
    locals: [I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64] as const,
    code: [
      [i32(-1), set(bad)],
      forRange(i, i32(0), b, [
        [get(i), i32(3), i32Shl, set(o)],
        [get(skip), i32Eqz, get(chg), get(i), i32Add, loadU8(), i32Or],
        0x04,
        0x40, // if (!skip || chg[i]): close draw i
        // readTotals: micro-units to CHF and members (slots: gained, lost, admin units, switched, converted)
        [micro(0), set(mtG)],
        [micro(1), set(mtL)],
        [micro(2), set(mtU)],
        [micro(3), micro(4), f64Add, set(mtT)],
        [at(rate, i32(0)), loadF64(), set(r)],
        [at(pcost, i32(0)), loadF64(), set(pc)],
        [f64(0), set(total), f64(0), set(dsum)],
        forRange(y, i32(0), Y, [
          [get(y), get(stride), i32Mul, set(yB)],
          [f64(0), get(mtG), f64Add, set(gained)],
          forRange(k, i32(0), K, [
            [get(gained), at(gTerm, [get(y), get(K), i32Mul, get(k), i32Add, get(stride), i32Mul]), loadF64(), f64Add, set(gained)],
          ]),
          // 0 + (rate × (mt.adminUnits + adminUnits[y]) + adminFixed[y])
          [
            f64(0),
            get(r),
            get(mtU),
            at(aUnits, get(yB)),
            loadF64(),
            f64Add,
            f64Mul,
            at(aFixed, get(yB)),
            loadF64(),
            f64Add,
            f64Add,
            set(admin),
          ],
          [get(y), op.f64ConvertI32S, get(pilotYears), f64Lt, when([get(admin), get(pc), f64Sub, set(admin)])],
          // net = gained − (0 + lost) − admin
          [get(gained), f64(0), get(mtL), f64Add, f64Sub, get(admin), f64Sub, set(x)],
          [get(total), get(x), f64Add, set(total)],
          [get(dsum), get(x), get(disc), get(y), i32(3), i32Shl, i32Add, loadF64(), f64Div, f64Add, set(dsum)],
        ]),
        // participants of the last year: 0 + (switched + converted), + each group's newcomers
        [f64(0), get(mtT), f64Add, set(gained)],
        forRange(k, i32(0), K, [[get(gained), at(lastNew, [get(k), get(stride), i32Mul]), loadF64(), f64Add, set(gained)]]),
        [at(oNet, i32(0)), get(total), storeF64()],
        [get(bad), i32(0), i32LtS, get(total), get(total), f64Sub, f64(0), f64Ne, i32And, when([get(i), set(bad)])],
        [at(oDisc, i32(0)), get(dsum), storeF64()],
        [at(oPart, i32(0)), get(gained), storeF64()],
        [at(oLost, i32(0)), get(mtL), storeF64()],
        0x0b,
      ]),
      get(bad),
    ],
  };
})();

/**
 * outside(x, n, lo, hi) → the first i < n whose x[i] (f64) is not inside [lo, hi] and finite
 * (finite.ts inBounds: v ≥ lo && v ≤ hi && v − v = 0), or n: threshold-sweep.ts firstOutside over one
 * parameter's column of draws.
 */
const outside = (() => {
  const [x, n, lo, hi, i, v] = [0, 1, 2, 3, 4, 5];
  return {
    name: 'outside',
    params: [I32, I32, F64, F64] as const,
    results: [I32] as const,
    locals: [I32, F64] as const,
    code: [
      forRange(i, i32(0), n, [
        [get(x), get(i), i32(3), i32Shl, i32Add, loadF64(), set(v)],
        [get(v), get(lo), op.f64Ge, get(v), get(hi), op.f64Le, i32And],
        [get(v), get(v), f64Sub, f64(0), op.f64Eq, i32And, i32Eqz],
        when([get(i), op.return]),
      ]),
      get(n),
    ],
  };
})();

/**
 * powers(x, stride, e, out, b): out[d] = x[d × stride] ** e for d < b (x: byte address of draw 0's
 * value, stride in bytes) — drawTerms' power: 1 at e = 0 (as drawTerms), x at e = 1, x × x at e = 2,
 * √x at e = 0.5 and x > 0 (f64.sqrt, correctly rounded as Math.sqrt), else Math.pow imported: the same
 * numbers as x ** e in JavaScript (test/montecarlo.test.ts checks the shortcuts against Math.pow).
 */
export const powers = (() => {
  const [x, stride, e, out, b, d, v] = [0, 1, 2, 3, 4, 5, 6];
  const is = (c: number): Code => [get(e), f64(c), op.f64Eq];
  return {
    name: 'powers',
    params: [I32, I32, F64, I32, I32] as const,
    results: [] as const,
    locals: [I32, F64] as const,
    code: forRange(d, i32(0), b, [
      [get(out), get(x), loadF64(), set(v)],
      is(0),
      choose(
        [f64(1)],
        [
          is(1),
          choose(
            [get(v)],
            [
              is(2),
              choose(
                [get(v), get(v), f64Mul],
                [is(0.5), get(v), f64(0), op.f64Gt, i32And, choose([get(v), f64Sqrt], [get(v), get(e), call(POW)])],
              ),
            ],
          ),
        ],
      ),
      storeF64(),
      [get(x), get(stride), i32Add, set(x), get(out), i32(8), i32Add, set(out)],
    ]),
  };
})();

/** times(out, x, y, n): out[i] = x[i] × y[i] for i < n (f64). */
const times = (() => {
  const [out, x, y, n, i] = [0, 1, 2, 3, 4];
  const at = (p: number): Code => [get(p), get(i), i32(3), i32Shl, i32Add];
  return {
    name: 'times',
    params: [I32, I32, I32, I32] as const,
    results: [] as const,
    locals: [I32] as const,
    code: forRange(i, i32(0), n, [at(out), at(x), loadF64(), at(y), loadF64(), f64Mul, storeF64()]),
  };
})();

interface Exports {
  uniforms(keys: number, n: number, seed: number, first: number, count: number, out: number): void;
  takeUp(
    u: number,
    p: number,
    b: number,
    acc: number,
    stride: number,
    chg: number,
    cg: number,
    cl: number,
    cu: number,
    cs: number,
    cc: number,
  ): number;
  close(...args: number[]): number;
  times(out: number, x: number, y: number, n: number): void;
  outside(x: number, n: number, lo: number, hi: number): number;
  powers(x: number, stride: number, e: number, out: number, b: number): void;
}

/**
 * The compiled kernel, over a memory of at least `bytes` (what the caller will allocate after its
 * reset), never grown (sizedKernel), or undefined where WebAssembly is not available (node --jitless):
 * the caller runs its JavaScript loops.
 */
export const sweepKernel = sizedKernel<Exports>([uniforms, takeUp, close, times, outside, powers], [POW_IMPORT]);

export type SweepKernel = Arena<Exports>;
