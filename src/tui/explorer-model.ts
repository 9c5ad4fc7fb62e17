import { compileModel, type Model } from '../engine/model.js';
import type { ThresholdCapability } from '../engine/options/kind.js';
import { kindOf, type OptionSpec } from '../engine/options/registry.js';
import type { Population } from '../engine/population.js';
import type { RunResult } from '../engine/run.js';
import { runDeterministic } from '../engine/run.js';
import { revenueNeutralFee } from '../engine/solvers.js';
import { thresholdSweep } from '../engine/threshold-sweep.js';
import { getIn, setIn } from '../scenario/paths.js';
import { type Scenario, ScenarioSchema } from '../scenario/schema.js';
import { PRESETS } from '../scenario/sme-presets.js';

/**
 * What the finance officer has changed in the TUI, on top of the scenario file. Pure data: the
 * reducer (state.ts) edits it, applySettings turns it into a scenario, the engine does the rest.
 */
export interface Settings {
  /**
   * The option whose employee threshold the Threshold view moves (`o` chooses another among the
   * options with one; null: none). `threshold` and `preset` are that option's.
   */
  thresholdOption: string | null;
  threshold: number;
  /** An SME preset chosen with a preset key (its turnover and independence tests too); null: the scenario's rule. */
  preset: keyof typeof PRESETS | null;
  /** Thresholds moved for the other options before `o` chose another one: kept, and applied. */
  otherThresholds: Record<string, ThresholdSetting>;
  /** Multiplier on the SME option's whole fee table (1 = the scenario's fees). */
  smeFeeFactor: number;
  /** Multiplier on the pay-as-you-go option's meeting fees. */
  paygFeeFactor: number;
  /** Scenario path -> value, for the Parameters view. */
  params: Record<string, number>;
}

