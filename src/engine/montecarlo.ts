import { EngineError } from '../domain/issues.js';
import { type Distribution, isUncertain } from '../scenario/distribution.js';
import { diagnoseDraw, inBounds, type NonFiniteAt, parameterBounds } from './finite.js';
import { closeYear, readTotals, SLOTS, type YearContext } from './kernel.js';
import { drawMembers, drawTerms, drawUniforms, planMembers, unionOfMembers } from './member-choice.js';
import type { Model } from './model.js';
import { offerAdder } from './options/member-offer.js';
import { emptyTotals, emptyYear, type YearAdder } from './options/types.js';
import { fillQuantiles, meanOf } from './random/distributions.js';
import { seedKey, streamFor, type UniformStream } from './random/streams.js';
import { type Interval, summarizeSamples } from './summarize-samples.js';
import { CONTRIB, FIXED_P, LAST, monteCarloKernel, RECORD } from './wasm/mc-kernel.js';

export interface McArm {
  id: string;
  total: Interval;
  discounted: Interval;
  years: Interval[];
  participants: Interval;
  probBest: number;
}
export interface McResult {
  seed: number;
  draws: number;
  arms: McArm[];
  nonFinite: number;
}

/**
 * Parameter values for successive draws: each uncertain parameter has its own stream, seeded from
 * (seed, parameter path), and is sampled by inverse CDF with one uniform per draw. `next(v)` writes the
 * next draw's values into v (no allocation); `next()` returns them in a new array. The values are
 * inverted in blocks of up to SAMPLER_BLOCK draws per parameter (fillQuantiles: a PERT's in
 * WebAssembly); `count`, when known, keeps the last block to the draws that will be asked for. Each
 * stream belongs to its parameter alone, so drawing ahead changes no number.
 */
export function parameterSampler(model: Model, seed: number, firstDraw = 0, count = Infinity) {
  const { specs, paths } = model.params;
  const uncertain = model.params.uncertainIndices();
  const streams: UniformStream[] = uncertain.map((k) => streamFor(seed, paths[k]!));
  // One uniform per parameter per draw, so starting at a later draw is skipping that many numbers.
  if (firstDraw > 0) {
    const skip = new Float64Array(Math.min(firstDraw, SAMPLER_BLOCK));
    for (const u of streams)
      for (let d = 0; d < firstDraw; d += skip.length) u.fill(skip.subarray(0, Math.min(skip.length, firstDraw - d)));
  }
  const fixed = Float64Array.from(specs, (s) => (isUncertain(s) ? NaN : meanOf(s)));
  const blockSize = Math.max(1, Math.min(SAMPLER_BLOCK, count));
  const blocks = uncertain.map(() => new Float64Array(blockSize));
  const uniforms = new Float64Array(blockSize);
  let left = count;
  let size = 0;
  let at = 0;
  return {
    uncertain,
    next(v: Float64Array = new Float64Array(fixed.length)): Float64Array {
      if (at === size) {
        size = Math.max(1, Math.min(blockSize, left));
        left -= size;
        at = 0;
        const u = uniforms.subarray(0, size);
        for (let j = 0; j < uncertain.length; j++) {
          streams[j]!.fill(u);
          fillQuantiles(specs[uncertain[j]!] as Distribution, u, blocks[j]!);
        }
      }
      v.set(fixed);
      for (let j = 0; j < uncertain.length; j++) v[uncertain[j]!] = blocks[j]![at]!;
      at++;
      return v;
    },
    /**
     * The next n draws of every uncertain parameter, uncertain[j]'s into columns[j] from 0: the numbers
     * `next` would give draw after draw (a sampler is read one way or the other, not both). The
     * Monte Carlo kernel's blocks are filled so.
     */
    columns(n: number, columns: readonly Float64Array[]): void {
      const u = n <= uniforms.length ? uniforms.subarray(0, n) : new Float64Array(n);
      for (let j = 0; j < uncertain.length; j++) {
        streams[j]!.fill(u);
        fillQuantiles(specs[uncertain[j]!] as Distribution, u, columns[j]!);
      }
    },
    /** Every parameter's fixed value (NaN for the uncertain ones). */
    fixed,
  };
}
const SAMPLER_BLOCK = 2048;
type ParameterSampler = ReturnType<typeof parameterSampler>;

