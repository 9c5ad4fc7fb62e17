import { kindOf } from '../engine/options/registry.js';
import { optionName } from '../scenario/option-parts.js';
import type { Scenario } from '../scenario/schema.js';

/**
 * One line per option, generated from the settings actually run: its name, the rule summary and the
 * assumptions that drive it (table footnotes, exports and the brief).
 */
export function keyAssumptions(s: Scenario): string[] {
  return Object.entries(s.options).map(([id, o]) => {
    const k = kindOf(o);
    return `${optionName(o, id)}: ${k.summary(o)}; ${k.assumptions(o).join('; ')}.`;
  });
}
