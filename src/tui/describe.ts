import { keyAssumptions } from '../results/key-assumptions.js';
import type { Scenario } from '../scenario/schema.js';

/** The option's description generated from the values in use (so it follows every edit), or ''. */
export function describeOption(s: Scenario, optionId: string | undefined): string {
  if (!optionId) return '';
  const k = Object.keys(s.options).indexOf(optionId);
  return k < 0 ? '' : (keyAssumptions(s)[k] ?? '');
}
