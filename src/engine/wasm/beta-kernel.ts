import {
  type Arena,
  block,
  br,
  brIf,
  type Code,
  call,
  F64,
  f64,
  forRange,
  get,
  I32,
  i32,
  ifElse,
  loadF64,
  loop,
  op,
  set,
  sizedKernel,
  storeF64,
  when,
} from './assemble.js';

/**
 * The triangular draws' closed form, and the PERT draws' beta quantiles (random/distributions.ts: betaContinuedFraction, betaCdf,
 * newtonBeta, betaQuantileFrom and betaTable's entries) as WebAssembly, operation for operation the
 * JavaScript they stand for, with Math.log and Math.exp imported from JavaScript: the same numbers
 * bit for bit (test/beta-kernel.test.ts compares them). A Monte Carlo run inverts 10 parameters ×
 * 10,000 draws once per process, and in JavaScript most of that ran before the JIT had warmed up
 * (~35-40 % of a cold Monte Carlo run of 10,000 draws).
 */

const { f64Add, f64Sub, f64Mul, f64Div, f64Lt, f64Gt, f64Le, f64Ge, f64Eq, f64Ne, f64Abs, f64Neg } = op;
const i32And = 0x71;
const i32Or = 0x72;
const i32GtS = 0x4a;
const f64Min = 0xa4;
/** if (cond) { then } else { otherwise }, leaving an f64 */
const choose = (then: Code, otherwise: Code): Code => [0x04, F64, then, 0x05, otherwise, 0x0b];

// function indices: the imports first, then the module's own functions in the order given to sizedKernel
const LOG = 0;
const EXP = 1;
const CF = 2;
// 3: cdf (exported; nothing here calls it)
const NEWTON = 4;
const FROM = 5;
const INSIDE = 9; // after quantiles, table and triangular (the list given to sizedKernel)

const TINY = 1e-300;
const GRID = 256;

/** if (|v| < tiny) v = tiny */
const clampTiny = (v: number): Code => [get(v), f64Abs, f64(TINY), f64Lt, when([f64(TINY), set(v)])];

/** cf(a, b, x): betaContinuedFraction (Numerical Recipes' betacf), step for step. */
const cf = (() => {
  const [a, b, x, c, d, h, m, m2, aa, del] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const halfStep: Code = [
    // d = 1 + aa * d; c = 1 + aa / c; both kept away from zero; d = 1 / d
    [f64(1), get(aa), get(d), f64Mul, f64Add, set(d)],
    clampTiny(d),
    [f64(1), get(aa), get(c), f64Div, f64Add, set(c)],
    clampTiny(c),
    [f64(1), get(d), f64Div, set(d)],
  ];
  return {
    name: 'cf',
    params: [F64, F64, F64] as const,
    results: [F64] as const,
    locals: [F64, F64, F64, F64, F64, F64, F64] as const,
    code: [
      [f64(1), set(c)],
      // d = 1 - ((a + b) * x) / (a + 1)
      [f64(1), get(a), get(b), f64Add, get(x), f64Mul, get(a), f64(1), f64Add, f64Div, f64Sub, set(d)],
      clampTiny(d),
      [f64(1), get(d), f64Div, set(d), get(d), set(h), f64(1), set(m)],
      block(
        loop([
          [get(m), f64(300), f64Gt, brIf(1)],
          [f64(2), get(m), f64Mul, set(m2)],
          // aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
          [get(m), get(b), get(m), f64Sub, f64Mul, get(x), f64Mul],
          [get(a), get(m2), f64Add, f64(1), f64Sub, get(a), get(m2), f64Add, f64Mul, f64Div, set(aa)],
          halfStep,
          // h *= d * c
          [get(h), get(d), get(c), f64Mul, f64Mul, set(h)],
          // aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
          [get(a), get(m), f64Add, f64Neg, get(a), get(b), f64Add, get(m), f64Add, f64Mul, get(x), f64Mul],
          [get(a), get(m2), f64Add, get(a), get(m2), f64Add, f64(1), f64Add, f64Mul, f64Div, set(aa)],
          halfStep,
          // del = d * c; h *= del; converged when |del - 1| < 3e-16
          [get(d), get(c), f64Mul, set(del), get(h), get(del), f64Mul, set(h)],
          [get(del), f64(1), f64Sub, f64Abs, f64(3e-16), f64Lt, brIf(1)],
          [get(m), f64(1), f64Add, set(m), br(0)],
        ]),
      ),
      get(h),
    ],
  };
})();