/** Parameter values for successive draws, each in a new array (see parameterSampler). */
export function parameterDraws(model: Model, seed: number, firstDraw = 0): (draw?: number) => Float64Array {
  const s = parameterSampler(model, seed, firstDraw);
  return () => s.next();
}

/**
 * Draws first … first + count − 1 of every uncertain parameter, one column per parameter (undefined
 * for fixed ones), remembered per (seed, parameter path, distribution): the explorer recomputes its
 * curve when a setting changes, and the draws of the parameters that did not change are read back
 * instead of inverted again. The same numbers as parameterSampler.
 */
export function parameterColumns(model: Model, seed: number, count: number, first = 0): (Float64Array | undefined)[] {
  return model.params.specs.map((s, k) => {
    if (!isUncertain(s)) return undefined;
    const key = `${seed}\u0000${model.params.paths[k]}\u0000${JSON.stringify(s)}`;
    let c = columnCache.get(key);
    if (!c) {
      c = { stream: streamFor(seed, model.params.paths[k]!), values: new Float64Array(0), n: 0 };
      if (columnCache.size >= COLUMN_CACHE_SIZE) columnCache.delete(columnCache.keys().next().value!);
    } else columnCache.delete(key);
    columnCache.set(key, c); // most recently used last
    if (c.n < first + count) {
      if (c.values.length < first + count) {
        const grown = new Float64Array(Math.max(first + count, 2 * c.values.length));
        grown.set(c.values.subarray(0, c.n));
        c.values = grown;
      }
      const u = new Float64Array(first + count - c.n);
      c.stream.fill(u);
      fillQuantiles(s, u, c.values.subarray(c.n, first + count));
      c.n = first + count;
    }
    return c.values.subarray(first, first + count);
  });
}
const COLUMN_CACHE_SIZE = 64;
const columnCache = new Map<string, { stream: UniformStream; values: Float64Array; n: number }>();

/** All draws' parameter values at once (kept by the TUI across threshold steps). */
export function drawMatrix(model: Model, seed: number, draws: number): Float64Array[] {
  const s = parameterSampler(model, seed, 0, draws);
  return Array.from({ length: draws }, () => s.next());
}

/**
 * What one draw of every arm needs, laid out once per model: the members of all arms (whose uniforms
 * are drawn once per draw and shared: common random numbers), each arm's member plan, accumulator
 * and year-close inputs. Each option's adder is bound once per draw and shared by the arms holding it.
 */
function planArms(model: Model) {
  const offers = model.options.map((o) => o.offer).filter((o) => o !== undefined);
  const rows = unionOfMembers(offers);
  const arms = model.arms.map((arm) => {
    const opts = arm.options.map((k) => model.options[k]!);
    const offered = arm.options.filter((k) => model.options[k]!.offer);
    const plan = planMembers(
      model.pop,
      offered.map((k) => model.options[k]!.offer!),
      arm.rows,
      rows,
    );
    return {
      options: arm.options,
      plan,
      // member totals per option of the arm (undefined: the option has no member offer)
      totals: opts.map((o) => (o.offer ? emptyTotals() : undefined)),
      offerAt: opts.map((o) => (o.offer ? offered.indexOf(model.options.indexOf(o)) * SLOTS : -1)),
      adders: new Array<YearAdder>(opts.length),
      endsPilot: offered.length > 0,
    };
  });
  return { rows, arms };
}

type PlannedArm = ReturnType<typeof planArms>['arms'][number];

/**
 * Each draw's parameter values and member take-up for every arm of a run: `next(draw)` writes the
 * draw's parameter values into `values` (the sampler's, draw after draw) and each arm's members drawn
 * into its accumulator, acc[a] from accAt[a] (zeroed first; drawTerms and drawMembers). In WebAssembly
 * (wasm/mc-kernel.ts) where available — a block of draws at once: their parameter values drawn ahead
 * (each parameter's stream is its own, so drawing ahead changes no number), the uniforms, powers and
 * members of every arm, with the same operations in the same order — else in JavaScript, draw by draw;
 * the same numbers either way (test/montecarlo.test.ts). `loops: 'js'` forces JavaScript (the tests'
 * reference).
 */
