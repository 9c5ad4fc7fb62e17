import { Dev } from '../../../domain/codes.js';
import { associateFeeOf } from '../pilot-helpers.js';
import type { CompiledOption, OptionContext } from '../types.js';
import type { CeasePilotSpec } from './spec.js';

/**
 * Option 4 of the report: cease the pilot and continue current practice (docs/model.md §4). From the
 * first year, participants join as Associates (paying the Associate fee of their Sector), join their
 * national delegation (no fee, still taking part), or leave. The pilot's admin cost is saved.
 * Drawn shares are renormalised to sum to 1.
 */
export function compileCeasePilot(spec: CeasePilotSpec, ctx: OptionContext): CompiledOption {
  const { pop, params, id } = ctx;
  const iA = params.add(`options.${id}.joinAssociate`, spec.joinAssociate);
  const iG = params.add(`options.${id}.joinDelegation`, spec.joinDelegation);
  const iL = params.add(`options.${id}.leave`, spec.leave);
  const shares = (v: Float64Array) => {
    const t = v[iA]! + v[iG]! + v[iL]!;
    return t > 0 ? ([v[iA]! / t, v[iG]! / t, v[iL]! / t] as const) : ([0, 0, 1] as const);
  };
  let assocFees = 0;
  let developing = 0;
  for (const i of pop.pilotRows) {
    assocFees += associateFeeOf(pop, i);
    if (pop.roster.dev[i] !== Dev.Developed) developing++;
  }
  const n0 = pop.pilotRows.length;
  return {
    id,
    kind: spec.kind,
    label: spec.label ?? id,
    forDraw(v) {
      const [a, g, l] = shares(v);
      return (_mt, _y, out) => {
        out.gained += a * assocFees;
        out.pilotConverted += a * n0;
        out.pilotLost += l * n0;
        out.smeParticipants += (a + g) * n0;
        out.smeParticipantsDeveloping += (a + g) * developing;
      };
    },
    breakdown(v, sink) {
      const [a] = shares(v);
      for (const i of pop.pilotRows)
        sink(pop.roster.sector[i]!, 'sme-pilot', pop.roster.dev[i]!, ctx.scenario.horizon.years * a * associateFeeOf(pop, i), 0);
    },
  };
}