/** ln pdf's exponent (a - 1) * log(x) + (b - 1) * log(1 - x) - lnB, given the two logs as code. */
const lnPdf = (a: number, b: number, lnB: number, logX: Code, log1mX: Code): Code => [
  [get(a), f64(1), f64Sub, logX, f64Mul],
  [get(b), f64(1), f64Sub, log1mX, f64Mul, f64Add, get(lnB), f64Sub],
];

/** cdf(a, b, x, lnB): betaCdf with its lnBeta given. */
const cdf = (() => {
  const [a, b, x, lnB] = [0, 1, 2, 3];
  return {
    name: 'cdf',
    params: [F64, F64, F64, F64] as const,
    results: [F64] as const,
    locals: [] as const,
    code: [
      [get(x), f64(0), f64Le, when([f64(0), op.return])],
      [get(x), f64(1), f64Ge, when([f64(1), op.return])],
      [get(a), get(b), get(x), get(lnB), get(x), call(LOG), f64(1), get(x), f64Sub, call(LOG), call(INSIDE)],
    ],
  };
})();

/** cdfInside(a, b, x, lnB, lx, l1x): betaCdfInside — betaCdf for 0 < x < 1 with lx = log(x), l1x = log(1 − x) given. */
const cdfInside = (() => {
  const [a, b, x, lnB, lx, l1x, lnFront] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'cdfInside',
    params: [F64, F64, F64, F64, F64, F64] as const,
    results: [F64] as const,
    locals: [F64] as const,
    code: [
      // lnFront = -lnB + a * lx + b * l1x
      [get(lnB), f64Neg, get(a), get(lx), f64Mul, f64Add],
      [get(b), get(l1x), f64Mul, f64Add, set(lnFront)],
      // x < (a + 1) / (a + b + 2)
      [get(x), get(a), f64(1), f64Add, get(a), get(b), f64Add, f64(2), f64Add, f64Div, f64Lt],
      choose(
        [get(lnFront), call(EXP), get(a), get(b), get(x), call(CF), f64Mul, get(a), f64Div],
        [f64(1), get(lnFront), call(EXP), get(b), get(a), f64(1), get(x), f64Sub, call(CF), f64Mul, get(b), f64Div, f64Sub],
      ),
    ],
  };
})();

/** newton(a, b, p, lnB, lo, hi, x): newtonBeta — Newton on I_x(a, b) = p inside [lo, hi], bisecting when a step leaves it. */
const newton = (() => {
  const [a, b, p, lnB, lo, hi, x, i, f, pdf, next, lx, l1x] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const mid: Code = [get(lo), get(hi), f64Add, f64(2), f64Div];
  const inside = (v: number): Code => [get(v), get(lo), f64Gt, get(v), get(hi), f64Lt, i32And];
  return {
    name: 'newton',
    params: [F64, F64, F64, F64, F64, F64, F64] as const,
    results: [F64] as const,
    locals: [I32, F64, F64, F64, F64, F64] as const,
    code: [
      [inside(x), op.i32Eqz, when([mid, set(x)])],
      [get(hi), get(lo), f64Sub, f64(1e-13), f64Lt, when([get(x), op.return])],
      block(
        loop([
          [get(i), i32(100), op.i32GeS, brIf(1)],
          // lo < x < hi inside [0, 1]: the CDF's and the density's logs, once
          [get(x), call(LOG), set(lx), f64(1), get(x), f64Sub, call(LOG), set(l1x)],
          [get(a), get(b), get(x), get(lnB), get(lx), get(l1x), call(INSIDE), get(p), f64Sub, set(f)],
          [get(f), f64(0), f64Lt, ifElse([get(x), set(lo)], [get(x), set(hi)])],
          [lnPdf(a, b, lnB, get(lx), get(l1x)), call(EXP), set(pdf)],
          [get(x), get(f), get(pdf), f64Div, f64Sub, set(next)],
          // outside the bracket, or not finite (next - next ≠ 0): bisect
          [inside(next), op.i32Eqz, get(next), get(next), f64Sub, f64(0), f64Ne, i32Or, when([mid, set(next)])],
          [get(next), get(x), f64Sub, f64Abs, f64(1e-13), f64Lt, get(hi), get(lo), f64Sub, f64(1e-13), f64Lt, i32Or],
          when([get(next), op.return]),
          [get(next), set(x), get(i), i32(1), op.i32Add, set(i), br(0)],
        ]),
      ),
      get(x),
    ],
  };
})();

