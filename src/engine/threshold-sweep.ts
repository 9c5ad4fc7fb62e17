import { Cat, Dev } from '../domain/codes.js';
import { EngineError } from '../domain/issues.js';
import { Arena } from '../wasm/assemble.js';
import { checkDeterministic, diagnoseDraw, inBounds, type NonFiniteAt, parameterBounds } from './finite.js';
import { ADMIN_UNITS, addMember, CONVERTED, closeYear, GAINED, LOST, readTotals, SLOTS, SWITCHED, type YearContext } from './kernel.js';
import { drawMembers, drawTerms, drawUniforms, type MemberPlan, planMembers } from './member-choice.js';
import { compileModel, type Model } from './model.js';
import { MICRO } from './money.js';
import { parameterColumns } from './montecarlo.js';
import type { ThresholdCapability } from './options/kind.js';
import { takeUpAt } from './options/member-offer.js';
import { kindOf, type OptionSpec } from './options/registry.js';
import {
  emptyTotals,
  emptyYear,
  type MemberOffer,
  type MemberTotals,
  type OfferYears,
  offerSlot,
  type YearAdder,
  type YearFigures,
} from './options/types.js';
import type { Population } from './population.js';
import { memberUniform, seedKey } from './random/streams.js';
import { type SweepKernel, sweepKernel } from './wasm/sweep-kernel.js';

/**
 * The uniforms of `rows` for draws first … first + count − 1, member after member (the uniform of
 * member m in draw first + d at m × count + d: the numbers drawUniforms gives draw after draw),
 * remembered per (seed key, draws, the members' keys in order): they depend on nothing a scenario
 * edit changes, so the explorer's curve, recomputed after an assumption changes, draws them once. At
 * most UNIFORM_CACHE numbers are kept (64 MB), least recently used first out.
 */
function memberUniforms(
  memberKey: Uint32Array,
  rows: Int32Array,
  key: number,
  first: number,
  count: number,
  kernel: SweepKernel | undefined,
): Float64Array {
  const n = rows.length;
  let h = 0x811c9dc5;
  for (let m = 0; m < n; m++) h = Math.imul(h ^ memberKey[rows[m]!]!, 0x01000193);
  const id = `${key}:${first}:${count}:${n}:${h >>> 0}`;
  const hit = uniformCache.get(id);
  if (hit) {
    uniformCache.delete(id);
    cached -= hit.u.length;
    // the same members in the same order (the hash only picks the entry)
    let same = hit.keys.length === n;
    for (let m = 0; same && m < n; m++) same = hit.keys[m] === memberKey[rows[m]!];
    if (same) {
      uniformCache.set(id, hit); // most recently used last
      cached += hit.u.length;
      return hit.u;
    }
  }
  const u = new Float64Array(n * count);
  const keys = Uint32Array.from(rows, (i) => memberKey[i]!);
  if (kernel) {
    // member after member through the kernel's memory
    kernel.reset();
    const at = kernel.alloc(n, 4);
    const row = kernel.alloc(count);
    kernel.u32(at, n).set(keys);
    const view = kernel.f64(row, count);
    for (let m = 0; m < n; m++) {
      kernel.fn.uniforms(at + 4 * m, 1, key, first, count, row);
      u.set(view, m * count);
    }
  } else uniformsByMember(keys, key, first, count, u);
  uniformCache.set(id, { u, keys });
  cached += u.length;
  for (const [k, v] of uniformCache) {
    if (cached <= UNIFORM_CACHE) break;
    uniformCache.delete(k);
    cached -= v.u.length;
  }
  return u;
}

/** memberUniform of each member key for draws first … first + count − 1 into u[m × count + d] (the kernel's `uniforms` in JavaScript). */
function uniformsByMember(keys: Uint32Array, key: number, first: number, count: number, u: Float64Array): void {
  for (let m = 0; m < keys.length; m++) {
    const k = keys[m]!;
    const at = m * count;
    for (let d = 0; d < count; d++) u[at + d] = memberUniform(key, k, first + d);
  }
}
const UNIFORM_CACHE = 8e6;
const uniformCache = new Map<string, { u: Float64Array; keys: Uint32Array }>();
let cached = 0;

/** The employee threshold of an option, or an error naming the kinds that have one. */
export function thresholdOf(scenario: Model['scenario'], optionId: string): ThresholdCapability<OptionSpec> {
  // own ids only: "constructor", "__proto__" and the like are unknown options, never Object.prototype's
  const spec = Object.hasOwn(scenario.options, optionId) ? scenario.options[optionId] : undefined;
  const cap = spec ? kindOf(spec).capabilities.threshold : null;
  if (!spec)
    throw new EngineError([
      { code: 'unknown-option', path: optionId, message: `unknown option; options are ${Object.keys(scenario.options).join(', ')}` },
    ]);
  if (!cap)
    throw new EngineError([
      { code: 'no-threshold', path: optionId, message: `option "${optionId}" (${spec.kind}) has no employee threshold` },
    ]);
  return cap;
}

/** The scenario a threshold sweep runs: the one option alone, at threshold t. */
export function sweepScenario(scenario: Model['scenario'], optionId: string, t: number): Model['scenario'] {
  const spec = scenario.options[optionId]!;
  return { ...scenario, options: { [optionId]: thresholdOf(scenario, optionId).set(spec, t) }, combinations: undefined };
}