interface MemberLoops {
  values: Float64Array;
  acc: Float64Array[];
  accAt: Int32Array;
  /** Draws `draw`; returns the first checked parameter outside its bounds in that draw (finite.ts inBounds), or −1. */
  next(draw: number): number;
}

/** The parameters checked each draw (the uncertain ones), and every parameter's bounds (finite.ts parameterBounds). */
interface Checks {
  checked: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
}

function memberLoops(
  model: Model,
  sampler: ParameterSampler,
  checks: Checks,
  rows: Int32Array,
  arms: readonly PlannedArm[],
  key: number,
  lastDraw: number,
  draws: number,
  loops?: 'js',
  blockDraws?: number,
): MemberLoops {
  const keys = model.pop.memberKey;
  const n = rows.length;
  const P = model.params.size;
  const wasm = loops === 'js' ? undefined : kernelLoops(model, sampler, checks, rows, arms, key, lastDraw, draws, blockDraws);
  if (wasm) return wasm;
  const u = new Float64Array(n);
  const values = new Float64Array(P);
  const acc = arms.map((arm) => new Float64Array(arm.plan.accLength));
  return {
    values,
    acc,
    accAt: new Int32Array(arms.length),
    next(draw) {
      sampler.next(values);
      drawUniforms(keys, rows, key, draw, u);
      for (let a = 0; a < arms.length; a++) {
        const plan = arms[a]!.plan;
        acc[a]!.fill(0);
        drawTerms(plan, values);
        drawMembers(plan, 0, plan.rows.length, u, values, acc[a]!);
      }
      const { checked, lo, hi } = checks;
      for (let j = 0; j < checked.length; j++) {
        const k = checked[j]!;
        if (!inBounds(values[k]!, lo[k]!, hi[k]!)) return k;
      }
      return -1;
    },
  };
}

/** The most numbers in one of a block's arrays (uniforms: draws × the run's members), and the most draws in a block. */
const UNIFORM_BLOCK = 1 << 18;
const UNIFORM_DRAWS = 2048;
/** Draws per call of the kernel's block functions. */
const KERNEL_CALL = 32;

/**
 * memberLoops in the Monte Carlo kernel: every array in the instance's memory, laid out once (sizes
 * counted first, so that the memory is made at its size and never grows), the members of every arm as
 * one list of records. Per block of b draws: the draws' parameter values (a row of P per draw, drawn
 * ahead by the sampler), each arm's powers (drawTerms, a column per power), the uniforms draw by draw,
 * and each draw's accumulators (every arm's, in one row per draw); then draw by draw, `next` copies the
 * draw's row into `values` and points accAt at its accumulators.
 */
