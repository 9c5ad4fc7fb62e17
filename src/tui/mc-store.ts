import { compileModel, type Model } from '../engine/model.js';
import { createMonteCarlo, type McResult } from '../engine/montecarlo.js';
import type { Population } from '../engine/population.js';
import { type Interval, summarizeSamples } from '../engine/summarize-samples.js';
import { thresholdSweep } from '../engine/threshold-sweep.js';
import type { Scenario } from '../scenario/schema.js';
import { CURVE_MAX } from './explorer-model.js';

/** Runs work on the event loop; tests pass their own to advance the Monte Carlo step by step. */
export type Schedule = (task: () => void) => void;
export const immediate: Schedule = (task) => {
  setImmediate(task);
};

/** One option's Monte Carlo figures at one threshold. `updating`: not yet recomputed for that threshold. */
export interface ArmMc {
  id: string;
  total: Interval;
  probBest: number;
  updating: boolean;
}
export interface McSummary {
  seed: number;
  /** Draws the figures rest on. */
  draws: number;
  arms: ArmMc[];
}

export interface McStore {
  readonly draws: number;
  readonly seed: number;
  /** Draws done so far: only ever grows (a threshold step does not restart the run). */
  readonly done: number;
  readonly finished: boolean;
  /** Starts (or resumes) the chunked run; `onProgress` is called at most ~10 times a second and at the end. */
  start(onProgress: () => void): void;
  /** Pauses the run (a later start resumes it where it stopped). */
  cancel(): void;
  /**
   * The thresholds on screen (B's, and A's when A differs only in the threshold): options that depend
   * on the threshold and are not on the stored curve are computed there, catching up in the background.
   */
  follow(thresholds: readonly number[]): void;
  /** Every option's figures at a threshold, from the stored draws (undefined before the first chunk). */
  summaryAt(threshold: number): McSummary | undefined;
  /** The threshold option's net-impact interval at a threshold (the curve 0 … CURVE_MAX), from the stored draws. */
  curveAt(threshold: number): Interval | undefined;
}

const interval = (x: Float64Array): Interval => {
  const { nonFinite: _, ...i } = summarizeSamples(x);
  return i;
};

type MonteCarlo = ReturnType<typeof createMonteCarlo>;
/** Every integer threshold of the curve, 0 … CURVE_MAX. */
const CURVE_THRESHOLDS = Array.from({ length: CURVE_MAX + 1 }, (_, k) => k);
const onCurve = (t: number) => Number.isInteger(t) && t >= 0 && t <= CURVE_MAX;

/**
 * The explorer's Monte Carlo for one setting of everything but the threshold, on the engine's fast
 * calls (the ones `feesim run` and `feesim sweep` use). Draws are computed once, in chunks that yield to
 * the event loop, and stored per draw:
 * - every option at the threshold the store was made at: createMonteCarlo(model).step(n), whose
 *   samples() hold each option's horizon net per draw — options that do not depend on the threshold
 *   are read from there at every threshold;
 * - the threshold option alone: its horizon net per draw at every threshold 0 … CURVE_MAX, from
 *   thresholdSweep(…, { draws, seed, drawOffset }) over the same draws (thresholds between two
 *   members' headcounts share one array);
 * - options that depend on the threshold in another way (a combination with it, or a threshold off
 *   the curve) at another threshold on screen: a second run of those options alone at that threshold,
 *   which catches up on the draws already done while the main run goes on (their rows are marked
 *   updating until it has).
 * So a threshold step reads stored draws and never sends the progress back. With the same seed each
 * figure equals `feesim run --draws N --seed S` at that threshold, draw for draw.
 */
