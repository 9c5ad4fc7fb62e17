// One benchmark case in its own process, so that its peak memory (maxRSS) is its own.
// Usage: node bench/case.mjs <comparison|sweep|million|tui-step>
import { performance } from 'node:perf_hooks';
import { DEFAULTS, loadCountries, loadFeeSchedule, loadRoster, loadScenarioInputs } from '../dist/cli/inputs.js';
import { compileModel } from '../dist/engine/model.js';
import { runMonteCarlo } from '../dist/engine/montecarlo.js';
import { makePopulation } from '../dist/engine/population.js';
import { runDeterministic } from '../dist/engine/run.js';
import { summarizeSamples } from '../dist/engine/summarize-samples.js';
import { thresholdSweep } from '../dist/engine/threshold-sweep.js';
import { computeFees } from '../dist/fees/fee-schedule.js';
import { rosterFromRows } from '../dist/roster/roster.js';
import { computeExplorer, initialSettings } from '../dist/tui/explorer-model.js';

const name = process.argv[2];
const time = (f) => {
  const t = performance.now();
  const r = f();
  return [performance.now() - t, r];
};
const session = (file) => {
  const inputs = loadScenarioInputs(file);
  const pop = makePopulation(inputs.roster, inputs.fee, inputs.schedule);
  return { inputs, pop };
};
let out;
if (name === 'comparison') {
  const { inputs, pop } = session(DEFAULTS.scenario);
  const [ms] = time(() => runMonteCarlo(compileModel(inputs.loaded.scenario, pop), { draws: 10_000, seed: 1 }));
  out = { case: 'four-option comparison (+1 combination), 10,000 draws, bundled roster', engineMs: ms, memberships: pop.roster.size };
} else if (name === 'sweep') {
  const { inputs, pop } = session(new URL('../scenarios/option-sme-category.yaml', import.meta.url).pathname);
  const thresholds = Array.from({ length: 500 }, (_, k) => k * 2);
  const [ms] = time(() => thresholdSweep(inputs.loaded.scenario, pop, 'sme-category', thresholds, { draws: 10_000, seed: 1 }));
  out = { case: '500-step threshold sweep, 10,000 draws, bundled roster', engineMs: ms };
} else if (name === 'tui-step') {
  // What the explorer does when the threshold moves by one: recompute the deterministic model of every
  // option (computeExplorer) and read the Monte Carlo interval at the new threshold from the curve that
  // was precomputed once for the current fees and assumptions (mc-runner.ts).
  const { inputs, pop } = session(DEFAULTS.scenario);
  const scenario = inputs.loaded.scenario;
  const settings = initialSettings(scenario);
  const [precomputeMs, curve] = time(() =>
    thresholdSweep(
      scenario,
      pop,
      'sme-category',
      Array.from({ length: 1001 }, (_, k) => k),
      { draws: 10_000, seed: 1 },
    ),
  );
  computeExplorer(scenario, pop, { ...settings, threshold: 250 }); // warm-up
  const steps = [251, 252, 253, 254, 255, 256, 257, 258, 259, 260];
  const [ms] = time(() => {
    for (const t of steps) {
      computeExplorer(scenario, pop, { ...settings, threshold: t });
      summarizeSamples(curve[t].net);
    }
  });
  out = {
    case: 'one TUI threshold step at 10,000 draws, bundled roster (mean of 10 steps)',
    engineMs: ms / steps.length,
    note: `threshold curve 0-1000 precomputed once per setting: ${precomputeMs.toFixed(0)} ms, in the background`,
  };
} else if (name === 'million') {
  const countries = loadCountries(DEFAULTS.countries);
  const schedule = loadFeeSchedule(DEFAULTS.feeSchedule);
  const base = loadRoster(DEFAULTS.roster, countries, schedule).roster;
  const inputs = loadScenarioInputs(DEFAULTS.scenario);
  const N = 1_000_000;
  const [buildMs, pop] = time(() => {
    const rows = [];
    for (let k = 0; k < N; k++) {
      const i = k % base.size;
      rows.push({
        id: `${base.id[i]}-${k}`,
        entity: `${base.entity[i]}-${Math.floor(k / base.size)}`,
        name: base.name[i],
        category: base.category[i],
        sector: base.sector[i],
        country: base.country[i],
        dev: base.dev[i],
        employees: base.employees[i],
        turnoverUsd: base.turnoverUsd[i],
        classUnits: Number.isNaN(base.classUnits[i]) ? undefined : base.classUnits[i],
        independent: base.independent[i] === 1,
      });
    }
    const roster = rosterFromRows(rows, {
      kind: 'synthetic',
      seed: 2018,
      label: 'SYNTHETIC 1,000,000-membership roster (bundled roster repeated)',
    });
    return makePopulation(roster, computeFees(roster, schedule).fee, schedule);
  });
  const [ms, run] = time(() => runDeterministic(compileModel(inputs.loaded.scenario, pop)));
  out = {
    case: 'deterministic four-option run, generated 1,000,000-membership roster',
    engineMs: ms,
    rosterBuildMs: buildMs,
    best: run.arms[0].id,
  };
}
out.peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
