import type { z } from 'zod';
import type { Population } from '../population.js';
import type { ValueFormat } from './plain.js';
import type { CompiledOption, OptionContext } from './types.js';

/**
 * One editable parameter of an option kind: the one catalogue from which the TUI's Parameters view,
 * tornado and sweep tables take a parameter's human name, unit and format.
 */
export interface ParamInfo {
  /** Path inside the option (`switchPropensity`, `eligibility.maxEmployees`). */
  path: string;
  /** Human name, capitalised ("Switch propensity"). */
  name: string;
  /** Unit in words ("share of eligible incumbents", "CHF a year", "staff"). */
  unit: string;
  format: ValueFormat;
  /** A sensible step for editing (TUI arrow keys, sweep defaults). */
  step: number;
  min: number;
  max: number;
  /** Listed in the TUI's Parameters view (the main behavioural assumptions). */
  editable: boolean;
  /** Its value is stated in the kind's one-line summary (tests change it and look for the new value). */
  inSummary: boolean;
}

/** What explain shows for one member under one option. */
export interface ExplainStepLines {
  lines: string[];
  feeUnderOption: number | null;
  expectedSwitch: number;
}

export interface ExplainInput<S> {
  spec: S;
  option: CompiledOption;
  pop: Population;
  row: number;
  values: Float64Array;
}

/** An employee threshold the threshold explorer, the solvers and the sweep can move. */
export interface ThresholdCapability<S> {
  /** Path inside the option of the threshold ("eligibility.maxEmployees", "bands.medium.maxEmployees"). */
  path(spec: S): string;
  get(spec: S): number;
  set(spec: S, threshold: number): S;
  /**
   * The threshold from which row i is offered the arrangement, given the spec at a threshold at least
   * its own: −∞ when it qualifies whatever the headcount (turnover alone), else its headcount. Members
   * enter in that order as the threshold rises; no member's payment may depend on the threshold.
   */
  entry(spec: S, pop: Population, i: number): number;
}

/** A fee table that the revenue-neutral solver can scale by one factor. */
export interface FeeScaleCapability<S> {
  scale(spec: S, factor: number): S;
  /** The fees of the table in CHF, keyed "T.developed" etc. (for the solver's answer). */
  feesChf(spec: S, unit: number): Record<string, number>;
}

/**
 * Everything one option kind is. A kind lives in its own folder (engine/options/<kind>/) and is
 * listed once in registry.ts; the scenario schema, explain, key assumptions, the parameter catalogue,
 * sweeps and solvers are derived from these parts. Every field is required: the compiler refuses a
 * kind registered without one (capabilities that do not apply are `null`).
 */
export interface OptionKind<S extends { kind: string; label?: string | undefined }> {
  kind: S['kind'];
  /** Human title of the kind ("SME category"). */
  title: string;
  /** The zod spec: a strict object with `kind` as a literal (a member of the scenario's option union). */
  schema: z.ZodObject & z.ZodType<S>;
  /** Checks across fields that zod's object cannot express (shares summing to 1, …): path inside the option. */
  validate(spec: S): { path: (string | number)[]; message: string }[];
  compile(spec: S, ctx: OptionContext): CompiledOption;
  /** One-line rule summary of the settings actually run, in plain language. */
  summary(spec: S): string;
  /** The assumptions that drive the option, in plain language (footnotes, brief). */
  assumptions(spec: S): string[];
  /** The lines explain shows for one member. */
  explain(input: ExplainInput<S>): ExplainStepLines;
  /** The catalogue of parameters (path inside the option, name, unit, format, step, range). */
  parameters(spec: S): ParamInfo[];
  capabilities: {
    /** An employee threshold (null: none). */
    threshold: ThresholdCapability<S> | null;
    /** A fee table the revenue-neutral solver can scale (null: none). */
    feeScale: FeeScaleCapability<S> | null;
    /** Can be computed jointly with other combinable options (each member takes its cheapest offer). */
    combinable: boolean;
    /** Ends the free pilot (participants convert or leave). */
    replacesPilot: boolean;
  };
}
