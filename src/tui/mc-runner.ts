import { compileModel } from '../engine/model.js';
import { createMonteCarlo, drawMatrix, type McResult } from '../engine/montecarlo.js';
import type { Population } from '../engine/population.js';
import { type Interval, summarizeSamples } from '../engine/summarize-samples.js';
import { sweepScenario, thresholdSweep } from '../engine/threshold-sweep.js';
import type { Scenario } from '../scenario/schema.js';
import { CURVE_MAX, smeOptionId } from './explorer-model.js';

export interface ArmsSnapshot {
  done: number;
  total: number;
  seed: number;
  result?: McResult;
}
export interface CurveSnapshot {
  done: number;
  total: number;
  seed: number;
  /** Net-impact interval of the SME option at a threshold, from the draws done so far. */
  atThreshold(t: number): Interval | undefined;
}

/** Runs `step` on the event loop until it reports done, reporting at most ~10 times a second. */
function chunked(step: () => boolean, report: (final: boolean) => void): { cancel(): void } {
  let cancelled = false;
  let last = 0;
  const tick = () => {
    if (cancelled) return;
    const finished = step();
    const now = performance.now();
    if (finished || now - last > 100) {
      last = now;
      report(finished);
    }
    if (!finished) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    cancel: () => {
      cancelled = true;
    },
  };
}

/**
 * Monte Carlo of every option for the TUI overview, in chunks that yield to the event loop so that
 * input is never blocked. Same seed, same numbers as `feesim run --draws N --seed S`.
 */
export function startArmsMonteCarlo(
  scenario: Scenario,
  pop: Population,
  opts: { draws: number; seed: number; chunk?: number; onUpdate: (s: ArmsSnapshot) => void },
): { cancel(): void } {
  const mc = createMonteCarlo(compileModel(scenario, pop), { draws: opts.draws, seed: opts.seed });
  let result: McResult | undefined;
  return chunked(
    () => {
      const done = mc.step(opts.chunk ?? 250);
      if (done) result = mc.result();
      return done;
    },
    () => opts.onUpdate({ done: mc.done, total: opts.draws, seed: opts.seed, result }),
  );
}

/**
 * The SME option's whole threshold curve 0 … CURVE_MAX under Monte Carlo, in chunks of draws, so that
 * moving the threshold afterwards only reads precomputed draws (no re-simulation per key press).
 * Each point equals `feesim sweep … --draws N --seed S` at that threshold.
 */
export function startCurveMonteCarlo(
  scenario: Scenario,
  pop: Population,
  opts: { draws: number; seed: number; chunk?: number; onUpdate: (s: CurveSnapshot) => void },
): { cancel(): void } {
  const { draws, seed } = opts;
  const sme = smeOptionId(scenario);
  if (!sme) return { cancel() {} };
  const thresholds = Array.from({ length: CURVE_MAX + 1 }, (_, k) => k);
  const values = drawMatrix(compileModel(sweepScenario(scenario, sme, CURVE_MAX), pop), seed, draws);
  let segOf: Int32Array | undefined;
  const segNet: Float64Array[] = [];
  let done = 0;
  const snapshot = (): CurveSnapshot => ({
    done,
    total: draws,
    seed,
    atThreshold: (t) => {
      if (!segOf || done === 0) return undefined;
      const k = Math.max(0, Math.min(CURVE_MAX, Math.round(t)));
      const { nonFinite: _, ...i } = summarizeSamples(segNet[segOf[k]!]!.subarray(0, done));
      return i;
    },
  });
  return chunked(
    () => {
      const n = Math.min(opts.chunk ?? 250, draws - done);
      const pts = thresholdSweep(scenario, pop, sme, thresholds, {
        draws: n,
        seed,
        valuesByDraw: values.slice(done, done + n),
        drawOffset: done,
      });
      if (!segOf) {
        // thresholds in one segment share their arrays (draw-independent): map each to its segment once
        const ids = new Map<Float64Array, number>();
        segOf = Int32Array.from(pts, (p) => {
          let g = ids.get(p.net);
          if (g === undefined) {
            g = ids.size;
            ids.set(p.net, g);
            segNet.push(new Float64Array(draws));
          }
          return g;
        });
      }
      const seen = new Set<number>();
      pts.forEach((p, k) => {
        const g = segOf![k]!;
        if (!seen.has(g)) {
          seen.add(g);
          segNet[g]!.set(p.net, done);
        }
      });
      done += n;
      return done >= draws;
    },
    () => opts.onUpdate(snapshot()),
  );
}