function kernelLoops(
  model: Model,
  sampler: ParameterSampler,
  checks: Checks,
  rows: Int32Array,
  arms: readonly PlannedArm[],
  key: number,
  lastDraw: number,
  draws: number,
  blockDraws = UNIFORM_DRAWS,
): MemberLoops | undefined {
  const n = rows.length;
  const P = model.params.size;
  const terms = arms.reduce((t, { plan }) => t + plan.termParam.length, 0);
  const members = arms.reduce((t, { plan }) => t + plan.rows.length, 0);
  const accRow = arms.reduce((t, { plan }) => t + plan.accLength, 0);
  // a block: the run's draws, at most blockDraws, and no array of it above UNIFORM_BLOCK numbers
  const B = Math.max(1, Math.min(blockDraws, draws, Math.floor(UNIFORM_BLOCK / Math.max(1, n, accRow, P, terms))));
  // the layout, run once to count the bytes and once in the kernel's arena (same order, same rounding)
  const layout = (alloc: (count: number, bytesEach?: number) => number) => ({
    keys: alloc(n, 4),
    u: alloc(n * B),
    drawn: alloc(P * B),
    terms: alloc(terms * B),
    ones: alloc(B),
    acc: alloc(accRow * B),
    records: alloc(members, RECORD),
    cols: alloc(sampler.uncertain.length * B),
    offsets: alloc(sampler.uncertain.length, 4),
    ks: alloc(checks.checked.length, 4),
    lo: alloc(checks.checked.length),
    hi: alloc(checks.checked.length),
  });
  let bytes = 0;
  layout((count, bytesEach = 8) => {
    const at = bytes;
    bytes += Math.ceil((count * bytesEach) / 8) * 8;
    return at;
  });
  const kernel = monteCarloKernel(bytes);
  if (!kernel) return undefined;
  const at = layout((count, bytesEach) => kernel.alloc(count, bytesEach));
  const keys = kernel.u32(at.keys, n);
  const memberKey = model.pop.memberKey;
  for (let m = 0; m < n; m++) keys[m] = memberKey[rows[m]!]!;
  const drawn = kernel.f64(at.drawn, P * B);
  kernel.f64(at.ones, B).fill(1);
  const acc = kernel.f64(at.acc, accRow * B);
  // each member's record (mc-kernel.ts drawBlock), arm after arm; each arm's powers, each its column
  const ints = kernel.i32(at.records, (members * RECORD) / 4);
  const nums = kernel.f64(at.records, (members * RECORD) / 8);
  const armAt = new Int32Array(arms.length); // the arm's accumulator in a draw's row
  const powers: { param: number; exp: number; column: number }[] = [];
  // branch-free when every contribution is finite (mc-kernel.ts drawBlockBranchFree), each arm's members
  // then in groups by offer, each group in row order (a stable sort): every accumulator gets its
  // members' contributions in the same order as before, so the same sums bit for bit
  const finite = arms.every(({ plan }) => plan.contrib.every((c) => c - c === 0));
  for (let a = 0, r = 0, o = 0; a < arms.length; a++) {
    const { plan } = arms[a]!;
    const t = powers.length;
    armAt[a] = o;
    for (let k = 0; k < plan.termParam.length; k++)
      powers.push({ param: plan.termParam[k]!, exp: plan.termExp[k]!, column: at.terms + 8 * B * (t + k) });
    const order = Array.from(plan.rows, (_, k) => k);
    if (finite) order.sort((x, y) => plan.at[x]! - plan.at[y]! || x - y);
    for (let i = 0; i < order.length; i++, r += RECORD) {
      const k = order[i]!;
      ints[(r + LAST) / 4] = i + 1 === order.length || plan.at[order[i + 1]!] !== plan.at[k] ? 1 : 0;
      const pk = plan.pParam[k]!;
      const rights = plan.factorParam[k]! >= 0;
      ints[r / 4] = pk >= 0 ? at.drawn + 8 * pk : at.records + r + FIXED_P;
      ints[r / 4 + 1] = pk >= 0 ? 8 * P : 0;
      ints[r / 4 + 2] = rights ? powers[t + plan.classTerm[k]!]!.column : at.ones;
      ints[r / 4 + 3] = rights ? powers[t + plan.sectorTerm[k]!]!.column : at.ones;
      ints[r / 4 + 4] = 8 * plan.slot[k]!;
      ints[r / 4 + 5] = 8 * (o + plan.at[k]!);
      nums[(r + FIXED_P) / 8] = plan.fixedP[k]!;
      nums.set(plan.contrib.subarray(k * SLOTS, (k + 1) * SLOTS), (r + CONTRIB) / 8);
    }
    o += plan.accLength;
  }
  const drawBlock = finite ? kernel.fn.drawBlockBranchFree : kernel.fn.drawBlock;
  // the bounds checked each draw, and where each checked value lies in a row
  const { checked } = checks;
  const C = checked.length;
  kernel.i32(at.ks, C).set(Int32Array.from(checked, (k) => 8 * k));
  kernel.f64(at.lo, C).set(Float64Array.from(checked, (k) => checks.lo[k]!));
  kernel.f64(at.hi, C).set(Float64Array.from(checked, (k) => checks.hi[k]!));
  const uncertain = Int32Array.from(sampler.uncertain);
  const U = uncertain.length;
  // the sampler's columns of a block, scattered into the rows by the kernel (whose fixed values are set once)
  const columns = Array.from(uncertain, (_, j) => kernel.f64(at.cols + 8 * B * j, B));
  kernel.i32(at.offsets, U).set(Int32Array.from(uncertain, (k) => 8 * k));
  for (let d = 0; d < B; d++) drawn.set(sampler.fixed, d * P);
  const values = Float64Array.from(sampler.fixed);
  const accAt = new Int32Array(arms.length);
  let blockFirst = 0;
  let blockEnd = 0;
  let badDraw = -1; // the block's first draw with a value outside its bounds, and which
  let badParam = -1;
  /** Draws first … first + b − 1, b = min(B, lastDraw − first): their values, powers, uniforms and members. */
  const block = (first: number) => {
    const b = Math.max(1, Math.min(B, lastDraw - first));
    blockFirst = first;
    blockEnd = first + b;
    sampler.columns(b, columns);
    kernel.fn.scatter(at.cols, 8 * B, at.offsets, U, at.drawn, 8 * P, b);
    const bad = kernel.fn.outside(at.drawn, 8 * P, b, at.ks, C, at.lo, at.hi);
    badDraw = bad < 0 ? -1 : first + Math.floor(bad / C);
    badParam = bad < 0 ? -1 : checked[bad % C]!;
    acc.fill(0, 0, accRow * b);
    // in calls of a few draws each: WebAssembly has no on-stack replacement, so a long first call would
    // run all its draws in the baseline compiler's code; V8 swaps in its optimised code between calls
    for (let d = 0; d < b; d += KERNEL_CALL) {
      const c = Math.min(KERNEL_CALL, b - d);
      for (const w of powers) kernel.fn.powers(at.drawn + 8 * (d * P + w.param), 8 * P, w.exp, w.column + 8 * d, c);
      kernel.fn.uniformsByDraw(at.keys, n, key, first + d, c, at.u + 8 * n * d);
      drawBlock(at.records, members, d, d + c, at.u, 8 * n, at.acc, 8 * accRow);
    }
  };
  return {
    values,
    acc: arms.map(() => acc),
    accAt,
    next(draw) {
      if (draw < blockFirst || draw >= blockEnd) block(draw);
      // the draw's row into values: its uncertain parameters (the others never change)
      const row = (draw - blockFirst) * P;
      for (let j = 0; j < uncertain.length; j++) {
        const k = uncertain[j]!;
        values[k] = drawn[row + k]!;
      }
      for (let a = 0; a < arms.length; a++) accAt[a] = (draw - blockFirst) * accRow + armAt[a]!;
      return draw === badDraw ? badParam : -1;
    },
  };
}