export interface ThresholdPoint {
  threshold: number;
  net: Float64Array;
  discountedNet: Float64Array;
  participants: Float64Array;
  eligibleIncumbents: number;
  lost: Float64Array;
}

/**
 * What a threshold sweep lays out once for (scenario, option, thresholds) — the model at the largest
 * threshold, its members in order of the threshold at which they become eligible, the member plan,
 * the segments — remembered per population for the last few such keys: the explorer computes its
 * curve in chunks of draws, each a call with the same scenario and thresholds.
 */
interface Prepared {
  model: Model;
  option: Model['options'][number];
  offer: MemberOffer;
  sorted: Int32Array;
  plan: MemberPlan;
  /** Plan rows before the end of each segment (the same for every draw). */
  segEnd: Int32Array;
  /** Segment of each threshold (thresholds' order). */
  segOf: Int32Array;
  /** Incumbents among the first j plan rows, for every j. */
  incumbents: Int32Array;
  bounds: { lo: Float64Array; hi: Float64Array };
  checked: Int32Array;
  takeUp: TakeUp;
}

function prepare(scenario: Model['scenario'], pop: Population, optionId: string, thresholds: readonly number[]): Prepared {
  const cap = thresholdOf(scenario, optionId);
  const tMax = Math.max(...thresholds);
  const at = sweepScenario(scenario, optionId, tMax);
  // the model depends on the scenario at tMax and the population only (non-finite numbers spelled out)
  const id = `${optionId}\u0000${thresholds.join(',')}\u0000${JSON.stringify(at, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? `${v}` : v))}`;
  const byKey = prepared.get(pop) ?? new Map<string, Prepared>();
  prepared.set(pop, byKey);
  const hit = byKey.get(id);
  if (hit) {
    byKey.delete(id);
    byKey.set(id, hit); // most recently used last
    return hit;
  }
  // The model at the largest threshold holds every member offered at any smaller one.
  const model = compileModel(at, pop);
  const option = model.options[0]!;
  const offer = option.offer!;
  const spec = model.scenario.options[optionId]!;
  const { roster } = pop;
  // Threshold from which each offered member is eligible (−∞: eligible on turnover alone).
  const members = offer.members;
  const entries = Float64Array.from(members, (i) => cap.entry(spec, pop, i));
  const entryOf = new Map<number, number>();
  for (let m = 0; m < members.length; m++) entryOf.set(members[m]!, entries[m]!);
  // sorted by entry, then row (the same order as comparing entryOf.get(row) directly, without a lookup per comparison)
  const byEntry = Array.from(members.keys()).sort((p, q) => entries[p]! - entries[q]! || members[p]! - members[q]!);
  const sorted = Int32Array.from(byEntry, (m) => members[m]!);
  const plan = planMembers(pop, [offer], sorted);
  const rows = plan.rows;
  const entry = Float64Array.from(rows, (i) => entryOf.get(i)!);
  // Steps between which no member becomes eligible give the same result: group them into segments,
  // each ending at a count of eligible rows (the same for every draw), and compute each segment once.
  const order = thresholds.map((t, k) => [t, k] as const).sort((a, b) => a[0] - b[0]);
  const segEnd: number[] = [];
  const segOf = new Int32Array(thresholds.length);
  {
    let j = 0;
    for (const [t, k] of order) {
      while (j < rows.length && entry[j]! <= t) j++;
      if (segEnd[segEnd.length - 1] !== j) segEnd.push(j);
      segOf[k] = segEnd.length - 1;
    }
  }
  const incumbents = new Int32Array(rows.length + 1);
  for (let j = 0; j < rows.length; j++) incumbents[j + 1] = incumbents[j]! + (roster.category[rows[j]!] !== Cat.SmePilot ? 1 : 0);
  const p: Prepared = {
    model,
    option,
    offer,
    sorted,
    plan,
    segEnd: Int32Array.from(segEnd),
    segOf,
    incumbents,
    bounds: parameterBounds(model),
    checked: Int32Array.from(model.params.uncertainIndices()),
    takeUp: takeUpColumns(plan),
  };
  byKey.set(id, p);
  if (byKey.size > PREPARED) byKey.delete(byKey.keys().next().value!);
  return p;
}
const PREPARED = 4;
const prepared = new WeakMap<Population, Map<string, Prepared>>();

/**
 * Net impact of one option at many employee thresholds, without re-simulating per step: members are
 * sorted once by the threshold at which they become eligible, their contributions (expected, or drawn
 * per Monte Carlo draw) are accumulated along that order by the kernel's accumulation step in integer
 * micro-units (money.ts), and each threshold reads its running total through the kernel's year close.
 * Because the sums are exact integers and the close is the same arithmetic, every point equals a
 * single run at that threshold with the same seed bit for bit.
 *
 * Thresholds between which no member becomes eligible share a segment, computed once per draw; in a
 * Monte Carlo draw, a segment where no newly eligible member took up repeats the previous one's figures.
 * A Monte Carlo sweep of an option with a member offer runs in blocks of draws over typed arrays:
 * each segment's members take up in every draw of the block (takeUpBlock), and every draw is closed
 * from the option's year numbers (OfferYears; closeBlock). Otherwise — a deterministic sweep, an
 * option without OfferYears, or `reference: true` (the reference the tests compare the fast path
 * with) — each draw visits the segments in turn and closes each with the kernel's closeYear.
 *
 * Returns one Float64Array per threshold with one value per draw (length 1 when deterministic).
 * `drawOffset` computes draws offset … offset + draws − 1 of a longer run (the TUI works in chunks);
 * parameter draws are then read from parameterColumns (remembered across calls), or from valuesByDraw.
 */
