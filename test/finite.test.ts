import { describe, expect, test } from 'vitest';
import { EngineError } from '../src/domain/issues.js';
import { checkDeterministic, supportOf } from '../src/engine/finite.js';
import { compileModel, type Model } from '../src/engine/model.js';
import { createMonteCarlo, mergeSamples, parameterColumns, runMonteCarlo } from '../src/engine/montecarlo.js';
import { sweepScenario, thresholdSweep } from '../src/engine/threshold-sweep.js';
import { cli, modelOf, scenarioWith, smallRoster } from './helpers.js';

// Issue 11: no silent non-finite results. A NaN take-up probability compares false with every uniform
// (nobody switches: a quietly wrong P(loss)); a NaN total was printed "n/a". Both are now errors naming
// the parameter (or the option) and, in a Monte Carlo run, the draw.

const SCENARIO = 'scenarios/pp18-options.yaml';
const PATH = 'options.sme-category.switchPropensity.base';
const model = () => modelOf(scenarioWith(SCENARIO, {}));
const indexOf = (m: Model, path: string) => m.params.paths.indexOf(path);
/** A model whose parameter `path` draws NaN (uniform over [0, NaN]): the expected value is NaN as well. */
function withNaNParameter(path: string): Model {
  const m = model();
  (m.params.specs as unknown[])[indexOf(m, path)] = { dist: 'uniform', min: 0, max: Number.NaN };
  return m;
}
/** A model whose option `k` adds NaN to the income gained in every year, its parameters all fine. */
function withNaNOption(k: number): Model {
  const m = model();
  const o = m.options[k]!;
  const forDraw = o.forDraw.bind(o);
  o.forDraw = (v) => {
    const add = forDraw(v);
    return (mt, y, out) => {
      add(mt, y, out);
      out.gained += Number.NaN;
    };
  };
  // an option with a member offer gives its year numbers too (forDraw is offerAdder(offerYears(v))):
  // the same NaN there, for the callers that read them (a Monte Carlo run, the threshold sweep)
  const offerYears = o.offerYears?.bind(o);
  if (offerYears)
    o.offerYears = (v, into) => {
      const t = offerYears(v, into);
      t.newcomerGained.fill(Number.NaN);
      return t;
    };
  return m;
}
const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof EngineError) return e.issues;
    throw e;
  }
  throw new Error('expected an EngineError');
};

describe('supports', () => {
  test('each distribution kind: its own support', () => {
    expect(supportOf(0.3)).toEqual([0.3, 0.3]);
    expect(supportOf({ dist: 'pert', min: 0.1, mode: 0.2, max: 0.9 })).toEqual([0.1, 0.9]);
    expect(supportOf({ dist: 'normal', mean: 0, sd: 1 })).toEqual([-Infinity, Infinity]);
    expect(supportOf({ dist: 'lognormal', mean: 1, sd: 1 })).toEqual([0, Infinity]);
    expect(supportOf({ dist: 'poisson', lambda: 3, max: 10 })).toEqual([0, 10]);
    expect(supportOf({ dist: 'beta', alpha: 2, beta: 3 })).toEqual([0, 1]);
  });
});

describe('deterministic run', () => {
  test('every shipped figure is finite: no issue', () => {
    expect(checkDeterministic(model())).toEqual([]);
  });
  test('a parameter whose expected value is NaN is named by its scenario path', () => {
    const issues = checkDeterministic(withNaNParameter(PATH));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'non-finite', path: PATH });
    expect(issues[0]!.message).toMatch(/^its expected value is NaN/);
  });
  test('finite parameters but an option that gives NaN: the option is named, with the figure and year', () => {
    const issues = checkDeterministic(withNaNOption(0));
    expect(issues.map((i) => i.path)).toEqual(['options.sme-category']);
    expect(issues[0]!.message).toMatch(/^at the expected parameter values: gained in 2020 is NaN although every parameter is finite/);
  });
});

