import { type Distribution, meanOf } from '../scenario/distribution.js';
import { getIn } from '../scenario/paths.js';
import type { Scenario } from '../scenario/schema.js';
import { editableParams, initialSettings, type Settings } from './explorer-model.js';

/** The TUI's state and its reducer: pure, tested without rendering (Ink style: state, input, view apart). */
export const VIEWS = ['overview', 'threshold', 'fees', 'sensitivity', 'members', 'parameters'] as const;
export type ViewId = (typeof VIEWS)[number];
export const VIEW_TITLES: Record<ViewId, string> = {
  overview: 'Overview',
  threshold: 'Threshold',
  fees: 'Fees',
  sensitivity: 'Sensitivity',
  members: 'Members',
  parameters: 'Parameters',
};
export const MEMBER_SORTS = ['saving', 'employees', 'name', 'expectedLoss'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export interface UiState {
  view: ViewId;
  settings: Settings;
  help: boolean;
  memberSort: MemberSort;
  memberIndex: number;
  explain: boolean;
  armIndex: number;
  paramIndex: number;
  status: string;
}

export type Action =
  | { type: 'view'; view: ViewId }
  | { type: 'nextView'; delta: 1 | -1 }
  | { type: 'help' }
  | { type: 'threshold'; delta?: number; value?: number; preset?: Settings['preset'] }
  | { type: 'smeFee'; delta: number }
  | { type: 'paygFee'; delta: number }
  | { type: 'memberMove'; delta: number; count: number }
  | { type: 'memberSort' }
  | { type: 'explain'; open: boolean }
  | { type: 'arm'; delta: number; count: number }
  | { type: 'paramSelect'; delta: number }
  | { type: 'paramAdjust'; delta: 1 | -1 }
  | { type: 'paramReset' }
  | { type: 'status'; text: string };

export function initialState(s: Scenario): UiState {
  return {
    view: 'overview',
    settings: initialSettings(s),
    help: false,
    memberSort: 'saving',
    memberIndex: 0,
    explain: false,
    armIndex: 0,
    paramIndex: 0,
    status: '',
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** The reducer needs the scenario for parameter ranges; bind it once. */
export function makeReducer(scenario: Scenario) {
  const params = editableParams(scenario);
  const valueOf = (st: Settings, path: string) => {
    if (path in st.params) return st.params[path]!;
    const v = getIn(scenario, path);
    if (typeof v === 'number') return v;
    // a distribution or expression: start from its mean, which the deterministic run uses
    return typeof v === 'object' && v !== null && 'dist' in v ? meanOf(v as Distribution) : 0.5; // an expression: start mid-range
  };
  const reducer = (s: UiState, a: Action): UiState => {
    switch (a.type) {
      case 'view':
        return { ...s, view: a.view, help: false, explain: false };
      case 'nextView':
        return { ...s, view: VIEWS[(VIEWS.indexOf(s.view) + a.delta + VIEWS.length) % VIEWS.length]!, explain: false };
      case 'help':
        return { ...s, help: !s.help };
      case 'threshold': {
        const t = a.value ?? s.settings.threshold + (a.delta ?? 0);
        return { ...s, settings: { ...s.settings, threshold: clamp(Math.round(t), 0, 1_000_000), preset: a.preset ?? s.settings.preset } };
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
        return { ...s, explain: a.open };
      case 'arm':
        return { ...s, armIndex: (s.armIndex + a.delta + a.count) % Math.max(1, a.count) };
      case 'paramSelect':
        return { ...s, paramIndex: clamp(s.paramIndex + a.delta, 0, Math.max(0, params.length - 1)) };
      case 'paramAdjust': {
        const p = params[s.paramIndex];
        if (!p) return s;
        const v = clamp(round(valueOf(s.settings, p.path) + a.delta * p.step), p.min, p.max);
        return { ...s, settings: { ...s.settings, params: { ...s.settings.params, [p.path]: v } } };
      }
      case 'paramReset':
        return { ...s, settings: { ...s.settings, params: {} } };
      case 'status':
        return { ...s, status: a.text };
    }
  };
  return { reducer, params, valueOf };
}