export function thresholdSweep(
  scenario: Model['scenario'],
  pop: Population,
  optionId: string,
  thresholds: readonly number[],
  opts: {
    draws?: number;
    seed?: number;
    valuesByDraw?: Float64Array[];
    drawOffset?: number;
    /** Close each segment with closeYear, draw after draw: the reference the fast path is tested against. */
    reference?: boolean;
    /** The fast path's loops in JavaScript even where WebAssembly is available (tests compare the two). */
    loops?: 'js';
    /**
     * Remember the members' uniforms for a later call with the same seed, draws and members (the
     * explorer's curve, recomputed after an edit; the columns of a sweep grid). Without it they are
     * drawn block by block, the same numbers.
     */
    rememberUniforms?: boolean;
  } = {},
): ThresholdPoint[] {
  const prep = prepare(scenario, pop, optionId, thresholds);
  const { model, option, offer, sorted, plan, segEnd, segOf, incumbents, bounds, checked } = prep;
  const { roster, fee } = pop;
  const rows = plan.rows;
  const draws = opts.draws ?? 0;
  const nOut = Math.max(1, draws);
  const Y = scenario.horizon.years;
  const rate = scenario.horizon.discountRate;
  const G = segEnd.length;
  // the segments' figures: four arrays of their own per segment (callers may read an array's buffer)
  const seg = Array.from({ length: G }, () => ({
    net: new Float64Array(nOut),
    discountedNet: new Float64Array(nOut),
    participants: new Float64Array(nOut),
    lost: new Float64Array(nOut),
  }));
  // Parameter draws: passed in (valuesByDraw), or from the remembered columns, or the means.
  const offset = opts.drawOffset ?? 0;
  const seed = opts.seed ?? 0;
  const values = model.params.means();
  const columns = draws && !opts.valuesByDraw ? parameterColumns(model, seed, draws, offset) : [];
  // the parameters read from the columns: the uncertain ones (parameterColumns has a column for each), if any were drawn
  const drawn = columns.length ? checked : new Int32Array(0);
  const valuesOf = (d: number): Float64Array => {
    if (opts.valuesByDraw) return opts.valuesByDraw[d]!;
    for (let j = 0; j < drawn.length; j++) values[drawn[j]!] = columns[drawn[j]!]![d]!;
    return values;
  };
  // non-finite check (finite.ts): each draw's uncertain parameter values inside their support, every total finite
  let bad: NonFiniteAt | undefined;
  let badSegment = -1;
  const firstBadParam = (v: Float64Array): number => {
    for (let j = 0; j < checked.length; j++) {
      const k = checked[j]!;
      if (!inBounds(v[k]!, bounds.lo[k]!, bounds.hi[k]!)) return k;
    }
    return -1;
  };
  const valuesOk = (v: Float64Array) => firstBadParam(v) < 0;
  const key = seedKey(seed);
  const n = sorted.length;
  const discount = Float64Array.from({ length: Y }, (_, y) => (1 + rate) ** y); // as kernel.ts discounted()
  const pilots = pop.pilotRows.length;
  const pilotYears = model.baseline.pilotYears;
  const pilotCostParam = model.baseline.pilotCostParam;
  if (draws && option.offerYears && !opts.reference) {
    // The fast path, in blocks of draws: each block's parameter values and the option's year numbers
    // laid out draw by draw (one column per number), then for each segment its members' take-up over
    // the whole block (takeUpBlock) and the year close of every draw of the block (closeBlock).
    const out: SegmentOut = {
      net: seg.map((r) => r.net),
      discountedNet: seg.map((r) => r.discountedNet),
      participants: seg.map((r) => r.participants),
      lost: seg.map((r) => r.lost),
    };
    // this call's member uniforms, member after member, remembered when the caller asks (an explorer
    // curve recomputed after an edit reuses them), or drawn block by block: a one-shot sweep never
    // reads them again, and drawing them straight into the block's memory spares copying them twice
    // (the matrix of all draws, then each block's part of it: ~5 ms of 13 for 78 members × 10,000 draws)
    const whole = opts.rememberUniforms === true && n * draws <= UNIFORM_CACHE;
    const B = whole ? Math.min(draws, BLOCK) : Math.max(1, Math.min(draws, BLOCK, Math.floor(UNIFORM_BLOCK / Math.max(1, n))));
    const { takeUp } = prep;
    const nCols = takeUp.params.length;
    const K = option.offerYears(valuesOf(0)).groups;
    const sizes = blockSizes(n, B, nCols, takeUp.factors.length, Y, K);
    // the loops run in WebAssembly (wasm/sweep-kernel.ts) where available, else in JavaScript below; its
    // memory made at the size this call needs (the uniforms, then the blocks' arrays), never grown
    const bytes = Math.max(
      whole ? uniformsBytes(n, draws) : 0,
      blockBytes(n, B, sizes),
      opts.valuesByDraw ? 0 : Arena.bytes(Math.min(nOut, CHECK)),
    );
    const kernel = opts.loops === 'js' ? undefined : sweepKernel(bytes);
    // from the remembered columns, the first draw with a value outside its parameter's support, whole
    // columns at once (firstOutside); from valuesByDraw, draw by draw in the blocks below
    let paramBad = opts.valuesByDraw ? -1 : firstOutside(columns, drawn, bounds.lo, bounds.hi, nOut, kernel);
    const matrix = whole ? memberUniforms(pop.memberKey, sorted, key, offset, draws, kernel) : undefined;
    const buf = blockBuffers(kernel, n, B, Y, K, sizes);
    const { pv, acc, cols, pilotCost } = buf;
    buf.discount.set(discount);
    const memberKey = pop.memberKey;
    for (let m = 0; m < n; m++) buf.keys[m] = memberKey[sorted[m]!]!;
    let t: OfferYears | undefined; // the option's year numbers, refilled every draw
    let netBad = nOut;
    for (let d0 = 0; d0 < nOut; d0 += B) {
      const b = Math.min(B, nOut - d0);
      if (opts.valuesByDraw)
        for (let i = 0; i < b; i++) {
          const v = valuesOf(d0 + i);
          if (paramBad < 0 && !valuesOk(v)) paramBad = d0 + i;
          for (let j = 0; j < nCols; j++) pv[j * B + i] = v[takeUp.params[j]!]!;
        }
      else {
        // the take-up parameters' values: a copy of each column's block, or a fixed parameter's mean
        for (let j = 0; j < nCols; j++) {
          const c = columns[takeUp.params[j]!];
          if (c) pv.set(c.subarray(d0, d0 + b), j * B);
          else pv.fill(values[takeUp.params[j]!]!, j * B, j * B + b);
        }
      }
      for (let i = 0; i < b; i++) {
        const v = valuesOf(d0 + i);
        t = option.offerYears(v, t);
        cols.set(t, i);
        pilotCost[i] = pilots * v[pilotCostParam]!;
      }
      // the block's uniforms at buf.u[m × b + i]
      if (matrix) for (let m = 0; m < n; m++) buf.u.set(matrix.subarray(m * draws + d0, m * draws + d0 + b), m * b);
      else if (kernel) kernel.fn.uniforms(buf.at.keys, n, key, offset + d0, b, buf.at.u);
      else uniformsByMember(buf.keys, key, offset + d0, b, buf.u);
      rightsFactors(takeUp, buf, b);
      acc.fill(0);
      let m = 0;
      for (let g = 0; g < G; g++) {
        buf.chg.fill(0);
        const changed = takeUpBlock(plan, takeUp, m, segEnd[g]!, buf, b);
        m = segEnd[g]!;
        if (g > 0 && !changed) {
          repeatBlock(out, g, d0, b);
          continue;
        }
        const badAt = closeBlock(buf, pilotYears, g, d0, b, out);
        if (badAt >= 0 && d0 + badAt < netBad) {
          netBad = d0 + badAt;
          badSegment = g;
        }
      }
    }
    // the first draw with a problem, as a draw-by-draw loop finds it (its parameter values first)
    if (paramBad >= 0 && paramBad <= netBad) bad = { draw: offset + paramBad, param: firstBadParam(valuesOf(paramBad)), arm: -1 };
    else if (netBad < nOut) bad = { draw: offset + netBad, param: -1, arm: 0 };
  } else {
    const years: YearFigures[] = Array.from({ length: Y }, emptyYear);
    const mt: MemberTotals = emptyTotals();
    const totals = [mt];
    const adders: YearAdder[] = [];
    const ctx: YearContext = { endsPilot: true, pilots, pilotCost: 0, pilotYears };
    const acc = new Float64Array(SLOTS);
    const u = new Float64Array(n);
    for (let d = 0; d < nOut; d++) {
      const v = valuesOf(d);
      if (draws && !bad && !valuesOk(v)) bad = { draw: offset + d, param: firstBadParam(v), arm: -1 };
      adders[0] = option.forDraw(v);
      ctx.pilotCost = ctx.pilots * v[model.baseline.pilotCostParam]!;
      acc.fill(0);
      if (draws) {
        drawUniforms(pop.memberKey, sorted, key, offset + d, u);
        drawTerms(plan, v);
      }
      let j = 0;
      for (let g = 0; g < G; g++) {
        const end = segEnd[g]!;
        let changed = g === 0;
        if (draws) changed = drawMembers(plan, j, end, u, v, acc) || changed;
        else
          for (; j < end; j++) {
            const i = rows[j]!;
            const at = offerSlot(offer, i);
            const cat = roster.category[i]!;
            const p = takeUpAt(offer, cat, at, v);
            if (p === 0) continue;
            addMember(acc, 0, p, cat === Cat.SmePilot, roster.dev[i] !== Dev.Developed, offer.payment[at]!, fee[i]!, offer.adminUnits[at]!);
            changed = true;
          }
        j = end;
        const r = seg[g]!;
        if (!changed) {
          // nobody newly eligible took up: the same totals, so the same figures as the segment before
          const q = seg[g - 1]!;
          r.net[d] = q.net[d]!;
          r.discountedNet[d] = q.discountedNet[d]!;
          r.participants[d] = q.participants[d]!;
          r.lost[d] = q.lost[d]!;
          continue;
        }
        readTotals(acc, 0, mt);
        let total = 0;
        let disc = 0;
        for (let y = 0; y < Y; y++) {
          const out = closeYear(adders, totals, y, ctx, years[y]!);
          total += out.net;
          disc += out.net / discount[y]!;
        }
        r.net[d] = total;
        if (total - total !== 0 && !bad) {
          bad = { draw: offset + d, param: -1, arm: 0 };
          badSegment = g;
        }
        r.discountedNet[d] = disc;
        r.participants[d] = years[Y - 1]!.smeParticipants;
        r.lost[d] = mt.lost;
      }
    }
  }
  if (bad) {
    // a value a single run would refuse (finite.ts): name the parameter, or the option, and the draw
    const at = thresholds[segOf.indexOf(Math.max(0, badSegment))] ?? Math.max(...thresholds);
    const issues = draws
      ? diagnoseDraw(compileModel(sweepScenario(scenario, optionId, at), pop), seed, bad, opts.valuesByDraw?.[bad.draw - offset])
      : checkDeterministic(compileModel(sweepScenario(scenario, optionId, at), pop));
    throw new EngineError(
      issues.length
        ? issues
        : [{ code: 'non-finite', path: `options.${optionId}`, message: `the net impact at threshold ${at} is not finite` }],
    );
  }
  // Steps in one segment share the segment's arrays (read-only for callers).
  return thresholds.map((t, k) => {
    const r = seg[segOf[k]!]!;
    return {
      threshold: t,
      eligibleIncumbents: incumbents[segEnd[segOf[k]!]!]!,
      net: r.net,
      discountedNet: r.discountedNet,
      participants: r.participants,
      lost: r.lost,
    };
  });
}

