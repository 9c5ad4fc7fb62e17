import { kindOf } from '../engine/options/registry.js';
import { optionName } from '../scenario/option-parts.js';
import type { Scenario } from '../scenario/schema.js';

/** The option's rule summary generated from the values in use (so it follows every edit), or ''. */
export function describeOption(s: Scenario, optionId: string | undefined): string {
  const o = optionId ? s.options[optionId] : undefined;
  if (!o) return '';
  return `${optionName(o, optionId ?? '')}: ${kindOf(o).summary(o as never)}`;
}