/** One option's threshold as the explorer sets it. */
export interface ThresholdSetting {
  threshold: number;
  preset: keyof typeof PRESETS | null;
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

/** Every option whose kind has an employee threshold, in the scenario's order: those the Threshold view can move. */
export function thresholdOptions(s: Scenario) {
  return Object.entries(s.options).flatMap(([id, o]) => {
    const capability = kindOf(o).capabilities.threshold;
    return capability ? [{ id, spec: o, capability: capability as ThresholdCapability<OptionSpec> }] : [];
  });
}

/** The option whose employee threshold the Threshold view moves: the one chosen (`id`), else the first with one. */
export function thresholdOption(s: Scenario, id?: string | null) {
  const all = thresholdOptions(s);
  return all.find((o) => o.id === id) ?? all[0];
}

/** The options whose fee tables the Fees view scales: the first threshold option's first, then the next one with a fee table. */
export function feeOptions(s: Scenario): [string | undefined, string | undefined] {
  const ids = Object.entries(s.options)
    .filter(([, o]) => kindOf(o).capabilities.feeScale)
    .map(([id]) => id);
  const first = thresholdOption(s)?.id ?? ids[0];
  return [first, ids.find((id) => id !== first)];
}

/** The first option with an employee threshold (undefined: none): the one the explorer moves at start. */
export function smeOptionId(s: Scenario): string | undefined {
  return thresholdOption(s)?.id;
}

/**
 * The settings with the next option's threshold under the Threshold view's keys (`o`): the threshold
 * moved for the option left is kept (and applied), the one chosen starts where it was left, or at the
 * scenario's. Unchanged when fewer than two options have a threshold.
 */
export function nextThresholdOption(base: Scenario, st: Settings): Settings {
  const all = thresholdOptions(base);
  if (all.length < 2) return st;
  const at = all.findIndex((o) => o.id === st.thresholdOption);
  const next = all[(at + 1) % all.length]!;
  const others = { ...st.otherThresholds };
  const left = all[at];
  if (left) {
    // kept only when moved, so that settingsOverrides names only what changed
    if (st.preset || st.threshold !== left.capability.get(left.spec)) others[left.id] = { threshold: st.threshold, preset: st.preset };
    else delete others[left.id];
  }
  const kept = others[next.id];
  delete others[next.id];
  return {
    ...st,
    thresholdOption: next.id,
    threshold: kept?.threshold ?? next.capability.get(next.spec),
    preset: kept?.preset ?? null,
    otherThresholds: others,
  };
}

export function initialSettings(s: Scenario): Settings {
  const t = thresholdOption(s);
  return {
    thresholdOption: t?.id ?? null,
    threshold: t ? t.capability.get(t.spec) : 250,
    preset: null,
    otherThresholds: {},
    smeFeeFactor: 1,
    paygFeeFactor: 1,
    params: {},
  };
}

const scaled = (o: OptionSpec, f: number): OptionSpec => (f === 1 ? o : (kindOf(o).capabilities.feeScale?.scale(o, f) ?? o));
/**
 * Whether a preset's whole rule can apply to the option: only to a kind whose threshold is its
 * eligibility rule's headcount (the SME category, pay-as-you-go); elsewhere (the graduated fee's top
 * band) a preset key sets only the threshold.
 */
export function takesPreset(spec: OptionSpec | undefined): boolean {
  if (!spec) return false;
  const cap = kindOf(spec).capabilities.threshold as ThresholdCapability<OptionSpec> | undefined;
  return cap?.path(spec) === 'eligibility.maxEmployees' && 'eligibility' in spec;
}

/** The threshold option with a threshold (and a preset's whole rule when one was chosen). */
function withThreshold(o: OptionSpec, cap: ThresholdCapability<OptionSpec>, st: ThresholdSetting): OptionSpec {
  const at = cap.set(o, st.threshold);
  // a preset replaces the whole eligibility rule (turnover and independence tests too)
  return st.preset && takesPreset(o) && 'eligibility' in at
    ? ({ ...at, eligibility: { preset: st.preset, maxEmployees: st.threshold } } as OptionSpec)
    : at;
}

/** Why the settings do not make a valid scenario (e.g. shares no longer summing to 1), or null. */
export function settingsProblem(base: Scenario, st: Settings): string | null {
  try {
    applySettings(base, st);
    return null;
  } catch (e) {
    const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    return issues?.length ? `${issues[0]!.path.join('.')}: ${issues[0]!.message}` : (e as Error).message;
  }
}

/** Each option's threshold as the settings set it: the one the view moves, and those moved before. */
function thresholdSettings(s: Scenario, st: Settings) {
  const out = new Map<string, { capability: ThresholdCapability<OptionSpec>; spec: OptionSpec; setting: ThresholdSetting }>();
  for (const o of thresholdOptions(s)) {
    const setting = o.id === st.thresholdOption ? st : st.otherThresholds[o.id];
    if (setting)
      out.set(o.id, { capability: o.capability, spec: o.spec, setting: { threshold: setting.threshold, preset: setting.preset } });
  }
  return out;
}

/** The scenario with the explorer's settings applied (validated like a file). */
export function applySettings(base: Scenario, st: Settings): Scenario {
  const s = structuredClone(base) as Scenario;
  const thresholds = thresholdSettings(s, st);
  const [feeA, feeB] = feeOptions(s);
  for (const [id, o] of Object.entries(s.options)) {
    let x = o as OptionSpec;
    if (id === feeA) x = scaled(x, st.smeFeeFactor);
    if (id === feeB) x = scaled(x, st.paygFeeFactor);
    const thr = thresholds.get(id);
    if (thr) x = withThreshold(x, thr.capability, thr.setting);
    s.options[id] = x as Scenario['options'][string];
  }
  for (const [path, v] of Object.entries(st.params)) setIn(s as unknown as Record<string, unknown>, path, v);
  return ScenarioSchema.parse(s);
}

/** The scenario-file overrides that reproduce the settings (for "save as scenario" and --set). */
export function settingsOverrides(base: Scenario, st: Settings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const [feeA, feeB] = feeOptions(base);
  const s = applySettings(base, st);
  for (const [id, thr] of thresholdSettings(base, st)) {
    const { threshold, preset } = thr.setting;
    if (preset && takesPreset(thr.spec)) out[`options.${id}.eligibility`] = { preset, maxEmployees: threshold };
    // the scenario's own threshold is no edit: no override that restates it
    else if (threshold !== thr.capability.get(thr.spec)) out[`options.${id}.${thr.capability.path(thr.spec)}`] = threshold;
  }
  const fee = (id: string | undefined, f: number) => {
    if (id && f !== 1) out[`options.${id}.fee`] = (s.options[id] as { fee?: unknown }).fee;
  };
  fee(feeA, st.smeFeeFactor);
  fee(feeB, st.paygFeeFactor);
  // an assumption edited back to the number the scenario has is no edit (a distribution set to its mean is one)
  for (const [path, v] of Object.entries(st.params)) if (getIn(base, path) !== v) out[path] = v;
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
  /**
   * Largest threshold where the net impact crosses zero (0 … CURVE_MAX): exactly zero there, or
   * non-negative there with a negative net at the next or the previous threshold; null when the curve
   * keeps one sign throughout (then `sign` says which).
   */
  breakEven: number | null;
  /** 1: net > 0 at every threshold; -1: net < 0 at every threshold; 0: it crosses or touches zero. */
  sign: 1 | -1 | 0;
}

/** The break-even threshold of a net-impact curve: where it crosses zero (see Curve.breakEven). */
export function crossing(net: ArrayLike<number>): { breakEven: number | null; sign: 1 | -1 | 0 } {
  let breakEven: number | null = null;
  for (let k = 0; k < net.length; k++) {
    const v = net[k]!;
    const before = k > 0 ? net[k - 1]! : v;
    const after = k + 1 < net.length ? net[k + 1]! : v;
    if (v === 0 || (v > 0 && (before < 0 || after < 0))) breakEven = k; // every integer threshold is on the curve
  }
  if (breakEven !== null) return { breakEven, sign: 0 };
  const all = Array.from(net);
  return { breakEven: null, sign: all.every((v) => v > 0) ? 1 : all.every((v) => v < 0) ? -1 : 0 };
}

/** The threshold curve does not depend on the threshold: the TUI computes it once per other setting. */
export function computeCurve(base: Scenario, pop: Population, st: Settings): Curve | null {
  const scenario = applySettings(base, st);
  const sme = thresholdOption(scenario, st.thresholdOption)?.id;
  if (!sme) return null;
  const pts = thresholdSweep(
    scenario,
    pop,
    sme,
    Array.from({ length: CURVE_MAX + 1 }, (_, k) => k),
  );
  const net = Float64Array.from(pts, (p) => p.net[0]!);
  return { net, eligibleIncumbents: Int32Array.from(pts, (p) => p.eligibleIncumbents), ...crossing(net) };
}

/** The revenue-neutral fee (slower: a bisection over model runs), computed when the Fees view shows. */
export function neutralFee(base: Scenario, pop: Population, st: Settings) {
  const scenario = applySettings(base, st);
  const [id] = feeOptions(scenario);
  return id ? revenueNeutralFee(scenario, pop, id) : null;
}