/**
 * The first draw d < n at which a drawn parameter's column (columns[k] for k in drawn) holds a value
 * outside its support [lo[k], hi[k]] or not finite (finite.ts inBounds, written out), or −1: the first
 * such draw of a draw-by-draw check, found column by column, each column up to the first found so far
 * — in the kernel (its `outside`, CHECK draws of the column at a time copied into its memory, which it
 * must have room for) when there is one, else in JavaScript. Inline in thresholdSweep's block loop,
 * this check ran unoptimised in every block of a one-shot sweep (~6 ms for 10,000 draws × 10 parameters).
 */
export function firstOutside(
  columns: readonly (Float64Array | undefined)[],
  drawn: Int32Array,
  lo: Float64Array,
  hi: Float64Array,
  n: number,
  kernel?: SweepKernel,
): number {
  let first = n;
  kernel?.reset();
  const at = kernel ? kernel.alloc(Math.min(n, CHECK)) : 0;
  for (let j = 0; j < drawn.length && first > 0; j++) {
    const k = drawn[j]!;
    const c = columns[k]!;
    if (!kernel) {
      first = outsideBefore(c, lo[k]!, hi[k]!, first);
      continue;
    }
    for (let from = 0; from < first; from += CHECK) {
      const to = Math.min(first, from + CHECK);
      kernel.f64(at, to - from).set(c.subarray(from, to));
      const i = kernel.fn.outside(at, to - from, lo[k]!, hi[k]!);
      if (i < to - from) {
        first = from + i;
        break;
      }
    }
  }
  return first < n ? first : -1;
}
/** Draws of a column firstOutside checks in one call of the kernel. */
const CHECK = 16_384;