/**
 * A Monte Carlo run that can be advanced in chunks (the TUI keeps input responsive; the CLI shows
 * progress). Every arm sees the same parameter draws and the same per-member uniforms (common random
 * numbers), so differences between options are estimated precisely. Each draw runs the kernel
 * (kernel.ts) exactly as evaluateArm would with that draw's key, without allocating per member.
 */
export function createMonteCarlo(
  model: Model,
  opts: {
    draws: number;
    seed: number;
    firstDraw?: number;
    /** The member loops in JavaScript even where WebAssembly is available (tests compare the two). */
    loops?: 'js';
    /** Draws per block of uniforms in WebAssembly (tests; by default up to 2,048, fewer for a large roster). */
    blockDraws?: number;
  },
) {
  const { draws, seed } = opts;
  const first = opts.firstDraw ?? 0;
  const Y = model.scenario.horizon.years;
  const nArms = model.arms.length;
  const total = model.arms.map(() => new Float64Array(draws));
  const disc = model.arms.map(() => new Float64Array(draws));
  const part = model.arms.map(() => new Float64Array(draws));
  const yearly = model.arms.map(() => Array.from({ length: Y }, () => new Float64Array(draws)));
  const pilotCost = new Float64Array(draws);
  const best = new Uint32Array(nArms);
  const sampler = parameterSampler(model, seed, first, draws);
  const key = seedKey(seed);
  const rate = model.scenario.horizon.discountRate;
  const discount = Array.from({ length: Y }, (_, y) => (1 + rate) ** y); // as kernel.ts discounted()
  const { rows, arms } = planArms(model);
  // non-finite check (finite.ts): each draw's uncertain parameter values inside their support, each arm's total finite
  const bounds = parameterBounds(model);
  const checks: Checks = { checked: Int32Array.from(sampler.uncertain), lo: bounds.lo, hi: bounds.hi };
  const loops = memberLoops(model, sampler, checks, rows, arms, key, first + draws, draws, opts.loops, opts.blockDraws);
  const { values } = loops;
  const adders = new Array<YearAdder>(model.options.length);
  // An option with a member offer refills its year numbers (OfferYears) draw after draw and keeps one
  // adder over them (forDraw is offerAdder(offerYears(values)): the same numbers), so a draw allocates
  // nothing for it; any other option binds each draw's values in forDraw.
  const offerYears = model.options.map((o) => o.offerYears?.(values));
  const offerAdders = offerYears.map((t) => (t ? offerAdder(t) : undefined));
  const out = emptyYear();
  const ctx: YearContext = { endsPilot: false, pilots: model.pop.pilotRows.length, pilotCost: 0, pilotYears: model.baseline.pilotYears };
  let nonFinite: NonFiniteAt | undefined;
  let done = 0;
  const samples = (): McSamples => ({
    draws: done,
    total: total.map((x) => x.subarray(0, done)),
    discounted: disc.map((x) => x.subarray(0, done)),
    participants: part.map((x) => x.subarray(0, done)),
    yearly: yearly.map((ys) => ys.map((x) => x.subarray(0, done))),
    pilotCost: pilotCost.subarray(0, done),
    best,
    ...(nonFinite ? { firstNonFinite: nonFinite } : {}),
  });
  /** Draw d of arm a (the draw's uniforms and values drawn, its adders set): its figures, and its total. */
  const drawArm = (a: number, d: number): number => {
    const arm = arms[a]!;
    const acc = loops.acc[a]!;
    const at = loops.accAt[a]!;
    for (let k = 0; k < arm.options.length; k++) {
      arm.adders[k] = adders[arm.options[k]!]!;
      const mt = arm.totals[k];
      if (mt) readTotals(acc, at + arm.offerAt[k]!, mt);
    }
    ctx.endsPilot = arm.endsPilot;
    let t = 0;
    let dn = 0;
    const ys = yearly[a]!;
    for (let y = 0; y < Y; y++) {
      closeYear(arm.adders, arm.totals, y, ctx, out);
      ys[y]![d] = out.net;
      t += out.net;
      dn += out.net / discount[y]!;
    }
    total[a]![d] = t;
    if (t - t !== 0 && !nonFinite) nonFinite = { draw: first + d, param: -1, arm: a };
    disc[a]![d] = dn;
    part[a]![d] = out.smeParticipants; // the last year's
    return t;
  };
  return {
    get done() {
      return done;
    },
    /** Runs up to n more draws; returns true when all are done. */
    step(n: number): boolean {
      const end = Math.min(draws, done + n);
      for (let d = done; d < end; d++) {
        // the draw's values and every arm's members; a parameter outside its bounds, if any
        const outside = loops.next(first + d);
        if (outside >= 0 && !nonFinite) nonFinite = { draw: first + d, param: outside, arm: -1 };
        for (let k = 0; k < adders.length; k++) {
          const t = offerYears[k];
          if (t) {
            model.options[k]!.offerYears!(values, t);
            adders[k] = offerAdders[k]!;
          } else adders[k] = model.options[k]!.forDraw(values);
        }
        pilotCost[d] = values[model.baseline.pilotCostParam]!;
        ctx.pilotCost = ctx.pilots * pilotCost[d]!;
        let bestArm = -1,
          bestNet = -Infinity;
        for (let a = 0; a < nArms; a++) {
          const t = drawArm(a, d);
          if (t > bestNet) {
            bestNet = t;
            bestArm = a;
          }
        }
        if (bestArm >= 0) best[bestArm]!++;
      }
      done = end;
      return done >= draws;
    },
    /** The raw draws so far (a worker thread sends these back to be merged). */
    samples,
    result(): McResult {
      return summarizeMonteCarlo(model, seed, samples());
    },
  };
}