describe('Monte Carlo', () => {
  test('a parameter drawn as NaN stops the run naming the parameter and the draw (never a P(loss) without it)', () => {
    const issues = issuesOf(() => runMonteCarlo(withNaNParameter(PATH), { draws: 200, seed: 1 }));
    expect(issues).toEqual([expect.objectContaining({ code: 'non-finite', path: PATH })]);
    expect(issues[0]!.message).toMatch(/^its value in Monte Carlo draw 0 \(seed 1\) is NaN/);
  });
  test('an arm total that is NaN with finite parameters names the option and the draw', () => {
    const issues = issuesOf(() => runMonteCarlo(withNaNOption(1), { draws: 50, seed: 3 }));
    expect(issues.map((i) => i.path)).toEqual(['options.pay-as-you-go']);
    expect(issues[0]!.message).toMatch(/^Monte Carlo draw 0 \(seed 3\): gained in 2020 is NaN/);
    // an option without a member offer (its figures bound per draw by forDraw alone)
    const pilot = issuesOf(() => runMonteCarlo(withNaNOption(2), { draws: 50, seed: 3 }));
    expect(pilot.map((i) => i.path)).toEqual(['options.extend-pilot']);
  });
  test('the first bad draw survives a split over threads (mergeSamples), as an absolute draw index', () => {
    const m = withNaNParameter(PATH);
    const a = createMonteCarlo(model(), { draws: 30, seed: 1 });
    a.step(30);
    const b = createMonteCarlo(m, { draws: 30, seed: 1, firstDraw: 30 });
    b.step(30);
    expect(mergeSamples([a.samples(), b.samples()]).firstNonFinite).toEqual({ draw: 30, param: indexOf(m, PATH), arm: -1 });
  });
  test('the threshold sweep checks its draws the same way', () => {
    const m = model();
    const sm = compileModel(sweepScenario(m.scenario, 'sme-category', 250), m.pop); // the model a sweep runs
    const values = Array.from({ length: 20 }, (_, d) => {
      const v = sm.params.means();
      if (d === 7) v[indexOf(sm, PATH)] = Number.NaN;
      return v;
    });
    const issues = issuesOf(() =>
      thresholdSweep(m.scenario, m.pop, 'sme-category', [0, 50, 250], { draws: 20, seed: 1, valuesByDraw: values }),
    );
    expect(issues[0]).toMatchObject({ code: 'non-finite', path: PATH });
  });
  test('the threshold sweep over remembered draws (column by column) stops at the first bad draw, whichever parameter has it', () => {
    const m = model();
    const sm = compileModel(sweepScenario(m.scenario, 'sme-category', 1000), m.pop);
    const later = 'options.sme-category.newEntrants.elasticity'; // a parameter after PATH
    expect(indexOf(sm, later)).toBeGreaterThan(indexOf(sm, PATH));
    // The sweep reads the remembered columns (parameterColumns' arrays): written into here, with seeds of
    // their own. The message then names the draw but not the parameter — naming it draws the values
    // again from the seed (diagnoseDraw), which a real run's columns equal, these do not.
    const sweepWith = (seed: number, bad: [string, number, number][]) => {
      const columns = parameterColumns(sm, seed, 40);
      for (const [path, draw, x] of bad) columns[indexOf(sm, path)]![draw] = x;
      return issuesOf(() => thresholdSweep(m.scenario, m.pop, 'sme-category', [0, 50, 1000], { draws: 40, seed }));
    };
    const both = sweepWith(31, [
      [PATH, 9, Number.NaN],
      [later, 4, Number.POSITIVE_INFINITY],
    ]);
    expect(both[0]).toMatchObject({ code: 'non-finite' });
    expect(both[0]!.message).toMatch(/^Monte Carlo draw 4 \(seed 31\)/);
    expect(sweepWith(32, [[PATH, 9, Number.NaN]])[0]!.message).toMatch(/^Monte Carlo draw 9 \(seed 32\)/);
  });
  test('a clean model has no first non-finite draw', () => {
    const mc = createMonteCarlo(modelOf(scenarioWith(SCENARIO, {}), smallRoster()), { draws: 100, seed: 2 });
    mc.step(100);
    expect(mc.samples().firstNonFinite).toBeUndefined();
  });
});

describe('CLI: exit 2 at the line (or --set) that gives the parameter', () => {
  const lognormal = '{dist: lognormal, mean: 1e-200, sd: 1e200, min: 0, max: 100}';
  test('deterministic run and Monte Carlo run both refuse a parameter whose expected value is NaN', () => {
    for (const extra of [[], ['--draws', '500', '--seed', '1'], ['--json']]) {
      const r = cli(['run', '--set', `options.sme-category.newEntrants.referenceCount=${lognormal}`, ...extra]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`--set  options.sme-category.newEntrants.referenceCount=${lognormal}  its expected value is NaN`);
      expect(r.stdout).toBe('');
    }
  });
  test('a scenario file: located at the parameter line', () => {
    const r = cli(['run', 'test/fixtures/bad/nonfinite-lognormal-count.yaml', '--draws', '100', '--seed', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^test\/fixtures\/bad\/nonfinite-lognormal-count\.yaml:\d+:\d+ {2}options\.sme-category\.newEntrants\.referenceCount {2}its expected value is NaN/m,
    );
  });
});
