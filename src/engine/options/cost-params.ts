import type { ParamInfo } from './kind.js';

/**
 * Catalogue entries of administrative costs (CHF): named and formatted for sweeps, the tornado and
 * exports, but not offered in the explorer's Parameters view (they are not behavioural assumptions).
 *
 * @example adminCostParam('adminCostPerMember', 'Admin cost per SME member') // CHF a year, step 50, up to 100,000
 */
export function adminCostParam(path: string, name: string, opts: { unit?: string; step?: number } = {}): ParamInfo {
  return {
    path,
    name,
    unit: opts.unit ?? 'CHF a year',
    format: 'chf',
    step: opts.step ?? 50,
    min: 0,
    max: 1e5,
    editable: false,
    inSummary: false,
  };
}

/** The one-off set-up cost of an option (`setupCost`, CHF in the first year). */
export const SETUP_COST_PARAM: ParamInfo = { ...adminCostParam('setupCost', 'Set-up cost', { unit: 'CHF', step: 5000 }), max: 1e7 };
