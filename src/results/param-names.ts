import { describeParameter } from '../engine/catalogue.js';
import type { Model } from '../engine/model.js';
import { formatPair } from '../engine/options/plain.js';
import { kindOf } from '../engine/options/registry.js';

/**
 * Human names and formats of scenario parameters for charts, the brief and the sensitivity lists,
 * from the option kinds' parameter catalogue (engine/catalogue.ts): one source for every output.
 */

/** "Switch propensity (1. SME category …)"; without the option's name with `{ option: false }`. */
export function paramName(model: Model, path: string, opts: { option?: boolean } = {}): string {
  const entry = describeParameter(model.scenario, path);
  if (opts.option !== false || !entry.option) return entry.name;
  const spec = model.scenario.options[entry.option];
  const inner = path.slice(`options.${entry.option}.`.length);
  return spec
    ? (kindOf(spec)
        .parameters(spec)
        .find((p) => p.path === inner)?.name ?? entry.name)
    : entry.name;
}

/** Two values of a parameter in its own format, with enough digits that different values never print alike. */
export function paramValue(model: Model, path: string, a: number, b: number): [string, string] {
  return formatPair(a, b, describeParameter(model.scenario, path).format);
}
