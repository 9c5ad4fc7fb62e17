// An in-process benchmark case (what the explorer calls), in its own process so that its peak memory
// is its own. Imports the build of the tree given as the first argument, so the same case runs against
// this tree and the baseline tree side by side.
// Usage: node bench/case.mjs <tree root> <explorer-step|explorer-curve|explorer-recompute>
// Prints one JSON line: { ms, peakRssMb, note? }.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [root, name] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(`${root}/dist/${p}`).href);
const { DEFAULTS, loadScenarioInputs } = await load('cli/inputs.js');
const { makePopulation } = await load('engine/population.js');
const explorer = await load('tui/explorer-model.js');
const mcMod = await load('engine/montecarlo.js');
const ts = await load('engine/threshold-sweep.js');
const { summarizeSamples } = await load('engine/summarize-samples.js');
const { compileModel } = await load('engine/model.js');

const time = (f) => {
  const t = performance.now();
  const r = f();
  return [performance.now() - t, r];
};
const DRAWS = 10_000;
const SEED = 1;
const inputs = loadScenarioInputs(DEFAULTS.scenario);
const pop = makePopulation(inputs.roster, inputs.fee, inputs.schedule);
const scenario = inputs.loaded.scenario;
const settings = explorer.initialSettings(scenario);
const CURVE_MAX = explorer.CURVE_MAX ?? 1000;
const thresholds = Array.from({ length: CURVE_MAX + 1 }, (_, k) => k);
const sme = explorer.smeOptionId(scenario);

/**
 * The whole Monte Carlo threshold curve of the SME option at 10,000 draws, as the explorer computes it
 * when an assumption changes: a tree whose engine remembers parameter draws (parameterColumns) is
 * called with the seed alone (thresholdSweep reads the remembered draws); an older tree gets the
 * parameter draws and a threshold sweep over every threshold (what its mc-runner.ts did in chunks).
 * Returns a function giving the net-impact samples at threshold t.
 */
function computeCurve(sc) {
  const values =
    typeof mcMod.parameterColumns === 'function'
      ? undefined
      : mcMod.drawMatrix(compileModel(ts.sweepScenario(sc, sme, CURVE_MAX), pop), SEED, DRAWS);
  const pts = ts.thresholdSweep(sc, pop, sme, thresholds, { draws: DRAWS, seed: SEED, valuesByDraw: values });
  return (t) => pts[t].net;
}

/**
 * The explorer's Monte Carlo store (src/tui/mc-store.ts) for some settings, run to the end with a
 * synchronous schedule: what the explorer computes in the background after a change that needs new
 * draws — every option at the threshold on screen and the threshold option's curve 0 … CURVE_MAX.
 * Trees without the store: undefined.
 */
let mcStore;
try {
  mcStore = await load('tui/mc-store.js');
} catch {
  mcStore = undefined;
}
function storeFor(st) {
  const queue = [];
  const store = mcStore.createMcStore(explorer.applySettings(scenario, st), pop, {
    draws: DRAWS,
    seed: SEED,
    thresholdOption: sme,
    threshold: st.threshold,
    atThreshold: (t) => explorer.applySettings(scenario, { ...st, threshold: t }),
    schedule: (task) => queue.push(task),
  });
  store.start(() => {});
  while (queue.length) queue.shift()();
  return store;
}

let out;
if (name === 'explorer-curve') {
  // the threshold option's curve alone, in the chunks the explorer asks for (drawOffset), or in one
  // call on a tree whose explorer did not chunk it this way
  const chunk = 500;
  const curve = (sc) =>
    mcStore && typeof mcStore.createMcStore === 'function'
      ? Array.from({ length: DRAWS / chunk }, (_, k) =>
          ts.thresholdSweep(sc, pop, sme, thresholds, { draws: chunk, seed: SEED, drawOffset: k * chunk }),
        )
      : computeCurve(sc);
  curve(scenario); // warm-up (JIT), as a running explorer is warm
  const runs = [];
  for (let k = 0; k < 3; k++) {
    const sc = explorer.applySettings(scenario, { ...settings, smeFeeFactor: 1 + 0.05 * (k + 1) });
    runs.push(time(() => curve(sc))[0]);
  }
  runs.sort((a, b) => a - b);
  out = { ms: runs[1], note: 'median of 3 after a warm-up' };
} else if (name === 'explorer-recompute') {
  // everything the explorer recomputes after an assumption changes: every option and the curve
  if (!mcStore) throw new Error('this tree has no tui/mc-store.js');
  storeFor(settings); // warm-up
  const runs = [];
  for (let k = 0; k < 3; k++) runs.push(time(() => storeFor({ ...settings, smeFeeFactor: 1 + 0.05 * (k + 1) }))[0]);
  runs.sort((a, b) => a - b);
  out = { ms: runs[1], note: 'median of 3 after a warm-up' };
} else if (name === 'explorer-step') {
  // One threshold step as the explorer takes it: the deterministic figures of every option at the new
  // threshold (computeExplorer) and the Monte Carlo figures read from the stored draws (the store's
  // summary of every option and the curve's interval; no re-simulation). An older tree: the curve's
  // samples summarised.
  const read = mcStore
    ? (() => {
        const store = storeFor(settings);
        return (t) => {
          store.follow([t]);
          store.summaryAt(t);
          store.curveAt(t);
        };
      })()
    : (() => {
        const net = computeCurve(scenario);
        return (t) => summarizeSamples(net(t));
      })();
  explorer.computeExplorer(scenario, pop, { ...settings, threshold: 250 }); // warm-up
  read(250);
  const steps = [251, 252, 253, 254, 255, 256, 257, 258, 259, 260];
  const [ms] = time(() => {
    for (const t of steps) {
      explorer.computeExplorer(scenario, pop, { ...settings, threshold: t });
      read(t);
    }
  });
  out = { ms: ms / steps.length, note: 'mean of 10 steps' };
} else throw new Error(`unknown case ${name}`);
out.peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