/** Per-draw results of a Monte Carlo run, per arm: horizon net, discounted net, participants, net per year. */
export interface McSamples {
  draws: number;
  total: Float64Array[];
  discounted: Float64Array[];
  participants: Float64Array[];
  yearly: Float64Array[][];
  /**
   * The pilot's admin cost per participant in each draw (the baseline parameter): what another baseline
   * pilot shifts every arm's net by (against-baseline.ts), kept so that it need not be drawn again.
   */
  pilotCost: Float64Array;
  /** How many draws each arm ranked first in. */
  best: Uint32Array;
  /** The first draw with a non-finite value (a parameter outside its support, or an arm's total), if any. */
  firstNonFinite?: NonFiniteAt;
}

/** Joins runs over consecutive draw ranges, in order: the result equals one run over all the draws. */
export function mergeSamples(parts: McSamples[]): McSamples {
  const cat = (arrays: Float64Array[]) => {
    const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    let off = 0;
    for (const a of arrays) {
      out.set(a, off);
      off += a.length;
    }
    return out;
  };
  const first = parts[0]!;
  const bad = parts.find((p) => p.firstNonFinite)?.firstNonFinite; // parts are in draw order
  return {
    draws: parts.reduce((n, p) => n + p.draws, 0),
    total: first.total.map((_, a) => cat(parts.map((p) => p.total[a]!))),
    discounted: first.discounted.map((_, a) => cat(parts.map((p) => p.discounted[a]!))),
    participants: first.participants.map((_, a) => cat(parts.map((p) => p.participants[a]!))),
    yearly: first.yearly.map((ys, a) => ys.map((_, y) => cat(parts.map((p) => p.yearly[a]![y]!)))),
    pilotCost: cat(parts.map((p) => p.pilotCost)),
    best: first.best.map((_, a) => parts.reduce((n, p) => n + p.best[a]!, 0)),
    ...(bad ? { firstNonFinite: bad } : {}),
  };
}

