import type { OptionSpec } from '../engine/options/registry.js';
import { optionName } from '../scenario/option-parts.js';
import type { Scenario } from '../scenario/schema.js';
import { initialSettings, nextThresholdOption, type Settings, settingsProblem, takesPreset } from './explorer-model.js';
import { type TuiParam, tuiParams, valueIn } from './params.js';

/**
 * The explorer's state and its reducer: pure, tested without rendering (Ink's own split: state here,
 * keys in keymap.ts and use-explorer-input.ts, the view in screen.tsx and views/).
 */
export type ViewId = 'overview' | 'threshold' | 'fees' | 'sensitivity' | 'members' | 'parameters';
export const MEMBER_SORTS = ['saving', 'employees', 'name', 'expectedLoss'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

/** A-B comparison: A is either the settings pinned with `a`, or a second scenario file given on the command line. */
export type Pinned = { kind: 'settings'; settings: Settings } | { kind: 'file' };

export interface UiState {
  view: ViewId;
  settings: Settings;
  help: boolean;
  helpScroll: number;
  memberSort: MemberSort;
  memberIndex: number;
  explain: boolean;
  explainScroll: number;
  armIndex: number;
  paramIndex: number;
  /** A message for the view it was given in; gone when the view changes. */
  status: { text: string; view: ViewId } | null;
  pinned: Pinned | null;
}

export type Action =
  | { type: 'view'; view: ViewId }
  | { type: 'help' }
  | { type: 'helpScroll'; delta: number; max: number }
  | { type: 'threshold'; delta?: number; value?: number; preset?: Settings['preset'] }
  | { type: 'thresholdOption' }
  | { type: 'smeFee'; delta: number }
  | { type: 'paygFee'; delta: number }
  | { type: 'memberMove'; delta: number; count: number }
  | { type: 'memberSort' }
  | { type: 'explain'; open: boolean }
  | { type: 'explainScroll'; delta: number; max: number }
  | { type: 'arm'; delta: number; count: number }
  | { type: 'paramSelect'; delta: number }
  | { type: 'paramAdjust'; delta: 1 | -1 }
  | { type: 'reset' }
  | { type: 'pin' }
  | { type: 'status'; text: string; view?: ViewId };

export function initialState(s: Scenario, opts: { pinnedFile?: boolean } = {}): UiState {
  return {
    view: 'overview',
    settings: initialSettings(s),
    help: false,
    helpScroll: 0,
    memberSort: 'saving',
    memberIndex: 0,
    explain: false,
    explainScroll: 0,
    armIndex: 0,
    paramIndex: 0,
    status: null,
    pinned: opts.pinnedFile ? { kind: 'file' } : null,
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number) => Math.round(v * 1e9) / 1e9;

/** The value a parameter has under the settings: the edited value, else the scenario's (a distribution's mean). */
export function paramValue(scenario: Scenario, st: Settings, path: string): number {
  return path in st.params ? st.params[path]! : valueIn(scenario, path);
}

/** The reducer needs the scenario for parameter ranges and the reset; bind it once. */
export function makeReducer(scenario: Scenario) {
  const params: TuiParam[] = tuiParams(scenario);
  const reducer = (s: UiState, a: Action): UiState => {
    switch (a.type) {
      case 'view':
        return { ...s, view: a.view, help: false, explain: false, explainScroll: 0, status: null };
      case 'help':
        return { ...s, help: !s.help, helpScroll: 0 };
      case 'helpScroll':
        return { ...s, helpScroll: clamp(s.helpScroll + a.delta, 0, Math.max(0, a.max)) };
      case 'threshold': {
        const t = clamp(Math.round(a.value ?? s.settings.threshold + (a.delta ?? 0)), 0, 1_000_000);
        const id = s.settings.thresholdOption;
        const spec = id ? scenario.options[id] : undefined;
        if (a.preset && !takesPreset(spec as OptionSpec | undefined)) {
          // no eligibility rule to replace (the graduated fee's bands): the preset's headcount only
          return {
            ...s,
            settings: { ...s.settings, threshold: t, preset: null },
            status: { text: `this option has no eligibility rule: preset ${a.preset} sets only its ${t} employees`, view: s.view },
          };
        }
        return { ...s, settings: { ...s.settings, threshold: t, preset: a.preset ?? s.settings.preset } };
      }
      case 'thresholdOption': {
        const settings = nextThresholdOption(scenario, s.settings);
        if (settings === s.settings) return { ...s, status: { text: 'only one option here has an employee threshold', view: s.view } };
        const id = settings.thresholdOption!;
        return { ...s, settings, status: { text: `moving the threshold of ${optionName(scenario.options[id]!, id)}`, view: s.view } };
      }
      case 'smeFee':
        return { ...s, settings: { ...s.settings, smeFeeFactor: clamp(round(s.settings.smeFeeFactor + a.delta), 0, 64) } };
      case 'paygFee':
        return { ...s, settings: { ...s.settings, paygFeeFactor: clamp(round(s.settings.paygFeeFactor + a.delta), 0, 64) } };
      case 'memberMove':
        return { ...s, memberIndex: clamp(s.memberIndex + a.delta, 0, Math.max(0, a.count - 1)) };
      case 'memberSort':
        return { ...s, memberSort: MEMBER_SORTS[(MEMBER_SORTS.indexOf(s.memberSort) + 1) % MEMBER_SORTS.length]!, memberIndex: 0 };
      case 'explain':
        return { ...s, explain: a.open, explainScroll: 0 };
      case 'explainScroll':
        return { ...s, explainScroll: clamp(s.explainScroll + a.delta, 0, Math.max(0, a.max)) };
      case 'arm':
        return { ...s, armIndex: (s.armIndex + a.delta + a.count) % Math.max(1, a.count) };
      case 'paramSelect':
        return { ...s, paramIndex: clamp(s.paramIndex + a.delta, 0, Math.max(0, params.length - 1)) };
      case 'paramAdjust': {
        const p = params[s.paramIndex];
        if (!p) return s;
        const now = paramValue(scenario, s.settings, p.path);
        const from = Number.isFinite(now) ? now : clamp(0.5, p.min, p.max); // an expression: start mid-range
        const v = clamp(round(from + a.delta * p.step), p.min, p.max);
        const settings = { ...s.settings, params: { ...s.settings.params, [p.path]: v } };
        // an edit the scenario format refuses (shares that no longer sum to 1, …) is not made
        const problem = settingsProblem(scenario, settings);
        return problem ? { ...s, status: { text: `not changed: ${problem}`, view: s.view } } : { ...s, settings };
      }
      case 'reset': {
        const init = initialSettings(scenario);
        const edited = Object.keys(s.settings.params).length;
        return {
          ...s,
          settings: init,
          status: {
            text: `reset: threshold ${init.threshold}, scenario fees, ${edited} edited assumption${edited === 1 ? '' : 's'} back to the scenario's`,
            view: s.view,
          },
        };
      }
      case 'pin':
        return s.pinned
          ? { ...s, pinned: null, status: { text: 'A-B comparison off', view: s.view } }
          : {
              ...s,
              pinned: { kind: 'settings', settings: s.settings },
              status: { text: 'pinned these settings as A: change anything to see B beside A; a again clears', view: s.view },
            };
      case 'status':
        return { ...s, status: { text: a.text, view: a.view ?? s.view } };
    }
  };
  return { reducer, params };
}
