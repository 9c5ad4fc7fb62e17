import { isUncertain, meanOf } from '../scenario/distribution.js';
import { evaluateArm, type Model } from './model.js';
import { quantile } from './random/quantiles.js';
import { seedKey, streamFor, type Uniform } from './random/streams.js';
import { discounted } from './run.js';
import { summarizeSamples, type Interval } from './summarize-samples.js';

export interface McArm { id: string; total: Interval; discounted: Interval; years: Interval[]; participants: Interval; probBest: number }
export interface McResult { seed: number; draws: number; arms: McArm[]; nonFinite: number }

/**
 * Parameter values for successive draws: each uncertain parameter has its own stream, seeded from
 * (seed, parameter path), and is sampled by inverse CDF with one uniform per draw.
 */
export function parameterDraws(model: Model, seed: number): (draw?: number) => Float64Array {
  const streams: (Uniform | undefined)[] = model.params.specs.map((s, k) => (isUncertain(s) ? streamFor(seed, model.params.paths[k]!) : undefined));
  const fixed = Float64Array.from(model.params.specs, (s) => (isUncertain(s) ? NaN : meanOf(s)));
  return () => {
    const v = fixed.slice();
    model.params.specs.forEach((s, k) => { const u = streams[k]; if (u && isUncertain(s)) v[k] = quantile(s, u()); });
    return v;
  };
}

/** All draws' parameter values at once (kept by the TUI across threshold steps). */
export function drawMatrix(model: Model, seed: number, draws: number): Float64Array[] {
  const next = parameterDraws(model, seed);
  return Array.from({ length: draws }, () => next());
}

/**
 * A Monte Carlo run that can be advanced in chunks (the TUI keeps input responsive; the CLI shows
 * progress). Every arm sees the same parameter draws and the same per-member uniforms (common random
 * numbers), so differences between options are estimated precisely.
 */
export function createMonteCarlo(model: Model, opts: { draws: number; seed: number }) {
  const { draws, seed } = opts;
  const Y = model.scenario.horizon.years;
  const nArms = model.arms.length;
  const total = model.arms.map(() => new Float64Array(draws));
  const disc = model.arms.map(() => new Float64Array(draws));
  const part = model.arms.map(() => new Float64Array(draws));
  const yearly = model.arms.map(() => Array.from({ length: Y }, () => new Float64Array(draws)));
  const best = new Uint32Array(nArms);
  const next = parameterDraws(model, seed);
  const key = seedKey(seed);
  const rate = model.scenario.horizon.discountRate;
  let done = 0;
  return {
    get done() { return done; },
    /** Runs up to n more draws; returns true when all are done. */
    step(n: number): boolean {
      const end = Math.min(draws, done + n);
      for (let d = done; d < end; d++) {
        const values = next();
        let bestArm = -1, bestNet = -Infinity;
        for (let a = 0; a < nArms; a++) {
          const years = evaluateArm(model, model.arms[a]!, values, { seedKey: key, draw: d });
          let t = 0;
          for (let y = 0; y < Y; y++) { yearly[a]![y]![d] = years[y]!.net; t += years[y]!.net; }
          total[a]![d] = t;
          disc[a]![d] = discounted(years, rate);
          part[a]![d] = years[Y - 1]!.smeParticipants;
          if (t > bestNet) { bestNet = t; bestArm = a; }
        }
        if (bestArm >= 0) best[bestArm]!++;
      }
      done = end;
      return done >= draws;
    },
    result(): McResult {
      let nonFinite = 0;
      const s = (x: Float64Array) => { const r = summarizeSamples(x.subarray(0, done)); nonFinite += r.nonFinite; const { nonFinite: _, ...i } = r; return i; };
      return {
        seed, draws: done, nonFinite,
        arms: model.arms.map((arm, a) => ({
          id: arm.id, total: s(total[a]!), discounted: s(disc[a]!), years: yearly[a]!.map(s), participants: s(part[a]!), probBest: best[a]! / Math.max(1, done),
        })),
      };
    },
  };
}

export function runMonteCarlo(model: Model, opts: { draws: number; seed: number; onProgress?: (done: number, total: number) => void }): McResult {
  const mc = createMonteCarlo(model, opts);
  const chunk = Math.max(100, Math.ceil(opts.draws / 50));
  while (!mc.step(chunk)) opts.onProgress?.(mc.done, opts.draws);
  opts.onProgress?.(mc.done, opts.draws);
  return mc.result();
}