/** The first i < end with c[i] outside [l, h] or not finite, else end. */
function outsideBefore(c: Float64Array, l: number, h: number, end: number): number {
  for (let i = 0; i < end; i++) {
    const x = c[i]!;
    if (!(x >= l && x <= h && x - x === 0)) return i;
  }
  return end;
}

/** Where the fast path writes draw d of segment g: out.net[g][d], … */
interface SegmentOut {
  net: Float64Array[];
  discountedNet: Float64Array[];
  participants: Float64Array[];
  lost: Float64Array[];
}

/** Draws per block of the fast path, and the most uniforms drawn for one block when they are not remembered. */
const BLOCK = 2048;
const UNIFORM_BLOCK = 1 << 20;

/**
 * Where each plan member's take-up probability comes from, as columns of the block's parameter values
 * (TakeUp.params lists the parameters read; −1: none): its own or the option's propensity (col), the
 * rights-aware factors (factor) — drawMembers' lookups, made once. Members share a few distinct
 * factors (their exponents are small counts), so each block works out factor^a × perExtraSector^e
 * once per distinct factor and draw (rightsFactors), not once per member and draw.
 */
interface TakeUp {
  params: Int32Array;
  /** 1 where the member's contributions are all finite (its take-up is added branch-free). */
  finite: Uint8Array;
  col: Int32Array;
  /** The member's rights-aware factors (an index into `factors`), or −1. */
  factor: Int32Array;
  /** The distinct rights-aware factors: columns of factor^a and perExtraSector^e, and a, e. */
  factors: { fc: number; sc: number; a: number; e: number }[];
}