/** Summaries already taken, by the sample array they summarise (summarizeMonteCarlo's `memo`). */
export type SummaryMemo = Map<Float64Array, ReturnType<typeof summarizeSamples>>;

/**
 * Summaries of a run's draws. A draw with a non-finite value is an error (EngineError, code
 * 'non-finite', naming the parameter or option and the draw: finite.ts diagnoseDraw), never a NaN
 * left out of P(loss). `memo`, shared between calls, summarises each array once: the same run against
 * another baseline (against-baseline.ts) keeps the arrays of the years the two baselines agree on.
 * Sample arrays are never written after a run has returned them, so an array is its own key.
 */
export function summarizeMonteCarlo(model: Model, seed: number, x: McSamples, memo: SummaryMemo = new Map()): McResult {
  if (x.firstNonFinite) throw new EngineError(diagnoseDraw(model, seed, x.firstNonFinite));
  let nonFinite = 0;
  const s = (v: Float64Array) => {
    let r = memo.get(v);
    if (!r) {
      r = summarizeSamples(v);
      memo.set(v, r);
    }
    nonFinite += r.nonFinite;
    const { nonFinite: _, ...i } = r;
    return i;
  };
  const arms = model.arms.map((arm, a) => ({
    id: arm.id,
    total: s(x.total[a]!),
    discounted: s(x.discounted[a]!),
    years: x.yearly[a]!.map(s),
    participants: s(x.participants[a]!),
    probBest: x.best[a]! / Math.max(1, x.draws),
  }));
  // counted while the arms above were summarised (read before them, it was always 0)
  return { seed, draws: x.draws, nonFinite, arms };
}

export function runMonteCarlo(
  model: Model,
  opts: { draws: number; seed: number; onProgress?: (done: number, total: number) => void },
): McResult {
  const mc = createMonteCarlo(model, opts);
  const chunk = Math.max(100, Math.ceil(opts.draws / 50));
  while (!mc.step(chunk)) opts.onProgress?.(mc.done, opts.draws);
  opts.onProgress?.(mc.done, opts.draws);
  return mc.result();
}
