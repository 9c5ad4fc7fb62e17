import { Cat, Dev } from '../domain/codes.js';
import { EngineError } from '../domain/issues.js';
import { checkDeterministic, diagnoseDraw, inBounds, type NonFiniteAt, parameterBounds } from './finite.js';
import { addMember, closeYear, readTotals, SLOTS, type YearContext } from './kernel.js';
import { drawMembers, drawUniforms, planMembers } from './member-choice.js';
import { compileModel, type Model } from './model.js';
import { parameterColumns } from './montecarlo.js';
import type { ThresholdCapability } from './options/kind.js';
import { takeUpProbability } from './options/member-offer.js';
import { kindOf, type OptionSpec } from './options/registry.js';
import { emptyTotals, emptyYear, type MemberTotals, type YearAdder, type YearFigures } from './options/types.js';
import type { Population } from './population.js';
import { seedKey } from './random/streams.js';

/**
 * The uniforms of `rows` for draws first … first + count − 1 (drawUniforms, draw after draw), remembered
 * per (seed key, draws, the members' keys in order): they depend on nothing a scenario edit changes, so
 * the explorer's curve, recomputed after an assumption changes, draws them once. At most UNIFORM_CACHE
 * numbers are kept (64 MB), least recently used first out.
 */
function memberUniforms(memberKey: Uint32Array, rows: Int32Array, key: number, first: number, count: number): Float64Array {
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
  const one = new Float64Array(n);
  for (let d = 0; d < count; d++) {
    drawUniforms(memberKey, rows, key, first + d, one);
    u.set(one, d * n);
  }
  uniformCache.set(id, { u, keys: Uint32Array.from(rows, (i) => memberKey[i]!) });
  cached += u.length;
  for (const [k, v] of uniformCache) {
    if (cached <= UNIFORM_CACHE) break;
    uniformCache.delete(k);
    cached -= v.u.length;
  }
  return u;
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
 * Net impact of one option at many employee thresholds, without re-simulating per step: members are
 * sorted once by the threshold at which they become eligible, their contributions (expected, or drawn
 * per Monte Carlo draw) are accumulated along that order by the kernel's accumulation step in integer
 * micro-units (money.ts), and each threshold reads its running total through the kernel's year close.
 * Because the sums are exact integers and the close is the same code, every point equals a single run
 * at that threshold with the same seed bit for bit.
 *
 * Thresholds between which no member becomes eligible share a segment, computed once per draw; in a
 * Monte Carlo draw, a segment where no newly eligible member took up repeats the previous one's figures.
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
  opts: { draws?: number; seed?: number; valuesByDraw?: Float64Array[]; drawOffset?: number } = {},
): ThresholdPoint[] {
  const cap = thresholdOf(scenario, optionId);
  const tMax = Math.max(...thresholds);
  // The model at the largest threshold holds every member offered at any smaller one.
  const model = compileModel(sweepScenario(scenario, optionId, tMax), pop);
  const option = model.options[0]!;
  const offer = option.offer!;
  const spec = model.scenario.options[optionId]!;
  const { roster, fee } = pop;
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
  const draws = opts.draws ?? 0;
  const nOut = Math.max(1, draws);
  const Y = scenario.horizon.years;
  const rate = scenario.horizon.discountRate;
  const G = segEnd.length;
  const seg = Array.from({ length: G }, () => ({
    net: new Float64Array(nOut),
    discountedNet: new Float64Array(nOut),
    participants: new Float64Array(nOut),
    lost: new Float64Array(nOut),
  }));
  // incumbents among the first j plan rows, for every j (each threshold reads its segment's count)
  const incumbents = new Int32Array(rows.length + 1);
  for (let j = 0; j < rows.length; j++) incumbents[j + 1] = incumbents[j]! + (roster.category[rows[j]!] !== Cat.SmePilot ? 1 : 0);
  const incumbentsUpTo = (end: number) => incumbents[end]!;
  // Parameter draws: passed in (valuesByDraw), or from the remembered columns, or the means.
  const offset = opts.drawOffset ?? 0;
  const seed = opts.seed ?? 0;
  const values = model.params.means();
  const columns = draws && !opts.valuesByDraw ? parameterColumns(model, seed, draws, offset) : [];
  const valuesOf = (d: number): Float64Array => {
    if (opts.valuesByDraw) return opts.valuesByDraw[d]!;
    for (let k = 0; k < columns.length; k++) if (columns[k]) values[k] = columns[k]![d]!;
    return values;
  };
  // non-finite check (finite.ts): each draw's uncertain parameter values inside their support, every total finite
  const bounds = parameterBounds(model);
  const checked = Int32Array.from(model.params.uncertainIndices());
  let bad: NonFiniteAt | undefined;
  let badSegment = -1;
  const key = seedKey(seed);
  const acc = new Float64Array(SLOTS);
  // this call's member uniforms, draw after draw (remembered: an explorer curve recomputed after an edit reuses them)
  // (for a large roster × many draws, drawn per draw into one row as before: the matrix would not fit)
  const n = sorted.length;
  const matrix = draws && n * draws <= UNIFORM_CACHE ? memberUniforms(pop.memberKey, sorted, key, offset, draws) : undefined;
  const u = matrix ?? new Float64Array(n);
  const years: YearFigures[] = Array.from({ length: Y }, emptyYear);
  const discount = Array.from({ length: Y }, (_, y) => (1 + rate) ** y); // as kernel.ts discounted()
  const mt: MemberTotals = emptyTotals();
  const totals = [mt];
  const adders: YearAdder[] = [];
  const ctx: YearContext = { endsPilot: true, pilots: pop.pilotRows.length, pilotCost: 0, pilotYears: model.baseline.pilotYears };
  for (let d = 0; d < nOut; d++) {
    const v = valuesOf(d);
    if (draws && !bad)
      for (let j = 0; j < checked.length; j++) {
        const k = checked[j]!;
        if (!inBounds(v[k]!, bounds.lo[k]!, bounds.hi[k]!)) {
          bad = { draw: offset + d, param: k, arm: -1 };
          break;
        }
      }
    adders[0] = option.forDraw(v);
    ctx.pilotCost = ctx.pilots * v[model.baseline.pilotCostParam]!;
    acc.fill(0);
    let ud = 0;
    if (matrix) ud = d * n;
    else if (draws) drawUniforms(pop.memberKey, sorted, key, offset + d, u);
    let j = 0;
    for (let g = 0; g < G; g++) {
      const end = segEnd[g]!;
      let changed = g === 0;
      if (draws) changed = drawMembers(plan, j, end, u, v, acc, ud) || changed;
      else
        for (; j < end; j++) {
          const i = rows[j]!;
          const cat = roster.category[i]!;
          const p = takeUpProbability(offer, cat, i, v);
          if (p === 0) continue;
          addMember(acc, 0, p, cat === Cat.SmePilot, roster.dev[i] !== Dev.Developed, offer.newPayment[i]!, fee[i]!, offer.adminUnits[i]!);
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
  if (bad) {
    // a value a single run would refuse (finite.ts): name the parameter, or the option, and the draw
    const at = thresholds[segOf.indexOf(Math.max(0, badSegment))] ?? tMax;
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
  return thresholds.map((t, k) => ({ threshold: t, eligibleIncumbents: incumbentsUpTo(segEnd[segOf[k]!]!), ...seg[segOf[k]!]! }));
}
