import { EngineError } from '../domain/issues.js';
import { optionName } from '../scenario/option-parts.js';
import { getIn, setIn } from '../scenario/paths.js';
import { type Scenario, ScenarioSchema } from '../scenario/schema.js';
import { describeParameter } from './catalogue.js';
import { checkDeterministic } from './finite.js';
import { compileModel } from './model.js';
import { runMonteCarlo } from './montecarlo.js';
import { formatValue, type ValueFormat } from './options/plain.js';
import { kindOf } from './options/registry.js';
import type { Population } from './population.js';
import { runDeterministic } from './run.js';
import { type Interval, meanOfSamples, summarizeSamples } from './summarize-samples.js';
import { thresholdSweep } from './threshold-sweep.js';

export interface SweepRow {
  value: number;
  /** The value in the parameter's own format ("70 %", "CHF 3,975"). */
  valueText: string;
  arm: string;
  label: string;
  /** Rule summary of the arm at this value (generated from the settings run). */
  summary: string;
  net: number;
  discountedNet: number;
  participants: number;
  eligibleIncumbents?: number;
  interval?: Interval;
}
export interface SweepResult {
  path: string;
  /** The parameter's human name and format (engine/catalogue.ts). */
  name: string;
  format: ValueFormat;
  method: string;
  rows: SweepRow[];
}

/** The option whose employee threshold `path` is (its kind's threshold capability), if any. */
function thresholdOption(scenario: Scenario, path: string): string | undefined {
  return Object.entries(scenario.options).find(([id, o]) => {
    const cap = kindOf(o).capabilities.threshold;
    return cap !== null && path === `options.${id}.${cap.path(o)}`;
  })?.[0];
}

/**
 * Which path sweep() takes for `path`: 'threshold' (an option's employee threshold: members drawn once
 * per draw, segments reused; engine/threshold-sweep.ts) or 'rerun' (the model re-run at each value).
 */
export function sweepMethod(scenario: Scenario, path: string): 'threshold' | 'rerun' {
  return thresholdOption(scenario, path) ? 'threshold' : 'rerun';
}

export function stepValues(from: number, to: number, step: number): number[] {
  const n = Math.floor((to - from) / step + 1e-9);
  return Array.from({ length: n + 1 }, (_, k) => Number((from + k * step).toPrecision(12)));
}

/** The scenario with one value replaced, validated like a file (a bad step value is an error, not NaN). */
export function scenarioAt(scenario: Scenario, path: string, value: number): Scenario {
  const copy = structuredClone(scenario) as unknown as Record<string, unknown>;
  const parent = path.split('.').slice(0, -1);
  if (parent.length && typeof getIn(copy, parent) !== 'object')
    throw new EngineError([{ code: 'not-in-scenario', path, message: `"${parent.join('.')}" is not in the scenario` }]);
  setIn(copy, path, value);
  const r = ScenarioSchema.safeParse(copy);
  if (!r.success)
    throw new EngineError(
      r.error.issues.map((i) => {
        const at = i.path.join('.');
        return {
          code: 'invalid-value' as const,
          path,
          message: `value ${value}: ${at === path || at === '' ? '' : `${at}: `}${i.message}`,
        };
      }),
    );
  return r.data;
}

/**
 * Net impact and participation at each value of one parameter. An employee threshold takes the fast
 * path (thresholdSweep: sort once, prefix sums), reporting the option whose threshold moves; any
 * other parameter re-runs the model per value, reporting every option. With draws, each step uses
 * the same seed, so each row equals a single run at that value.
 */
export function sweep(
  scenario: Scenario,
  pop: Population,
  path: string,
  values: number[],
  /** rememberUniforms: see thresholdSweep (a grid's columns sweep the same members again). */
  opts: { draws?: number; seed?: number; rememberUniforms?: boolean } = {},
): SweepResult {
  const info = describeParameter(scenario, path);
  const head = { path, name: info.name, format: info.format };
  const text = (v: number) => formatValue(v, info.format, 6);
  const id = thresholdOption(scenario, path);
  if (id) {
    checkThresholds(scenario, path, values);
    const pts = thresholdSweep(scenario, pop, id, values, opts);
    const spec = scenario.options[id]!;
    const k = kindOf(spec);
    // thresholds in one segment share their arrays: summarise each array once (only means but for the net)
    const memo = new Map<Float64Array, ReturnType<typeof summarizeSamples>>();
    const summary = (x: Float64Array) => {
      let r = memo.get(x);
      if (!r) {
        r = summarizeSamples(x);
        memo.set(x, r);
      }
      return r;
    };
    const means = new Map<Float64Array, number>();
    const meanOf = (x: Float64Array) => {
      let r = means.get(x);
      if (r === undefined) {
        r = meanOfSamples(x);
        means.set(x, r);
      }
      return r;
    };
    return {
      ...head,
      method: 'threshold fast path: members sorted once by headcount, exact prefix sums',
      rows: pts.map((p) => ({
        value: p.threshold,
        valueText: text(p.threshold),
        arm: id,
        label: optionName(spec, id),
        summary: k.summary(k.capabilities.threshold!.set(spec, p.threshold)),
        eligibleIncumbents: p.eligibleIncumbents,
        net: opts.draws ? summary(p.net).mean : p.net[0]!,
        discountedNet: opts.draws ? meanOf(p.discountedNet) : p.discountedNet[0]!,
        participants: opts.draws ? meanOf(p.participants) : p.participants[0]!,
        ...(opts.draws ? { interval: strip(summary(p.net)) } : {}),
      })),
    };
  }
  const rows: SweepRow[] = [];
  for (const v of values) {
    const model = compileModel(scenarioAt(scenario, path, v), pop);
    const bad = checkDeterministic(model);
    if (bad.length) throw new EngineError(bad.map((i) => ({ ...i, message: `at ${path} = ${v}: ${i.message}` })));
    const det = runDeterministic(model);
    const valueText = text(v);
    const mc = opts.draws ? runMonteCarlo(model, { draws: opts.draws, seed: opts.seed ?? 0 }) : undefined;
    for (const a of model.arms) {
      const s = det.arms.find((x) => x.id === a.id)!;
      const i = mc?.arms.find((x) => x.id === a.id);
      rows.push({
        value: v,
        valueText,
        arm: a.id,
        label: a.label,
        summary: s.summary,
        net: i ? i.total.mean : s.total.net,
        discountedNet: i ? i.discounted.mean : s.discountedNet,
        participants: i ? i.participants.mean : s.years[s.years.length - 1]!.smeParticipants,
        ...(i ? { interval: i.total } : {}),
      });
    }
  }
  return { ...head, method: 'full re-run of the model at each value', rows };
}

/**
 * The thresholds of a sweep are checked as a scenario's own value is: through the scenario schema, which
 * wants a headcount (a whole number in range). The fast path takes any number, and 9.5 would have been
 * computed as 9 and labelled 10. The lowest, the highest and the first value that is not a whole
 * number are enough: the schema's other rules are ranges.
 */
function checkThresholds(scenario: Scenario, path: string, values: readonly number[]): void {
  if (!values.length) return;
  const fractional = values.find((v) => !Number.isInteger(v));
  for (const v of [Math.min(...values), Math.max(...values), ...(fractional === undefined ? [] : [fractional])])
    scenarioAt(scenario, path, v);
}

function strip(x: Interval & { nonFinite: number }): Interval {
  const { nonFinite: _, ...rest } = x;
  return rest;
}
