import {
  type Arena,
  block,
  br,
  brIf,
  type Code,
  call,
  choose,
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
} from '../../wasm/assemble.js';

/**
 * The triangular draws' closed form, and the PERT draws' beta quantiles (random/distributions.ts:
 * betaContinuedFraction, betaCdf, newtonBeta, betaHalfQuantile, betaQuantileFrom and
 * betaHalfTable) as WebAssembly, operation for operation the JavaScript they stand for, with Math.log,
 * Math.exp and Math.pow imported from JavaScript: the same numbers bit for bit
 * (test/beta-kernel.test.ts compares them). A Monte Carlo run inverts 10 parameters × 10,000 draws
 * once per process, and in JavaScript most of that ran before the JIT had warmed up.
 */

const { f64Add, f64Sub, f64Mul, f64Div, f64Lt, f64Gt, f64Le, f64Ge, f64Ne, f64Abs, f64Neg, f64Min, f64Sqrt, i32And, i32Or } = op;
/** i32.trunc_sat_f64_s (non-trapping: NaN gives 0) */
const TRUNC_SAT: Code = [0xfc, 0x02];

// function indices: the imports first, then the module's own functions in the order given to sizedKernel
const LOG = 0;
const EXP = 1;
const POW = 2;
const CF = 3;
const CDF = 4;
const NEWTON = 5;
const HALF = 6;
// 7: quantiles (exported)
const KNOTS = 8;
// 9: halfTable, 10: triangular (exported)
const INSIDE = 11; // the last in the list given to sizedKernel

const TINY = 1e-300;
/** A half table's header (random/distributions.ts HALF_HEAD): 1/a, cells per unit of v, cells − 1, 1 if checked; then 6 coefficients a cell. */
const HEAD_BYTES = 32;

/**
 * c₀·v₀ ± |c₁|·v₁ ± … (each term a coefficient and a local), left to right as JavaScript evaluates
 * `c0 * v0 + c1 * v1 - …`: a term with a negative coefficient after the first is subtracted (1·v is v,
 * bit for bit).
 */
const combination = (...terms: [number, number][]): Code =>
  terms.map(([c, v], i) => (i === 0 ? [f64(c), get(v), f64Mul] : [f64(Math.abs(c)), get(v), f64Mul, c < 0 ? f64Sub : f64Add]));

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
          // converged: a step below 1e-13 inside the closed bracket (also one that rounds to x, now its end)
          [get(next), get(x), f64Sub, f64Abs, f64(1e-13), f64Lt, get(next), get(lo), f64Ge, i32And, get(next), get(hi), f64Le, i32And],
          when([get(next), op.return]),
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

/**
 * A cell's quintic at u, by Horner's rule from its six coefficients at byte o + HEAD_BYTES:
 * ((((c5·u + c4)·u + c3)·u + c2)·u + c1)·u + c0, which is JavaScript's c0 + u·(c1 + u·(… + u·c5)) bit
 * for bit (IEEE addition and multiplication commute).
 */
const quintic = (o: number, u: Code): Code => [
  [get(o), loadF64(HEAD_BYTES + 40)],
  [4, 3, 2, 1, 0].map((j) => [u, f64Mul, get(o), loadF64(HEAD_BYTES + 8 * j), f64Add]),
];

/**
 * half(tp, a, b, lnB, q): betaHalfQuantile — Beta(a, b)'s quantile of 0 < q ≤ 1/2 from the half table
 * at byte tp: the quintic of v = q^(1/a)'s cell by Horner's rule, or Newton's method from there when
 * the table did not pass its check.
 */
const half = (() => {
  const [tp, a, b, lnB, q, z, k, u, o, y] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  return {
    name: 'half',
    params: [I32, F64, F64, F64, F64] as const,
    results: [F64] as const,
    locals: [F64, I32, F64, I32, F64] as const,
    code: [
      [get(q), call(LOG), get(tp), loadF64(0), f64Mul, call(EXP), get(tp), loadF64(8), f64Mul, set(z)],
      // k = min(cells - 1, floor(z)); u = z - k; the cell's coefficients at tp + HEAD_BYTES + 48k
      // (i32.trunc_sat_f64_s: a NaN uniform gives k = 0 and a NaN draw, as in JavaScript, not a trap)
      [get(tp), loadF64(16), get(z), op.f64Floor, f64Min, TRUNC_SAT, set(k)],
      [get(z), get(k), op.f64ConvertI32S, f64Sub, set(u)],
      [get(tp), get(k), i32(48), op.i32Mul, op.i32Add, set(o)],
      quintic(o, get(u)),
      set(y),
      [get(tp), loadF64(24), f64(1), op.f64Eq],
      // else Newton's method inside the cell: from its knot x_k to the next one (1 after the last cell)
      choose(
        [get(y)],
        [
          [get(a), get(b), get(q), get(lnB), get(o), loadF64(HEAD_BYTES)],
          [get(k), op.f64ConvertI32S, get(tp), loadF64(16), f64Lt, choose([get(o), loadF64(HEAD_BYTES + 48)], [f64(1)])],
          [get(y), call(NEWTON)],
        ],
      ),
    ],
  };
})();

