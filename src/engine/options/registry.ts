import type { OptionSpec } from '../../scenario/schema.js';
import { ceasePilot } from './cease-pilot.js';
import { extendPilot } from './extend-pilot.js';
import { payAsYouGo } from './pay-as-you-go.js';
import { smeCategory } from './sme-category.js';
import type { CompiledOption, OptionContext, OptionModule } from './types.js';

/** Every option kind; a fifth option is a new module added here (and to the scenario schema). */
const MODULES = [smeCategory, payAsYouGo, extendPilot, ceasePilot] as OptionModule[];

export function compileOption(spec: OptionSpec, ctx: OptionContext): CompiledOption {
  const m = MODULES.find((x) => x.kind === spec.kind);
  if (!m) throw new Error(`no module for option kind ${spec.kind}`);
  return m.compile(spec, ctx);
}