function takeUpColumns(plan: MemberPlan): TakeUp {
  const params: number[] = [];
  const colOf = (k: number) => {
    if (k < 0) return -1;
    const j = params.indexOf(k);
    return j >= 0 ? j : params.push(k) - 1;
  };
  const col = Int32Array.from(plan.pParam, colOf);
  const factors: TakeUp['factors'] = [];
  const ids = new Map<string, number>();
  const factor = Int32Array.from(plan.rows, (_, m) => {
    if (plan.factorParam[m]! < 0) return -1;
    const f = { fc: colOf(plan.factorParam[m]!), sc: colOf(plan.perSectorParam[m]!), a: plan.classExp[m]!, e: plan.sectorExp[m]! };
    const id = `${f.fc} ${f.sc} ${f.a} ${f.e}`;
    if (!ids.has(id)) ids.set(id, factors.push(f) - 1);
    return ids.get(id)!;
  });
  const finite = Uint8Array.from(plan.rows, (_, m) =>
    [GAINED, LOST, ADMIN_UNITS, SWITCHED, CONVERTED].every((s) => Number.isFinite(plan.contrib[m * SLOTS + s]!)) ? 1 : 0,
  );
  return { params: Int32Array.from(params), finite, col, factor, factors };
}

/** The option's year numbers (OfferYears) of the draws of a block, draw by draw: number x of draw i at x × B + i. */
interface YearColumns {
  /** newcomerGained of year y, group k at (y × groups + k) × B + i */
  gained: Float64Array;
  /** newcomers of the last year, group k at k × B + i */
  lastNewcomers: Float64Array;
  adminRate: Float64Array;
  /** adminUnits and adminFixed of year y at y × B + i */
  adminUnits: Float64Array;
  adminFixed: Float64Array;
  set(t: OfferYears, i: number): void;
}

/**
 * The arrays of a block of B draws: member keys (n), uniforms (n × B: member m's at m × b + i for a
 * block of b draws), the take-up parameters' values (columns × B), a probability row, the
 * rights-aware factors (factors × B) and a row of powers (pe: the kernel's scratch), the
 * accumulators (5 × B: gained, lost, admin units, switched, converted), the year columns, each draw's
 * pilot cost, the discount factors and the close's four outputs (B each). With a kernel they are views
 * on its memory, and `at` holds their byte addresses.
 */
interface BlockBuffers {
  kernel: SweepKernel | undefined;
  B: number;
  groups: number;
  keys: Uint32Array;
  u: Float64Array;
  pv: Float64Array;
  p: Float64Array;
  factors: Float64Array;
  /** Whether anyone took up in draw i of the segment (bytes; the kernel's). */
  chg: Uint8Array;
  acc: Float64Array;
  cols: YearColumns;
  pilotCost: Float64Array;
  discount: Float64Array;
  out: { net: Float64Array; discountedNet: Float64Array; participants: Float64Array; lost: Float64Array };
  at: Record<
    | 'keys'
    | 'u'
    | 'pv'
    | 'p'
    | 'factors'
    | 'pe'
    | 'chg'
    | 'acc'
    | 'gained'
    | 'last'
    | 'rate'
    | 'units'
    | 'fixed'
    | 'pilotCost'
    | 'discount',
    number
  > &
    Record<'net' | 'discountedNet' | 'participants' | 'lost', number>;
}

/** The numbers (8 bytes each) of each of a sweep's block arrays (blockBuffers). */
function blockSizes(n: number, B: number, nCols: number, nFactors: number, Y: number, K: number) {
  return {
    u: n * B,
    pv: nCols * B,
    p: B,
    factors: nFactors * B,
    pe: B,
    acc: 5 * B,
    gained: Y * K * B,
    last: K * B,
    rate: B,
    units: Y * B,
    fixed: Y * B,
    pilotCost: B,
    discount: Y,
    net: B,
    discountedNet: B,
    participants: B,
    lost: B,
  };
}
type BlockSizes = ReturnType<typeof blockSizes>;

/** The bytes blockBuffers takes of the kernel's memory: the keys (u32), the changes (u8), then the f64 arrays. */
function blockBytes(n: number, B: number, sizes: BlockSizes): number {
  return Arena.bytes(n, 4) + Arena.bytes(B, 1) + Object.values(sizes).reduce((t, k) => t + Arena.bytes(k), 0);
}

/** The bytes memberUniforms takes of the kernel's memory: the members' keys and one member's row of all the draws. */
const uniformsBytes = (n: number, draws: number) => Arena.bytes(n, 4) + Arena.bytes(draws);