/**
 * quantiles(lower, upper, a, b, lnB, min, range, u, out, n): out[i] = min + q(u[i]) · range, where q
 * is 0 at p ≤ 0, 1 at p ≥ 1, else betaQuantileFrom: the lower half table (Beta(a, b)) for p ≤ 1/2,
 * 1 − the upper one (Beta(b, a)) at 1 − p above.
 */
const quantiles = (() => {
  const [lower, upper, a, b, lnB, min, range, up, outp, n, i, p] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return {
    name: 'quantiles',
    params: [I32, I32, F64, F64, F64, F64, F64, I32, I32, I32] as const,
    results: [] as const,
    locals: [I32, F64] as const,
    code: forRange(i, i32(0), n, [
      [get(up), get(i), i32(3), op.i32Shl, op.i32Add, loadF64(), set(p)],
      [get(outp), get(i), i32(3), op.i32Shl, op.i32Add],
      [get(min), get(p), f64(0), f64Le],
      choose(
        [f64(0)],
        [
          [get(p), f64(1), f64Ge],
          choose(
            [f64(1)],
            [
              [get(p), f64(0.5), f64Le],
              choose(
                [get(lower), get(a), get(b), get(lnB), get(p), call(HALF)],
                [f64(1), get(upper), get(b), get(a), get(lnB), f64(1), get(p), f64Sub, call(HALF), f64Sub],
              ),
            ],
          ),
        ],
      ),
      [get(range), f64Mul, f64Add, storeF64()],
    ]),
  };
})();

/**
 * knots(a, b, lnB, h, first, x, n): betaHalfTable's knots — x[0] = 0 and, for k = 1 … n,
 * x[k] = newton(a, b, pow(k·h, a), lnB, x[k − 1], 1, k = 1 ? first : 2·x[k − 1] − x[k − 2]).
 */
const knots = (() => {
  const [a, b, lnB, h, first, xp, n, k, last, at] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const before = (j: number): Code => [get(at), i32(8 * j), op.i32Sub, loadF64()];
  return {
    name: 'knots',
    params: [F64, F64, F64, F64, F64, I32, I32] as const,
    results: [] as const,
    locals: [I32, I32, I32] as const,
    code: [
      [get(xp), f64(0), storeF64(), get(n), i32(1), op.i32Add, set(last)],
      forRange(k, i32(1), last, [
        [get(xp), get(k), i32(3), op.i32Shl, op.i32Add, set(at), get(at)],
        [get(a), get(b), get(k), op.f64ConvertI32S, get(h), f64Mul, get(a), call(POW), get(lnB), before(1), f64(1)],
        [get(k), i32(1), op.i32Eq, choose([get(first)], [f64(2), before(1), f64Mul, before(2), f64Sub])],
        call(NEWTON),
        storeF64(),
      ]),
    ],
  };
})();

/**
 * halfTable(a, b, lnB, h, c, cells, t, x, d1, d2, tolerance): betaHalfTable after its header's first
 * three entries — the knots into x, x'·h and x''·h² into d1 and d2, each cell's six coefficients
 * into t after its header, and t's fourth entry 1 if every cell's midpoint is within `tolerance` of
 * the exact quantile, else 0; returns the largest midpoint error (NaNs not counted).
 */
