import { beforeAll, describe, expect, test } from 'vitest';
import { compileExpression, loadExpressionEngine } from '../src/engine/expr/compile-expression.js';
import { evaluateArm } from '../src/engine/model.js';
import { modelOf, scenarioWith } from './helpers.js';

beforeAll(loadExpressionEngine);

describe('restricted expressions', () => {
  test.each([
    ['property access', 'cos.constructor', /property access/],
    ['import', 'import({}, {})', /function import is not allowed/],
    ['assignment', 'saving_share = 1', /assignment/],
    ['matrix building', '[1, 2, 3]', /matrix building/],
    ['function definition', 'f(x) = x', /function definition/],
    ['evaluate', 'evaluate("1+1")', /function evaluate is not allowed/],
    ['index access', 'saving_share[1]', /index access/],
    ['unknown variable', 'revenue * 2', /unknown variable "revenue"/],
    ['syntax', 'saving_share +', /not a valid expression/],
  ])('%s is rejected with a clear message', (_name, source, message) => {
    const r = compileExpression(source);
    expect(r.expr).toBeUndefined();
    expect(r.problems.join('\n')).toMatch(message);
  });

  test('a propensity expression is evaluated per member', () => {
    // T-SM-half saves 27,825 of 31,800 (share 0.875); R-AS-dev 8,612.5 of 10,600 (0.8125)
    const m = modelOf(
      scenarioWith('scenarios/pp18-options.yaml', {
        'horizon.years': 1,
        'baseline.pilotAdminCostPerParticipant': 0,
        'options.sme-category.eligibility': { preset: 'custom', maxEmployees: 100 },
        'options.sme-category.switchPropensity': 'saving_share > 0.85 ? 1 : 0',
        'options.sme-category.pilotConversionRate': 0,
        'options.sme-category.newEntrants.referenceCount': 0,
        'options.sme-category.adminCostPerMember': 0,
        'options.sme-category.setupCost': 0,
      }),
    );
    const y = evaluateArm(m, m.arms.find((a) => a.id === 'sme-category')!, m.params.means())[0]!;
    // ≤ 100 staff: T-SM-half (0.875), D-SM-8th 5,962.5/7,950 = 0.75, D-SM-16th 0.75, R-AS-dev 0.8125, D-AS 0.5, D-AS-ldc 0.5
    expect(y.lost).toBe(27_825);
  });

  test('an expression outside [0, 1] is reported, naming the member', () => {
    expect(() => modelOf(scenarioWith('scenarios/pp18-options.yaml', { 'options.sme-category.switchPropensity': 'saving_chf' }))).toThrow(
      /must lie in \[0, 1\]/,
    );
  });
});
