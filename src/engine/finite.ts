import type { EngineIssue } from '../domain/issues.js';
import type { Num } from '../scenario/distribution.js';
import { YEAR_FIELDS } from './kernel.js';
import { unionOfMembers } from './member-choice.js';
import { evaluateArm, evaluateOptions, type Model } from './model.js';
import { parameterSampler } from './montecarlo.js';
import { seedKey } from './random/streams.js';

/**
 * No silent non-finite results (issue 11; docs/model.md "Non-finite values are errors"). A NaN in a
 * take-up probability compares false with every uniform, so a draw would quietly count nobody as
 * switching; a NaN total would be summarised as "n/a" or dropped from P(loss). Instead:
 * - every parameter value (the expected value, or a draw's value) must be finite and inside the
 *   support of its own distribution (`supportOf`), which the scenario schema already keeps inside the
 *   parameter's allowed range — a value outside it can only come from a numerical failure (e.g. a
 *   lognormal whose sd is 10^400 times its mean);
 * - every figure of the deterministic run, and each arm's total in every Monte Carlo draw, must be finite.
 * The checks are cheap (a few comparisons per draw); only on failure is the cause traced, and reported
 * as EngineIssues (code 'non-finite') naming the parameter's scenario path, or the option, and the draw.
 */

/** The interval a value of the parameter must lie in: its distribution's support (bounds included). */
export function supportOf(spec: Num): [number, number] {
  if (typeof spec === 'number') return [spec, spec];
  switch (spec.dist) {
    case 'fixed':
      return [spec.value, spec.value];
    case 'uniform':
    case 'triangular':
    case 'pert':
      return [spec.min, spec.max];
    case 'normal':
      return [spec.min ?? -Infinity, spec.max ?? Infinity];
    case 'lognormal':
    case 'poisson':
      return [spec.min ?? 0, spec.max ?? Infinity];
    case 'beta':
      return [0, 1];
  }
}

/** Lower and upper bounds of every parameter (a rounding's worth of slack), for the per-draw check. */
export function parameterBounds(model: Model): { lo: Float64Array; hi: Float64Array } {
  const n = model.params.size;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  model.params.specs.forEach((s, k) => {
    const [a, b] = supportOf(s);
    const slack = 1e-9 * Math.max(1, Number.isFinite(a) ? Math.abs(a) : 0, Number.isFinite(b) ? Math.abs(b) : 0);
    lo[k] = a - slack;
    hi[k] = b + slack;
  });
  return { lo, hi };
}

/** Whether v is a usable value of parameter k (finite, inside its support). */
export const inBounds = (v: number, lo: number, hi: number): boolean => v >= lo && v <= hi && v - v === 0;

const show = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));
const describe = (spec: Num) => {
  if (typeof spec === 'number') return String(spec);
  const { dist, ...rest } = spec;
  return `a ${dist} distribution (${Object.entries(rest)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')})`;
};

/** Issues for the parameters whose value in `values` is not finite or outside its support; `what` says which value. */
function parameterIssues(model: Model, values: Float64Array, what: string): EngineIssue[] {
  const { lo, hi } = parameterBounds(model);
  const out: EngineIssue[] = [];
  for (let k = 0; k < model.params.size; k++) {
    const v = values[k]!;
    if (inBounds(v, lo[k]!, hi[k]!)) continue;
    const spec = model.params.specs[k]!;
    const [a, b] = supportOf(spec);
    out.push({
      code: 'non-finite',
      path: model.params.paths[k]!,
      message: `${what} is ${show(v)}${Number.isFinite(v) ? `, outside [${a}, ${b}]` : ''}: ${describe(spec)} cannot be computed reliably here; use a distribution whose parameters are of ordinary size`,
    });
  }
  return out;
}

/** The first non-finite yearly figure of a set of years, as "net in 2021 is NaN". */
function firstBadFigure(model: Model, years: readonly Record<string, number>[]): string | undefined {
  for (let y = 0; y < years.length; y++)
    for (const f of YEAR_FIELDS) {
      const v = years[y]![f]!;
      if (!Number.isFinite(v)) return `${f} in ${model.scenario.horizon.startYear + y} is ${v}`;
    }
  return undefined;
}

/**
 * When the parameters are fine but a figure is not: the option of the arm (evaluated alone) that gives it,
 * named by its scenario path `options.<id>`, with the values of its parameters.
 */
function optionIssues(model: Model, values: Float64Array, what: string, draw?: { seedKey: number; draw: number }): EngineIssue[] {
  const out: EngineIssue[] = [];
  for (let k = 0; k < model.options.length; k++) {
    const o = model.options[k]!;
    const rows = unionOfMembers(o.offer ? [o.offer] : []);
    const bad = firstBadFigure(model, evaluateOptions(model, [k], rows, values, draw) as unknown as Record<string, number>[]);
    if (!bad) continue;
    const prefix = `options.${o.id}.`;
    const own = model.params.paths.flatMap((p, j) => (p.startsWith(prefix) ? [`${p.slice(prefix.length)} = ${show(values[j]!)}`] : []));
    out.push({
      code: 'non-finite',
      path: `options.${o.id}`,
      message: `${what}: ${bad} although every parameter is finite and inside its range${own.length ? ` (${own.join(', ')})` : ''}`,
    });
  }
  return out;
}

/**
 * The deterministic run's check (every command that opens a scenario runs it, validate included):
 * the expected value of every parameter, then every yearly figure of every arm and of the baseline.
 * Returns the issues (empty: all finite).
 */
export function checkDeterministic(model: Model): EngineIssue[] {
  const values = model.params.means();
  const params = parameterIssues(model, values, 'its expected value');
  if (params.length) return params;
  for (const arm of model.arms) {
    const bad = firstBadFigure(model, evaluateArm(model, arm, values) as unknown as Record<string, number>[]);
    if (bad) {
      const found = optionIssues(model, values, 'at the expected parameter values');
      return found.length ? found : [{ code: 'non-finite', path: armPath(arm), message: `at the expected parameter values: ${bad}` }];
    }
  }
  return [];
}

const armPath = (arm: Model['arms'][number]) => (arm.kind === 'combination' ? `combinations.${arm.id}` : `options.${arm.id}`);

/** Where a Monte Carlo run first met a non-finite value: the absolute draw, and the parameter or arm (−1: none). */
export interface NonFiniteAt {
  draw: number;
  param: number;
  arm: number;
}

/**
 * The issues for draw `at.draw` of a Monte Carlo run with `seed`: its parameter values are drawn again
 * (the same numbers: each parameter's stream skipped to that draw), unless `given`, and checked; if they are fine, the
 * option whose figures are not finite in that draw is named.
 */
export function diagnoseDraw(model: Model, seed: number, at: NonFiniteAt, given?: Float64Array): EngineIssue[] {
  const values = given ?? parameterSampler(model, seed, at.draw).next();
  const what = `Monte Carlo draw ${at.draw} (seed ${seed})`;
  const params = parameterIssues(model, values, `its value in ${what}`);
  if (params.length) return params;
  const found = optionIssues(model, values, what, { seedKey: seedKey(seed), draw: at.draw });
  if (found.length) return found;
  const arm = model.arms[Math.max(0, at.arm)]!;
  return [{ code: 'non-finite', path: armPath(arm), message: `${what}: the net impact is not finite` }];
}
