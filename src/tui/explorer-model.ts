import { compileModel, type Model } from '../engine/model.js';
import { resolveRule } from '../engine/options/eligibility.js';
import { kindOf } from '../engine/options/registry.js';
import type { Population } from '../engine/population.js';
import type { RunResult } from '../engine/run.js';
import { runDeterministic } from '../engine/run.js';
import { revenueNeutralFee } from '../engine/solvers.js';
import { thresholdSweep } from '../engine/threshold-sweep.js';
import { setIn } from '../scenario/paths.js';
import { type Scenario, ScenarioSchema } from '../scenario/schema.js';
import { PRESETS } from '../scenario/sme-presets.js';

/**
 * What the finance officer has changed in the TUI, on top of the scenario file. Pure data: the
 * reducer (state.ts) edits it, applySettings turns it into a scenario, the engine does the rest.
 */
export interface Settings {
  threshold: number;
  /** An SME preset chosen with a preset key (its turnover and independence tests too); null: the scenario's rule. */
  preset: keyof typeof PRESETS | null;
  /** Multiplier on the SME option's whole fee table (1 = the scenario's fees). */
  smeFeeFactor: number;
  /** Multiplier on the pay-as-you-go option's meeting fees. */
  paygFeeFactor: number;
  /** Scenario path -> value, for the Parameters view. */
  params: Record<string, number>;
}

/** One key per SME definition: the preset's whole rule (headcount, turnover, independence), not only its threshold. */
export const THRESHOLD_PRESETS = [
  { key: 'e', preset: 'eu', label: 'EU (< 250)', threshold: PRESETS.eu.maxEmployees },
  { key: 'r', preset: 'res209', label: 'Res. 209 (250)', threshold: PRESETS.res209.maxEmployees },
  { key: 'p', preset: 'pp18', label: 'PP-18 report (300)', threshold: PRESETS.pp18.maxEmployees },
  { key: 'j', preset: 'japan', label: 'Japan (300)', threshold: PRESETS.japan.maxEmployees },
  { key: 'i', preset: 'ifc', label: 'IFC (< 300)', threshold: PRESETS.ifc.maxEmployees },
] as const;

export const CURVE_MAX = 1000;

export function smeOptionId(s: Scenario): string | undefined {
  return Object.entries(s.options).find(([, o]) => o.kind === 'sme-category')?.[0];
}
export function paygOptionId(s: Scenario): string | undefined {
  return Object.entries(s.options).find(([, o]) => o.kind === 'pay-as-you-go')?.[0];
}

export function initialSettings(s: Scenario): Settings {
  const id = smeOptionId(s);
  const o = id ? s.options[id] : undefined;
  const threshold = o && o.kind === 'sme-category' ? resolveRule(o.eligibility).maxEmployees : 250;
  return { threshold, preset: null, smeFeeFactor: 1, paygFeeFactor: 1, params: {} };
}

/** The scenario with the explorer's settings applied (validated like a file). */
export function applySettings(base: Scenario, st: Settings): Scenario {
  const s = structuredClone(base) as Scenario;
  const sme = smeOptionId(s);
  if (sme) {
    const o = s.options[sme]!;
    if (o.kind === 'sme-category')
      s.options[sme] = {
        ...kindOf(o).capabilities.feeScale!.scale(o, st.smeFeeFactor),
        eligibility: st.preset ? { preset: st.preset, maxEmployees: st.threshold } : { ...o.eligibility, maxEmployees: st.threshold },
      };
  }
  const payg = paygOptionId(s);
  if (payg) {
    const o = s.options[payg]!;
    if (o.kind === 'pay-as-you-go')
      s.options[payg] = { ...o, fee: { R: o.fee.R * st.paygFeeFactor, T: o.fee.T * st.paygFeeFactor, D: o.fee.D * st.paygFeeFactor } };
  }
  for (const [path, v] of Object.entries(st.params)) setIn(s as unknown as Record<string, unknown>, path, v);
  return ScenarioSchema.parse(s);
}

/** The scenario-file overrides that reproduce the settings (for "save as scenario" and --set). */
export function settingsOverrides(base: Scenario, st: Settings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sme = smeOptionId(base);
  const s = applySettings(base, st);
  if (sme) {
    const o = s.options[sme]!;
    if (o.kind === 'sme-category') {
      if (st.preset) out[`options.${sme}.eligibility`] = { preset: st.preset, maxEmployees: st.threshold };
      else out[`options.${sme}.eligibility.maxEmployees`] = st.threshold;
      if (st.smeFeeFactor !== 1) out[`options.${sme}.fee`] = o.fee;
    }
  }
  const payg = paygOptionId(base);
  if (payg && st.paygFeeFactor !== 1) out[`options.${payg}.fee`] = (s.options[payg] as { fee: unknown }).fee;
  Object.assign(out, st.params);
  return out;
}

export interface ExplorerData {
  scenario: Scenario;
  model: Model;
  run: RunResult;
}

/** The model and its deterministic run for one setting: a few milliseconds on the bundled roster. */
export function computeExplorer(base: Scenario, pop: Population, st: Settings): ExplorerData {
  const scenario = applySettings(base, st);
  const model = compileModel(scenario, pop);
  return { scenario, model, run: runDeterministic(model) };
}

export interface Curve {
  /** Net impact of the SME option at thresholds 0 … CURVE_MAX (expected values). */
  net: Float64Array;
  eligibleIncumbents: Int32Array;
  /** Largest threshold at which the option does not lose money, if any. */
  breakEven: number | null;
}

/** The threshold curve does not depend on the threshold: the TUI computes it once per other setting. */
export function computeCurve(base: Scenario, pop: Population, st: Settings): Curve | null {
  const scenario = applySettings(base, st);
  const sme = smeOptionId(scenario);
  if (!sme) return null;
  const pts = thresholdSweep(
    scenario,
    pop,
    sme,
    Array.from({ length: CURVE_MAX + 1 }, (_, k) => k),
  );
  const net = Float64Array.from(pts, (p) => p.net[0]!);
  let breakEven: number | null = null;
  for (let k = 0; k <= CURVE_MAX; k++) if (net[k]! >= 0) breakEven = k; // every integer threshold is on the curve
  return { net, eligibleIncumbents: Int32Array.from(pts, (p) => p.eligibleIncumbents), breakEven };
}

/** The revenue-neutral fee (slower: a bisection over model runs), computed when the Fees view shows. */
export function neutralFee(base: Scenario, pop: Population, st: Settings) {
  const scenario = applySettings(base, st);
  const sme = smeOptionId(scenario);
  return sme ? revenueNeutralFee(scenario, pop, sme) : null;
}