/** from(tx, ts, a, b, lnB, p): betaQuantileFrom over a table's quantiles (tx) and slopes (ts), 0 < p < 1. */
const from = (() => {
  const [tx, ts, a, b, lnB, p, s, k, lo, hi, u, m0, m1, u2, u3, x0, lx, l1x, f, x1] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
  ];
  const at = (base: number, offset = 0): Code => [get(base), get(k), i32(3), op.i32Shl, op.i32Add, loadF64(offset)];
  return {
    name: 'from',
    params: [I32, I32, F64, F64, F64, F64] as const,
    results: [F64] as const,
    locals: [F64, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64] as const,
    code: [
      [get(p), f64(GRID), f64Mul, set(s)],
      // k = min(GRID - 1, floor(s))
      [f64(GRID - 1), get(s), op.f64Floor, f64Min, op.i32TruncF64S, set(k)],
      [at(tx), set(lo), at(tx, 8), set(hi), get(s), get(k), op.f64ConvertI32S, f64Sub, set(u)],
      [get(k), i32(0), i32GtS, get(k), i32(GRID - 1), op.i32LtS, i32And],
      when([
        [at(ts), f64(GRID), f64Div, set(m0), at(ts, 8), f64(GRID), f64Div, set(m1)],
        [get(m0), get(m0), f64Sub, f64(0), f64Eq, get(m1), get(m1), f64Sub, f64(0), f64Eq, i32And],
        when([
          [get(u), get(u), f64Mul, set(u2), get(u2), get(u), f64Mul, set(u3)],
          // x0 = (2u³ − 3u² + 1)·lo + (u³ − 2u² + u)·m0 + (3u² − 2u³)·hi + (u³ − u²)·m1
          [f64(2), get(u3), f64Mul, f64(3), get(u2), f64Mul, f64Sub, f64(1), f64Add, get(lo), f64Mul],
          [get(u3), f64(2), get(u2), f64Mul, f64Sub, get(u), f64Add, get(m0), f64Mul, f64Add],
          [f64(3), get(u2), f64Mul, f64(2), get(u3), f64Mul, f64Sub, get(hi), f64Mul, f64Add],
          [get(u3), get(u2), f64Sub, get(m1), f64Mul, f64Add, set(x0)],
          [get(x0), get(lo), f64Gt, get(x0), get(hi), f64Lt, i32And],
          when([
            [get(x0), call(LOG), set(lx), f64(1), get(x0), f64Sub, call(LOG), set(l1x)],
            [get(a), get(b), get(x0), get(lnB), get(lx), get(l1x), call(INSIDE), get(p), f64Sub, set(f)],
            [get(x0), get(f), lnPdf(a, b, lnB, get(lx), get(l1x)), call(EXP), f64Div, f64Sub, set(x1)],
            [get(x1), get(x0), f64Sub, f64Abs, f64(1e-9), f64Lt, get(x1), get(lo), f64Ge, i32And, get(x1), get(hi), f64Le, i32And],
            when([get(x1), op.return]),
          ]),
        ]),
      ]),
      [get(a), get(b), get(p), get(lnB), get(lo), get(hi), get(lo), get(u), get(hi), get(lo), f64Sub, f64Mul, f64Add, call(NEWTON)],
    ],
  };
})();

/**
 * quantiles(tx, ts, a, b, lnB, min, range, u, out, n): out[i] = min + q(u[i]) · range, where q is 0
 * at p ≤ 0, 1 at p ≥ 1, else `from` (quantileFunction's PERT closure over n uniforms).
 */