export function createMcStore(
  scenario: Scenario,
  pop: Population,
  opts: {
    draws: number;
    seed: number;
    /** The option whose employee threshold the explorer moves; undefined: none. */
    thresholdOption?: string;
    /** The threshold that option has in `scenario`. */
    threshold?: number;
    /** Builds the scenario at another threshold (the explorer's settings applied). */
    atThreshold: (t: number) => Scenario;
    chunk?: number;
    schedule?: Schedule;
  },
): McStore {
  const { draws, seed } = opts;
  const chunk = opts.chunk ?? 500;
  const schedule = opts.schedule ?? immediate;
  const t0 = opts.threshold;
  let model: Model | undefined;
  let main: MonteCarlo | undefined;
  // arms holding the threshold option (their figures move with the threshold)
  let dependent: number[] = [];
  // each arm's index in the main run (−1: not in it)
  let mainIndex = new Int32Array(0);
  let curve: { segOf: Int32Array; segNet: Float64Array[]; optionIdx: number } | undefined;
  // the threshold-dependent arms at each other threshold on screen
  type Follower = { t: number; mc: MonteCarlo | undefined; arms: number[] | undefined; done: number };
  let followers: Follower[] = [];
  let turn = 0;
  let done = 0;
  let cancelled = false;
  let running = false;

  const init = () => {
    const m = compileModel(scenario, pop);
    model = m;
    const thrIdx = opts.thresholdOption ? m.options.findIndex((o) => o.id === opts.thresholdOption) : -1;
    dependent = thrIdx < 0 ? [] : m.arms.map((_, a) => a).filter((a) => m.arms[a]!.options.includes(thrIdx));
    if (thrIdx >= 0)
      curve = {
        segOf: new Int32Array(0),
        segNet: [],
        optionIdx: m.arms.findIndex((a) => a.options.length === 1 && a.options[0] === thrIdx),
      };
    // the threshold option alone is read from its curve at every threshold on it, t0 included: the
    // main run leaves it out (each arm's draws are its own, so the others' do not change)
    const served = curve && t0 !== undefined && onCurve(t0) ? curve.optionIdx : -1;
    const arms = m.arms.map((_, a) => a).filter((a) => a !== served);
    mainIndex = Int32Array.from(m.arms, (_, a) => arms.indexOf(a));
    main = createMonteCarlo({ ...m, arms: arms.map((a) => m.arms[a]!) }, { draws, seed });
  };

  /** Arms whose figures at threshold t are neither the main run's (t0) nor on the curve. */
  const followed = (t: number) => (t === t0 ? [] : dependent.filter((a) => !(a === curve?.optionIdx && onCurve(t))));

  const advance = (f: Follower, upTo: number) => {
    f.arms ??= followed(f.t);
    const arms = f.arms;
    if (arms.length) {
      if (!f.mc) {
        const m = compileModel(opts.atThreshold(f.t), pop);
        // only the arms needed here: each arm's draws are its own (common random numbers keyed by
        // member and parameter, not by the other arms), so leaving the others out changes nothing
        f.mc = createMonteCarlo({ ...m, arms: arms.map((a) => m.arms[a]!) }, { draws, seed });
      }
      f.mc.step(upTo - f.mc.done);
    }
    f.done = upTo;
  };
  const behind = () => followers.find((f) => f.done < done);
  const caughtUp = () => followers.every((f) => f.done >= done);

  const step = (): boolean => {
    if (!model) init();
    // a threshold that moved catches up on the stored draws, every other chunk, so the run goes on meanwhile
    const late = behind();
    if (late && (turn++ % 2 === 0 || done >= draws)) {
      advance(late, Math.min(done, late.done + chunk));
      return done >= draws && caughtUp();
    }
    if (done >= draws) return caughtUp();
    const end = Math.min(draws, done + chunk);
    main!.step(end - done);
    if (curve) {
      const cv = curve;
      const pts = thresholdSweep(scenario, pop, opts.thresholdOption!, CURVE_THRESHOLDS, {
        draws: end - done,
        seed,
        drawOffset: done,
        rememberUniforms: true, // the curve is recomputed over the same draws after a setting changes
      });
      if (!cv.segNet.length) {
        const ids = new Map<Float64Array, number>();
        cv.segOf = Int32Array.from(pts, (p) => {
          let g = ids.get(p.net);
          if (g === undefined) {
            g = ids.size;
            ids.set(p.net, g);
            cv.segNet.push(new Float64Array(draws));
          }
          return g;
        });
      }
      const seen = new Set<number>();
      pts.forEach((p, k) => {
        const g = cv.segOf[k]!;
        if (!seen.has(g)) {
          seen.add(g);
          cv.segNet[g]!.set(p.net, done);
        }
      });
    }
    for (const f of followers) if (f.done === done) advance(f, end);
    done = end;
    return done >= draws && caughtUp();
  };

  const fresh = (t: number) => followers.find((f) => f.t === t && f.done >= done);
  /** The stored nets of every arm at threshold t, or undefined for an arm not (yet) computed there. */
  const netsAt = (t: number): { nets: (Float64Array | undefined)[]; updating: boolean[] } => {
    const m = model!;
    const total = main!.samples().total;
    const nets: (Float64Array | undefined)[] = [];
    const updating: boolean[] = [];
    const late = new Set(followed(t));
    m.arms.forEach((_, a) => {
      if (a === curve?.optionIdx && onCurve(t) && curve.segNet.length) nets.push(curve.segNet[curve.segOf[t]!]!.subarray(0, done));
      else if (!late.has(a) && mainIndex[a]! >= 0) nets.push(total[mainIndex[a]!]!);
      else {
        const f = fresh(t);
        const k = f?.arms ? f.arms.indexOf(a) : -1;
        nets.push(f?.mc && k >= 0 ? f.mc.samples().total[k]!.subarray(0, done) : undefined);
      }
      updating.push(nets[a] === undefined);
    });
    return { nets, updating };
  };
  let report: (() => void) | undefined;
  let lastReport = 0;
  const run = () => {
    if (running || cancelled || !report || (done >= draws && caughtUp())) return;
    running = true;
    const tick = () => {
      if (cancelled) {
        running = false;
        return;
      }
      const finished = step();
      const now = performance.now();
      if (finished || now - lastReport > 100) {
        lastReport = now;
        report?.();
      }
      if (finished) running = false;
      else schedule(tick);
    };
    schedule(tick);
  };

  let last: { t: number; done: number; summary: McSummary } | undefined;
  const store: McStore = {
    draws,
    seed,
    get done() {
      return done;
    },
    get finished() {
      return done >= draws && caughtUp();
    },
    start(onProgress) {
      report = onProgress;
      cancelled = false;
      run();
    },
    cancel() {
      cancelled = true;
    },
    follow(ts) {
      const want = [...new Set(ts)];
      if (want.length === followers.length && want.every((t) => followers.some((f) => f.t === t))) return;
      // before the first chunk nothing is stored: a follower starts level with the run
      followers = want.map((t) => followers.find((f) => f.t === t) ?? { t, mc: undefined, arms: undefined, done: model ? 0 : done });
      if (!caughtUp()) run(); // a finished run resumes for the catch-up
    },
    summaryAt(t) {
      if (!model || done === 0) return undefined;
      if (last && last.t === t && last.done === done && !last.summary.arms.some((a) => a.updating)) return last.summary;
      const { nets, updating } = netsAt(t);
      const m = model;
      // P(ranks first): over draws where every option is known; ties go to the first option (as the CLI)
      const best = new Uint32Array(m.arms.length);
      const allKnown = nets.every((x) => x !== undefined);
      if (allKnown)
        for (let d = 0; d < done; d++) {
          let b = -1,
            bn = -Infinity;
          for (let a = 0; a < nets.length; a++)
            if (nets[a]![d]! > bn) {
              bn = nets[a]![d]!;
              b = a;
            }
          if (b >= 0) best[b]!++;
        }
      const prev = last?.summary;
      const summary: McSummary = {
        seed,
        draws: done,
        arms: m.arms.map((arm, a) => {
          const x = nets[a];
          const old = prev?.arms.find((p) => p.id === arm.id);
          return {
            id: arm.id,
            total: x ? interval(x) : (old?.total ?? NO_INTERVAL),
            probBest: allKnown ? best[a]! / done : (old?.probBest ?? Number.NaN),
            updating: updating[a]! || !allKnown,
          };
        }),
      };
      last = { t, done, summary };
      return summary;
    },
    curveAt(t) {
      if (!curve?.segNet.length || done === 0) return undefined;
      const k = Math.max(0, Math.min(CURVE_MAX, Math.round(t)));
      return interval(curve.segNet[curve.segOf[k]!]!.subarray(0, done));
    },
  };
  return store;
}

const NO_INTERVAL: Interval = { mean: Number.NaN, p5: Number.NaN, p50: Number.NaN, p95: Number.NaN, probLoss: Number.NaN };

/** The shape the result tables take (comparisonTable reads each arm's total and probBest only). */
export function asMcResult(s: McSummary): McResult {
  return {
    seed: s.seed,
    draws: s.draws,
    nonFinite: 0,
    arms: s.arms.map((a) => ({
      id: a.id,
      total: a.total,
      discounted: NO_INTERVAL,
      years: [],
      participants: NO_INTERVAL,
      probBest: a.probBest,
    })),
  };
}