function blockBuffers(kernel: SweepKernel | undefined, n: number, B: number, Y: number, K: number, sizes: BlockSizes): BlockBuffers {
  const at = { keys: 0 } as BlockBuffers['at'];
  const f = {} as Record<keyof typeof sizes, Float64Array>;
  let keys: Uint32Array;
  let chg: Uint8Array;
  if (kernel) {
    // every address first, then the views (sweepKernel made the memory this size: it does not grow)
    kernel.reset();
    at.keys = kernel.alloc(n, 4);
    at.chg = kernel.alloc(B, 1);
    for (const [name, size] of Object.entries(sizes)) at[name as keyof typeof sizes] = kernel.alloc(size);
    keys = kernel.u32(at.keys, n);
    chg = kernel.u8(at.chg, B);
    for (const [name, size] of Object.entries(sizes)) f[name as keyof typeof sizes] = kernel.f64(at[name as keyof typeof sizes], size);
  } else {
    keys = new Uint32Array(n);
    chg = new Uint8Array(B);
    for (const [name, size] of Object.entries(sizes)) f[name as keyof typeof sizes] = new Float64Array(size);
  }
  const cols: YearColumns = {
    gained: f.gained,
    lastNewcomers: f.last,
    adminRate: f.rate,
    adminUnits: f.units,
    adminFixed: f.fixed,
    set(t, i) {
      for (let x = 0; x < Y * K; x++) f.gained[x * B + i] = t.newcomerGained[x]!;
      for (let k = 0; k < K; k++) f.last[k * B + i] = t.newcomers[(Y - 1) * K + k]!;
      f.rate[i] = t.adminRate;
      for (let y = 0; y < Y; y++) {
        f.units[y * B + i] = t.adminUnits[y]!;
        f.fixed[y * B + i] = t.adminFixed[y]!;
      }
    },
  };
  return {
    kernel,
    B,
    groups: K,
    keys,
    u: f.u,
    pv: f.pv,
    p: f.p,
    factors: f.factors,
    chg,
    acc: f.acc,
    cols,
    pilotCost: f.pilotCost,
    discount: f.discount,
    out: { net: f.net, discountedNet: f.discountedNet, participants: f.participants, lost: f.lost },
    at,
  };
}

/**
 * Each distinct rights-aware factor of the take-up (TakeUp.factors) in the b draws of a block, as
 * takeUpAt works it out: (a = 0 ? 1 : factor^a) × (e = 0 ? 1 : perExtraSector^e), into
 * buf.factors[f × B + i]; a member's probability is then its base × this number.
 */
function rightsFactors(t: TakeUp, buf: BlockBuffers, b: number): void {
  const { B, pv, factors, kernel, at } = buf;
  for (let f = 0; f < t.factors.length; f++) {
    const { fc, sc, a, e } = t.factors[f]!;
    if (kernel) {
      // in the kernel: factor^a into the factor's row, perExtraSector^e into the scratch row (its
      // `powers`: 1 at 0, x at 1, x × x at 2, √x at 0.5 and x > 0, else Math.pow — the numbers of x ** e,
      // the Monte Carlo's own), then their product
      const row = at.factors + 8 * f * B;
      kernel.fn.powers(at.pv + 8 * fc * B, 8, a, row, b);
      kernel.fn.powers(at.pv + 8 * sc * B, 8, e, at.pe, b);
      kernel.fn.times(row, row, at.pe, b);
    } else factorRow(factors, f * B, pv, fc * B, a, sc * B, e, b);
  }
}

/**
 * out[o + i] = (a = 0 ? 1 : pv[x + i]^a) × (e = 0 ? 1 : pv[y + i]^e) for i < b. A loop of its own,
 * called once per factor and block: as a callback of forEach, V8 ran it unoptimised through the
 * sweep's first blocks (~1.6 ms a block of 2,048 draws × 7 factors).
 */
function factorRow(out: Float64Array, o: number, pv: Float64Array, x: number, a: number, y: number, e: number, b: number): void {
  for (let i = 0; i < b; i++) out[o + i] = (a === 0 ? 1 : pv[x + i]! ** a) * (e === 0 ? 1 : pv[y + i]! ** e);
}

/**
 * Plan members from … to − 1 in the b draws of a block: a member takes up in draw i when its uniform
 * (buf.u[slot × b + i]) is below its probability (computed as drawMembers does: the parameter's
 * value, times the rights-aware factors), adding its contribution at taken = 1 to the draw's
 * accumulators — gained, lost, admin units, switched, converted at acc[s × B + i] (micro-units, in
 * member order as drawMembers adds them). Branch-free where the contributions are finite (taken × c
 * adds c or 0 exactly; a mispredicted branch per member and draw cost more than the sums), in the
 * kernel when there is one. Returns whether anyone took up in any draw.
 */
