import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { EngineError } from '../src/domain/issues.js';
import { makePopulation } from '../src/engine/population.js';
import { revenueNeutralFee } from '../src/engine/solvers.js';
import { scenarioAt } from '../src/engine/sweep.js';
import { thresholdSweep } from '../src/engine/threshold-sweep.js';
import { cli, countries, scenarioWith, schedule } from './helpers.js';

/** Engine errors are typed issues (code, scenario path, message) and name no command-line flag. */
const bundled = loadRoster(DEFAULTS.roster, countries, schedule);
const pop = makePopulation(bundled.roster, bundled.fee, schedule);
const scenario = scenarioWith('scenarios/pp18-options.yaml', {});

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return (e as EngineError).issues;
  }
  throw new Error('expected an EngineError');
}

test('typed issues with a code and a path', () => {
  expect(issuesOf(() => scenarioAt(scenario, 'options.nope.x', 1))[0]).toMatchObject({ code: 'not-in-scenario', path: 'options.nope.x' });
  expect(issuesOf(() => scenarioAt(scenario, 'options.sme-category.switchPropensity', 2))[0]).toMatchObject({
    code: 'invalid-value',
    path: 'options.sme-category.switchPropensity',
  });
  expect(issuesOf(() => thresholdSweep(scenario, pop, 'cease-pilot', [1]))[0]).toMatchObject({ code: 'no-threshold', path: 'cease-pilot' });
  expect(issuesOf(() => thresholdSweep(scenario, pop, 'nope', [1]))[0]).toMatchObject({ code: 'unknown-option', path: 'nope' });
  expect(issuesOf(() => revenueNeutralFee(scenario, pop, 'extend-pilot'))[0]).toMatchObject({ code: 'no-fee-table' });
});

test('no command-line flag is named inside the engine', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  for (const f of files('src/engine')) expect(readFileSync(f, 'utf8'), f).not.toMatch(/['"`]--[a-z]|[ (]--(param|option|set|draws|seed)\b/);
});

test('the CLI names the flag that supplied the path', () => {
  const r = cli(['sweep', '--param', 'options.sme-category.switchPropensity', '--from', '0', '--to', '2', '--step', '1']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^--param {2}options\.sme-category\.switchPropensity {2}value 2: out of range/m);
});
