/**
 * SME definitions shipped as eligibility presets (docs/sources.md §11). The roster has headcount, turnover
 * (USD) and independence; balance sheet and capital are not in it, so presets that use them are
 * approximated by their headcount and turnover legs, as stated per preset.
 *
 * `maxEmployees` is inclusive (a member with exactly that headcount is eligible): "fewer than 250"
 * is written 249.
 */
export type FinancialTest = 'none' | 'and' | 'or';
export interface EligibilityRule {
  maxEmployees: number;
  /** Upper turnover limit in USD; Infinity when the rule has none. */
  maxTurnoverUsd: number;
  /** How the turnover leg combines with headcount: `and` (both), `or` (either), `none` (headcount only). */
  financial: FinancialTest;
  /** Exclude members that are part of a larger group (EU rule; ITU subsidiary rule, fact 2.4). */
  requireIndependent: boolean;
}

/** EUR->USD for the EU financial limits: 1.18, the ECB reference rate's 2018 average. ASSUMPTION. */
export const EUR_TO_USD = 1.18;

export const PRESETS = {
  /** EU Rec. 2003/361/EC: < 250 staff AND (turnover ≤ €50 M OR balance sheet ≤ €43 M), independent. [S28] H */
  eu: { maxEmployees: 249, maxTurnoverUsd: 50e6 * EUR_TO_USD, financial: 'and', requireIndependent: true },
  /** ITU rule of thumb: up to 250 employees or turnover up to USD 50 M. [S33] H (wording). */
  itu: { maxEmployees: 250, maxTurnoverUsd: 50e6, financial: 'or', requireIndependent: true },
  /**
   * The criteria recalled for the SME Associate fee adopted after PP-18 (Res. 209, Council 2019):
   * ≤ 250 employees AND turnover ≤ about USD 50 M, not part of a larger group. fact 5.7 [MEM] L.
   */
  res209: { maxEmployees: 250, maxTurnoverUsd: 50e6, financial: 'and', requireIndependent: true },
  /** Report to PP-18 §4.3 and footnote 2: 300 employees, headcount only. L */
  pp18: { maxEmployees: 300, maxTurnoverUsd: Infinity, financial: 'none', requireIndependent: false },
  /** Japan SME Basic Act art. 2 ("other" industries): ≤ 300 employees or capital ≤ ¥300 M; capital not in roster. [S29] H */
  japan: { maxEmployees: 300, maxTurnoverUsd: Infinity, financial: 'none', requireIndependent: false },
  /** IFC medium enterprise: 2 of (< 300 employees, sales < USD 15 M, assets < USD 15 M); assets not in roster. [S32] H */
  ifc: { maxEmployees: 299, maxTurnoverUsd: 15e6, financial: 'and', requireIndependent: false },
} as const satisfies Record<string, EligibilityRule>;
export type PresetName = keyof typeof PRESETS | 'custom';
export const PRESET_NAMES = [...Object.keys(PRESETS), 'custom'] as const;

/**
 * Unknown turnover: under `and` it does not disqualify (no evidence against); under `or` it does not
 * qualify on its own (no evidence for). Unknown headcount never qualifies.
 */
export function isEligible(rule: EligibilityRule, employees: number, turnoverUsd: number, independent: boolean): boolean {
  if (rule.requireIndependent && !independent) return false;
  const head = employees <= rule.maxEmployees; // NaN compares false
  switch (rule.financial) {
    case 'none':
      return head;
    case 'and':
      return head && !(turnoverUsd > rule.maxTurnoverUsd);
    case 'or':
      return head || turnoverUsd <= rule.maxTurnoverUsd;
  }
}