const halfTable = (() => {
  const [a, b, lnB, h, c, cells, tp, xp, d1p, d2p, tol] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [k, last, o, v, xk, dx, x0, x1, m0, m1, s0, s1, y, checked, err, worst] = [
    11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
  ];
  const at = (base: number, offset = 0): Code => [get(base), get(k), i32(3), op.i32Shl, op.i32Add, loadF64(offset)];
  const addr = (base: number): Code => [get(base), get(k), i32(3), op.i32Shl, op.i32Add];
  const lnPdfAt = (x: number): Code => lnPdf(a, b, lnB, [get(x), call(LOG)], [f64(1), get(x), f64Sub, call(LOG)]);
  const coef = (j: number, value: Code): Code => [get(o), value, storeF64(HEAD_BYTES + 8 * j)];
  return {
    name: 'halfTable',
    params: [F64, F64, F64, F64, F64, I32, I32, I32, I32, I32, F64] as const,
    results: [F64] as const,
    locals: [I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64] as const,
    code: [
      [get(a), get(b), get(lnB), get(h), get(c), get(h), f64Mul, get(xp), get(cells), call(KNOTS)],
      // at v = 0: x' · h = c·h, x'' · h² = (2(b − 1)/(a + 1))·c·c·h·h
      [get(d1p), get(c), get(h), f64Mul, storeF64()],
      [get(d2p), f64(2), get(b), f64(1), f64Sub, f64Mul, get(a), f64(1), f64Add, f64Div],
      [get(c), f64Mul, get(c), f64Mul, get(h), f64Mul, get(h), f64Mul, storeF64()],
      [get(cells), i32(1), op.i32Add, set(last)],
      forRange(k, i32(1), last, [
        [get(k), op.f64ConvertI32S, get(h), f64Mul, set(v), at(xp), set(xk)],
        // dx = a·v^(a − 1) / pdf(x_k)
        [get(a), get(v), get(a), f64(1), f64Sub, call(POW), f64Mul, lnPdfAt(xk), call(EXP), f64Div, set(dx)],
        [addr(d1p), get(dx), get(h), f64Mul, storeF64()],
        // dx · ((a − 1)/v − dx · ((a − 1)/x_k − (b − 1)/(1 − x_k))) · h · h
        [addr(d2p), get(dx), get(a), f64(1), f64Sub, get(v), f64Div, get(dx)],
        [get(a), f64(1), f64Sub, get(xk), f64Div, get(b), f64(1), f64Sub, f64(1), get(xk), f64Sub, f64Div, f64Sub],
        [f64Mul, f64Sub, f64Mul, get(h), f64Mul, get(h), f64Mul, storeF64()],
      ]),
      [f64(1), set(checked)],
      forRange(k, i32(0), cells, [
        [at(xp), set(x0), at(xp, 8), set(x1), at(d1p), set(m0), at(d1p, 8), set(m1), at(d2p), set(s0), at(d2p, 8), set(s1)],
        [get(x1), get(x0), f64Sub, set(dx), get(tp), get(k), i32(48), op.i32Mul, op.i32Add, set(o)],
        coef(0, [get(x0)]),
        coef(1, [get(m0)]),
        coef(2, [get(s0), f64(2), f64Div]),
        coef(3, combination([10, dx], [-6, m0], [-4, m1], [-1.5, s0], [0.5, s1])),
        coef(4, combination([-15, dx], [8, m0], [7, m1], [1.5, s0], [-1, s1])),
        coef(5, combination([6, dx], [-3, m0], [-3, m1], [-0.5, s0], [0.5, s1])),
        // the midpoint: |I_y − ((k + 1/2)·h)^a| / pdf(y) ≤ tolerance, or the table is not checked
        [quintic(o, f64(0.5)), set(y)],
        [
          get(a),
          get(b),
          get(y),
          get(lnB),
          call(CDF),
          get(k),
          op.f64ConvertI32S,
          f64(0.5),
          f64Add,
          get(h),
          f64Mul,
          get(a),
          call(POW),
          f64Sub,
          f64Abs,
        ],
        [lnPdfAt(y), call(EXP), f64Div, set(err)],
        [get(err), get(tol), f64Le, op.i32Eqz, when([f64(0), set(checked)])],
        [get(err), get(worst), f64Gt, when([get(err), set(worst)])],
      ]),
      [get(tp), get(checked), storeF64(24), get(worst)],
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
          [get(min), get(p), get(max), get(min), f64Sub, f64Mul, get(mode), get(min), f64Sub, f64Mul, f64Sqrt, f64Add],
          [get(max), f64(1), get(p), f64Sub, get(max), get(min), f64Sub, f64Mul, get(max), get(mode), f64Sub, f64Mul, f64Sqrt, f64Sub],
        ),
        storeF64(),
      ]),
    ],
  };
})();

interface Exports {
  cdf(a: number, b: number, x: number, lnB: number): number;
  quantiles(
    lower: number,
    upper: number,
    a: number,
    b: number,
    lnB: number,
    min: number,
    range: number,
    u: number,
    out: number,
    n: number,
  ): void;
  halfTable(
    a: number,
    b: number,
    lnB: number,
    h: number,
    c: number,
    cells: number,
    t: number,
    x: number,
    d1: number,
    d2: number,
    tolerance: number,
  ): number;
  triangular(min: number, mode: number, max: number, u: number, out: number, n: number): void;
}

/**
 * The compiled kernel, over a memory of at least `bytes` (what the caller will allocate after its
 * reset), never grown (sizedKernel), or undefined where WebAssembly is not available: distributions.ts
 * then runs its JavaScript.
 */
export const betaKernel = sizedKernel<Exports>(
  [cf, cdf, newton, half, quantiles, knots, halfTable, triangular, cdfInside],
  [
    { name: 'log', params: [F64], results: [F64], fn: Math.log },
    { name: 'exp', params: [F64], results: [F64], fn: Math.exp },
    { name: 'pow', params: [F64, F64], results: [F64], fn: Math.pow },
  ],
);

export type BetaKernel = Arena<Exports>;
