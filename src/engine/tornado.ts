import { compareText } from '../domain/compare-text.js';
import { EngineError } from '../domain/issues.js';
import { describeParameter } from './catalogue.js';
import { evaluateArm, type Model } from './model.js';
import { formatPair, type ValueFormat } from './options/plain.js';
import { sumYears } from './run.js';

export interface TornadoBar {
  /** Scenario path of the parameter. */
  param: string;
  /** Its human name ("Switch propensity (1. SME category)") and format (engine/catalogue.ts). */
  name: string;
  format: ValueFormat;
  low: number;
  high: number;
  /** P10 and P90 in the parameter's format, with enough digits to tell them apart. */
  lowText: string;
  highText: string;
  netAtLow: number;
  netAtHigh: number;
  swing: number;
}

/**
 * One-at-a-time sensitivity: each uncertain parameter moved to its P10 and P90 (exact quantiles of
 * its distribution) with every other parameter at its median; bars ranked by the swing in the arm's
 * horizon net impact (expected member outcomes).
 */
export function tornado(model: Model, armId: string): { base: number; bars: TornadoBar[] } {
  const arm = model.arms.find((a) => a.id === armId);
  if (!arm)
    throw new EngineError([
      { code: 'unknown-option', path: armId, message: `unknown option "${armId}"; options are ${model.arms.map((a) => a.id).join(', ')}` },
    ]);
  const med = model.params.atQuantile(0.5);
  const p10 = model.params.atQuantile(0.1);
  const p90 = model.params.atQuantile(0.9);
  const net = (v: Float64Array) => sumYears(evaluateArm(model, arm, v)).net;
  const base = net(med);
  const bars = model.params
    .uncertainIndices()
    .map((k) => {
      const lo = med.slice();
      lo[k] = p10[k]!;
      const hi = med.slice();
      hi[k] = p90[k]!;
      const netAtLow = net(lo),
        netAtHigh = net(hi);
      const param = model.params.paths[k]!;
      const info = describeParameter(model.scenario, param);
      const [lowText, highText] = formatPair(p10[k]!, p90[k]!, info.format);
      return {
        param,
        name: info.name,
        format: info.format,
        low: p10[k]!,
        high: p90[k]!,
        lowText,
        highText,
        netAtLow,
        netAtHigh,
        swing: Math.abs(netAtHigh - netAtLow),
      };
    })
    .filter((b) => b.swing > 0);
  bars.sort((a, b) => b.swing - a.swing || compareText(a.param, b.param));
  return { base, bars };
}
