import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenarioInputs } from '../src/cli/inputs.js';
import { compileModel, evaluateArm } from '../src/engine/model.js';
import { parameterDraws } from '../src/engine/montecarlo.js';
import { makePopulation } from '../src/engine/population.js';
import { seedKey } from '../src/engine/random/streams.js';
import { cli, ROOT } from './helpers.js';

const A = 'scenarios/threshold-300.yaml';
const B = 'scenarios/pp18-options.yaml';
const DRAWS = 400;
const SEED = 5;

/** A second method: horizon nets draw by draw straight from the model (no Monte Carlo driver), same seed. */
function directNets(file: string, arm: string): Float64Array {
  const inputs = loadScenarioInputs(resolve(ROOT, file));
  const model = compileModel(inputs.loaded.scenario, makePopulation(inputs.roster, inputs.fee, inputs.schedule));
  const next = parameterDraws(model, SEED);
  const a = model.arms.find((x) => x.id === arm)!;
  const key = seedKey(SEED);
  return Float64Array.from({ length: DRAWS }, (_, d) =>
    evaluateArm(model, a, next(), { seedKey: key, draw: d }).reduce((s, y) => s + y.net, 0),
  );
}

describe('feesim compare: several scenarios in one table, common random numbers', () => {
  const mc = ['--draws', String(DRAWS), '--seed', String(SEED)];
  const r = cli(['compare', A, B, '--a', 'threshold-300:sme-category', '--b', 'pp18-options:sme-category', '--json', ...mc]);
  const doc = JSON.parse(r.stdout);
  const runA = JSON.parse(cli(['run', A, '--json', ...mc]).stdout);
  const runB = JSON.parse(cli(['run', B, '--json', ...mc]).stdout);
  const net = (run: { arms: { id: string; total: { net: number } }[] }, id: string) => run.arms.find((a) => a.id === id)!.total.net;
  const mean = (run: { monteCarlo: { arms: { id: string; total: { mean: number } }[] } }, id: string) =>
    run.monteCarlo.arms.find((a) => a.id === id)!.total.mean;

  test('one ranked table over every arm of both scenarios, labelled by scenario', () => {
    expect(r.code).toBe(0);
    expect(doc.rows).toHaveLength(runA.arms.length + runB.arms.length);
    expect(doc.rows.map((x: { rank: number }) => x.rank)).toEqual(doc.rows.map((_: unknown, k: number) => k + 1));
    const nets = doc.rows.map((x: { net: number }) => x.net);
    expect(nets).toEqual([...nets].sort((a, b) => b - a));
    expect(new Set(doc.rows.map((x: { scenario: string }) => x.scenario))).toEqual(new Set(['threshold-300', 'pp18-options']));
  });

  test('the Δ column equals the difference of the two `run --json` at the same seed', () => {
    const ref = net(runB, 'sme-category');
    for (const row of doc.rows as { scenario: string; option: string; net: number; diff: number }[]) {
      const run = row.scenario === 'threshold-300' ? runA : runB;
      const arm = run.arms.find((a: { label: string }) => a.label === row.option);
      expect(row.diff).toBeCloseTo(arm.total.net - ref, 6);
    }
    expect(doc.difference.net).toBeCloseTo(net(runA, 'sme-category') - ref, 6);
    // the mean of the per-draw differences is the difference of the means
    expect(doc.difference.mc.mean).toBeCloseTo(mean(runA, 'sme-category') - mean(runB, 'sme-category'), 4);
  });

  test('P(A better than B) is within Monte Carlo error of a direct count; P5 ≤ mean ≤ P95', () => {
    const a = directNets(A, 'sme-category');
    const b = directNets(B, 'sme-category');
    let better = 0;
    for (let d = 0; d < DRAWS; d++) if (a[d]! > b[d]!) better++;
    const p = better / DRAWS;
    const se = Math.sqrt(Math.max(p * (1 - p), 1 / DRAWS) / DRAWS);
    expect(Math.abs(doc.difference.mc.pABetter - p)).toBeLessThanOrEqual(3 * se);
    expect(doc.difference.mc.p5).toBeLessThanOrEqual(doc.difference.mc.mean);
    expect(doc.difference.mc.mean).toBeLessThanOrEqual(doc.difference.mc.p95);
  });

  test('text output: the table and the difference line; bad arm: exit 2 listing the arms', () => {
    const t = cli(['compare', A, B, ...mc]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('threshold-300');
    expect(t.stdout).toMatch(/Difference \(A − B\): threshold-300: .* − pp18-options: .*P\(A better than B\) = \d+\.\d%/);
    const bad = cli(['compare', A, B, '--a', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('pp18-options:sme-category');
  });
});

describe('feesim diff', () => {
  test('a child against its parent: the changed settings, resolved values side by side', () => {
    const r = cli(['diff', 'scenarios/threshold-300.yaml', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.parent).toMatch(/option-sme-category\.yaml$/);
    const preset = d.changes.find((c: { path: string }) => c.path === 'options.sme-category.eligibility.preset');
    expect(preset).toEqual({ path: 'options.sme-category.eligibility.preset', before: 'res209', after: 'pp18' });
    const rule = d.changes.find((c: { path: string }) => c.path === 'options.sme-category.eligibility.resolved');
    expect(rule.before).toContain('≤ 250 staff');
    expect(rule.after).toContain('≤ 300 staff');
    expect(d.changes.every((c: { path: string }) => !c.path.startsWith('horizon'))).toBe(true);
  });
  test('any two scenarios; an option removed is one row; no parent: exit 2', () => {
    const r = cli(['diff', 'scenarios/option-sme-category.yaml', 'scenarios/pp18-options.yaml', '--json']);
    const d = JSON.parse(r.stdout);
    expect(d.changes).toContainEqual({
      path: 'options.cease-pilot',
      before: expect.stringContaining('cease-pilot option'),
      after: undefined,
    });
    const none = cli(['diff', 'scenarios/pp18-options.yaml']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('extends no other');
  });
});
