import { isUncertain, meanOf } from '../scenario/distribution.js';
import { evaluateArm, type Model } from './model.js';
import { quantile } from './random/quantiles.js';
import { seedKey, streamFor, type Uniform } from './random/streams.js';
import { discounted } from './run.js';
import { type Interval, summarizeSamples } from './summarize-samples.js';

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
 * (seed, parameter path), and is sampled by inverse CDF with one uniform per draw.
 */
export function parameterDraws(model: Model, seed: number, firstDraw = 0): (draw?: number) => Float64Array {
  const streams: (Uniform | undefined)[] = model.params.specs.map((s, k) =>
    isUncertain(s) ? streamFor(seed, model.params.paths[k]!) : undefined,
  );
  // One uniform per parameter per draw, so starting at a later draw is skipping that many numbers.
  for (const u of streams) if (u) for (let d = 0; d < firstDraw; d++) u();
  const fixed = Float64Array.from(model.params.specs, (s) => (isUncertain(s) ? NaN : meanOf(s)));
  return () => {
    const v = fixed.slice();
    model.params.specs.forEach((s, k) => {
      const u = streams[k];
      if (u && isUncertain(s)) v[k] = quantile(s, u());
    });
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
export function createMonteCarlo(model: Model, opts: { draws: number; seed: number; firstDraw?: number }) {
  const { draws, seed } = opts;
  const first = opts.firstDraw ?? 0;
  const Y = model.scenario.horizon.years;
  const nArms = model.arms.length;
  const total = model.arms.map(() => new Float64Array(draws));
  const disc = model.arms.map(() => new Float64Array(draws));
  const part = model.arms.map(() => new Float64Array(draws));
  const yearly = model.arms.map(() => Array.from({ length: Y }, () => new Float64Array(draws)));
  const best = new Uint32Array(nArms);
  const next = parameterDraws(model, seed, first);
  const key = seedKey(seed);
  const rate = model.scenario.horizon.discountRate;
  let done = 0;
  const samples = (): McSamples => ({
    draws: done,
    total: total.map((x) => x.subarray(0, done)),
    discounted: disc.map((x) => x.subarray(0, done)),
    participants: part.map((x) => x.subarray(0, done)),
    yearly: yearly.map((ys) => ys.map((x) => x.subarray(0, done))),
    best,
  });
  return {
    get done() {
      return done;
    },
    /** Runs up to n more draws; returns true when all are done. */
    step(n: number): boolean {
      const end = Math.min(draws, done + n);
      for (let d = done; d < end; d++) {
        const values = next();
        let bestArm = -1,
          bestNet = -Infinity;
        for (let a = 0; a < nArms; a++) {
          const years = evaluateArm(model, model.arms[a]!, values, { seedKey: key, draw: first + d });
          let t = 0;
          for (let y = 0; y < Y; y++) {
            yearly[a]![y]![d] = years[y]!.net;
            t += years[y]!.net;
          }
          total[a]![d] = t;
          disc[a]![d] = discounted(years, rate);
          part[a]![d] = years[Y - 1]!.smeParticipants;
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
  /** How many draws each arm ranked first in. */
  best: Uint32Array;
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
  return {
    draws: parts.reduce((n, p) => n + p.draws, 0),
    total: first.total.map((_, a) => cat(parts.map((p) => p.total[a]!))),
    discounted: first.discounted.map((_, a) => cat(parts.map((p) => p.discounted[a]!))),
    participants: first.participants.map((_, a) => cat(parts.map((p) => p.participants[a]!))),
    yearly: first.yearly.map((ys, a) => ys.map((_, y) => cat(parts.map((p) => p.yearly[a]![y]!)))),
    best: first.best.map((_, a) => parts.reduce((n, p) => n + p.best[a]!, 0)),
  };
}

export function summarizeMonteCarlo(model: Model, seed: number, x: McSamples): McResult {
  let nonFinite = 0;
  const s = (v: Float64Array) => {
    const r = summarizeSamples(v);
    nonFinite += r.nonFinite;
    const { nonFinite: _, ...i } = r;
    return i;
  };
  return {
    seed,
    draws: x.draws,
    nonFinite,
    arms: model.arms.map((arm, a) => ({
      id: arm.id,
      total: s(x.total[a]!),
      discounted: s(x.discounted[a]!),
      years: x.yearly[a]!.map(s),
      participants: s(x.participants[a]!),
      probBest: x.best[a]! / Math.max(1, x.draws),
    })),
  };
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