function takeUpBlock(plan: MemberPlan, t: TakeUp, from: number, to: number, buf: BlockBuffers, b: number): boolean {
  const { slot, fixedP, contrib } = plan;
  const { B, u, pv, p, acc, kernel, factors } = buf;
  let any = 0;
  for (let m = from; m < to; m++) {
    const col = t.col[m]!;
    const f = t.factor[m]!;
    // the member's probability in each draw: src[at + i]
    let src = p;
    let at = 0;
    if (col < 0) p.fill(fixedP[m]!);
    else if (f < 0) {
      src = pv;
      at = col * B;
    } else if (kernel) kernel.fn.times(buf.at.p, buf.at.pv + 8 * col * B, buf.at.factors + 8 * f * B, b);
    else for (let i = 0; i < b; i++) p[i] = pv[col * B + i]! * factors[f * B + i]!; // base × (factor^a × perExtraSector^e)
    const c = m * SLOTS;
    const cg = contrib[c + GAINED]!;
    const cl = contrib[c + LOST]!;
    const cu = contrib[c + ADMIN_UNITS]!;
    const cs = contrib[c + SWITCHED]!;
    const cc = contrib[c + CONVERTED]!;
    const row = slot[m]! * b;
    if (t.finite[m] === 1 && kernel) {
      const pAt = src === p ? buf.at.p : buf.at.pv + 8 * at;
      any |= kernel.fn.takeUp(buf.at.u + 8 * row, pAt, b, buf.at.acc, 8 * B, buf.at.chg, cg, cl, cu, cs, cc);
    } else if (t.finite[m] === 1)
      for (let i = 0; i < b; i++) {
        const k = +(u[row + i]! < src[at + i]!);
        acc[i]! += k * cg;
        acc[B + i]! += k * cl;
        acc[2 * B + i]! += k * cu;
        acc[3 * B + i]! += k * cs;
        acc[4 * B + i]! += k * cc;
        any |= k;
      }
    else
      for (let i = 0; i < b; i++) {
        if (!(u[row + i]! < src[at + i]!)) continue;
        acc[i]! += cg;
        acc[B + i]! += cl;
        acc[2 * B + i]! += cu;
        acc[3 * B + i]! += cs;
        acc[4 * B + i]! += cc;
        any = 1;
      }
  }
  return any === 1;
}

/**
 * The year close of segment g in the b draws of a block (draws d0 …), for an option with a member
 * offer alone: from the draw's member totals (kernel.ts readTotals: micro-units to CHF and members)
 * and the option's year numbers, closeYear written out —
 *
 *   gained = 0 + mt.gained + newcomerGained…      lost = 0 + mt.lost
 *   adminCosts = 0 + (adminRate × (mt.adminUnits + adminUnits[y]) + adminFixed[y]), − pilotCost while the pilot would run
 *   net = gained − lost − adminCosts;  total, discounted: summed in year order
 *
 * the same operations in the same order as offerAdder + closeYear, so the figures are theirs bit for
 * bit (test/kernel.test.ts compares every draw and threshold with single runs of every kind). Every
 * draw is closed (a draw where nobody newly eligible took up gives the segment before's figures
 * again: the same totals, the same arithmetic). In the kernel when there is one (its `close`, the
 * same loop), else here: no call, closure, branch or allocation per draw. Returns the first draw of
 * the block whose net is not finite, or −1.
 */
function closeBlock(buf: BlockBuffers, pilotYears: number, g: number, d0: number, b: number, out: SegmentOut): number {
  const { B, groups: K, acc, pilotCost, discount, kernel } = buf;
  const { gained: gTerm, lastNewcomers, adminRate, adminUnits, adminFixed } = buf.cols;
  const Y = discount.length;
  if (kernel) {
    const { at } = buf;
    const bad = kernel.fn.close(
      at.acc,
      8 * B,
      b,
      K,
      Y,
      at.gained,
      at.last,
      at.rate,
      at.units,
      at.fixed,
      at.pilotCost,
      pilotYears,
      at.discount,
      at.net,
      at.discountedNet,
      at.participants,
      at.lost,
      at.chg,
      g > 0 ? 1 : 0,
    );
    const o = buf.out;
    const part = (x: Float64Array) => (b === B ? x : x.subarray(0, b));
    out.net[g]!.set(part(o.net), d0);
    out.discountedNet[g]!.set(part(o.discountedNet), d0);
    out.participants[g]!.set(part(o.participants), d0);
    out.lost[g]!.set(part(o.lost), d0);
    return bad;
  }
  const net = out.net[g]!;
  const dnet = out.discountedNet[g]!;
  const part = out.participants[g]!;
  const lost = out.lost[g]!;
  let bad = -1;
  for (let i = 0; i < b; i++) {
    const mtGained = acc[i]! / MICRO;
    const mtLost = acc[B + i]! / MICRO;
    const mtUnits = acc[2 * B + i]! / MICRO;
    const mtTaking = acc[3 * B + i]! / MICRO + acc[4 * B + i]! / MICRO;
    const rate = adminRate[i]!;
    const pc = pilotCost[i]!;
    let total = 0;
    let disc = 0;
    for (let y = 0; y < Y; y++) {
      let gained = 0 + mtGained;
      for (let k = y * K; k < y * K + K; k++) gained += gTerm[k * B + i]!;
      let admin = 0 + (rate * (mtUnits + adminUnits[y * B + i]!) + adminFixed[y * B + i]!);
      if (y < pilotYears) admin -= pc;
      const x = gained - (0 + mtLost) - admin;
      total += x;
      disc += x / discount[y]!;
    }
    let people = 0 + mtTaking;
    for (let k = 0; k < K; k++) people += lastNewcomers[k * B + i]!;
    const d = d0 + i;
    net[d] = total;
    if (total - total !== 0 && bad < 0) bad = i;
    dnet[d] = disc;
    part[d] = people;
    lost[d] = mtLost;
  }
  return bad;
}

/** Segment g repeats segment g − 1 in draws d0 … d0 + b − 1 (nobody newly eligible took up in any of them). */
function repeatBlock(out: SegmentOut, g: number, d0: number, b: number): void {
  for (const x of [out.net, out.discountedNet, out.participants, out.lost]) x[g]!.set(x[g - 1]!.subarray(d0, d0 + b), d0);
}