const quantiles = (() => {
  const [tx, ts, a, b, lnB, min, range, up, outp, n, i, p] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return {
    name: 'quantiles',
    params: [I32, I32, F64, F64, F64, F64, F64, I32, I32, I32] as const,
    results: [] as const,
    locals: [I32, F64] as const,
    code: forRange(i, i32(0), n, [
      [get(up), get(i), i32(3), op.i32Shl, op.i32Add, loadF64(), set(p)],
      [get(outp), get(i), i32(3), op.i32Shl, op.i32Add],
      [get(min), get(p), f64(0), f64Le],
      choose([f64(0)], [get(p), f64(1), f64Ge, choose([f64(1)], [get(tx), get(ts), get(a), get(b), get(lnB), get(p), call(FROM)])]),
      [get(range), f64Mul, f64Add, storeF64()],
    ]),
  };
})();

/** table(a, b, lnB, x): x[k] = newton(a, b, k / GRID, lnB, 0, 1, a / (a + b)) for k = 1 … GRID − 1 (betaTable). */
const table = (() => {
  const [a, b, lnB, xp, k, last, start] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'table',
    params: [F64, F64, F64, I32] as const,
    results: [] as const,
    locals: [I32, I32, F64] as const,
    code: [
      [get(a), get(a), get(b), f64Add, f64Div, set(start), i32(GRID), set(last)],
      forRange(k, i32(1), last, [
        [get(xp), get(k), i32(3), op.i32Shl, op.i32Add],
        [get(a), get(b), get(k), op.f64ConvertI32S, f64(GRID), f64Div, get(lnB), f64(0), f64(1), get(start), call(NEWTON)],
        storeF64(),
      ]),
    ],
  };
})();

/**
 * triangular(min, mode, max, u, out, n): out[i] = quantile({ dist: 'triangular', … }, u[i]) — with
 * fc = (mode − min) / (max − min): p < fc ? min + √(p·(max − min)·(mode − min)) : max − √((1 − p)·(max − min)·(max − mode)).
 * f64.sqrt is IEEE's correctly rounded square root, as Math.sqrt.
 */
const triangular = (() => {
  const [min, mode, max, up, outp, n, i, p, fc] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const sqrt = 0x9f;
  return {
    name: 'triangular',
    params: [F64, F64, F64, I32, I32, I32] as const,
    results: [] as const,
    locals: [I32, F64, F64] as const,
    code: [
      [get(mode), get(min), f64Sub, get(max), get(min), f64Sub, f64Div, set(fc)],
      forRange(i, i32(0), n, [
        [get(up), get(i), i32(3), op.i32Shl, op.i32Add, loadF64(), set(p)],
        [get(outp), get(i), i32(3), op.i32Shl, op.i32Add],
        [get(p), get(fc), f64Lt],
        choose(
          [get(min), get(p), get(max), get(min), f64Sub, f64Mul, get(mode), get(min), f64Sub, f64Mul, sqrt, f64Add],
          [get(max), f64(1), get(p), f64Sub, get(max), get(min), f64Sub, f64Mul, get(max), get(mode), f64Sub, f64Mul, sqrt, f64Sub],
        ),
        storeF64(),
      ]),
    ],
  };
})();

interface Exports {
  cdf(a: number, b: number, x: number, lnB: number): number;
  quantiles(tx: number, ts: number, a: number, b: number, lnB: number, min: number, range: number, u: number, out: number, n: number): void;
  table(a: number, b: number, lnB: number, x: number): void;
  triangular(min: number, mode: number, max: number, u: number, out: number, n: number): void;
}

/**
 * The compiled kernel, over a memory of at least `bytes` (what the caller will allocate after its
 * reset), never grown (sizedKernel), or undefined where WebAssembly is not available: distributions.ts
 * then runs its JavaScript.
 */
export const betaKernel = sizedKernel<Exports>(
  [cf, cdf, newton, from, quantiles, table, triangular, cdfInside],
  [
    { name: 'log', params: [F64], results: [F64], fn: Math.log },
    { name: 'exp', params: [F64], results: [F64], fn: Math.exp },
  ],
);

export type BetaKernel = Arena<Exports>;
