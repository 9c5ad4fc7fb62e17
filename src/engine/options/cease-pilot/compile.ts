import { Dev } from '../../../domain/codes.js';
import type { Num } from '../../../scenario/distribution.js';
import { optionName } from '../../../scenario/option-parts.js';
import { meanOf } from '../../random/distributions.js';
import { associateFeeOf } from '../pilot-helpers.js';
import type { CompiledOption, OptionContext } from '../types.js';
import type { CeasePilotSpec } from './spec.js';

/**
 * Option 4 of the report: cease the pilot and continue current practice (docs/model.md §6). From the
 * first year, participants join as Associates (paying the Associate fee of their Sector), join their
 * national delegation (no fee, still taking part), or leave. The pilot's admin cost is saved.
 *
 * The split is uncertain. With `concentration` c and mean shares (m_A, m_G, m_L), it is drawn from
 * Dirichlet(c m_A, c m_G, c m_L) by stick-breaking over two Beta parameters:
 * A ~ Beta(c m_A, c (m_G + m_L)), G = (1 − A) × B with B ~ Beta(c m_G, c m_L), L = 1 − A − G. Each Beta is
 * a parameter of its own (so it has a tornado bar): A under `joinAssociate`, B under `joinDelegation`. Without `concentration`, the three shares are drawn
 * independently and renormalised to sum to 1.
 */
export function compileCeasePilot(spec: CeasePilotSpec, ctx: OptionContext): CompiledOption {
  const { pop, id } = ctx;
  const shares = spec.concentration === undefined ? renormalised(spec, ctx) : dirichlet(spec, spec.concentration, ctx);
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
    label: optionName(spec, id),
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

type Split = (v: Float64Array) => readonly [number, number, number];

function renormalised(spec: CeasePilotSpec, { params, id }: OptionContext): Split {
  const iA = params.add(`options.${id}.joinAssociate`, spec.joinAssociate);
  const iG = params.add(`options.${id}.joinDelegation`, spec.joinDelegation);
  const iL = params.add(`options.${id}.leave`, spec.leave);
  return (v) => {
    const t = v[iA]! + v[iG]! + v[iL]!;
    return t > 0 ? ([v[iA]! / t, v[iG]! / t, v[iL]! / t] as const) : ([0, 0, 1] as const);
  };
}

/** A Beta(a, b) parameter, or the fixed value it degenerates to when a or b is 0. */
function betaOrFixed(a: number, b: number): Num {
  if (a <= 0) return 0;
  if (b <= 0) return 1;
  return { dist: 'beta', alpha: a, beta: b };
}

function dirichlet(spec: CeasePilotSpec, c: number, { params, id }: OptionContext): Split {
  const [mA, mG, mL] = [meanOf(spec.joinAssociate), meanOf(spec.joinDelegation), meanOf(spec.leave)];
  const iA = params.add(`options.${id}.joinAssociate`, betaOrFixed(c * mA, c * (mG + mL)));
  const iB = params.add(`options.${id}.joinDelegation`, betaOrFixed(c * mG, c * mL)); // a share of those not joining as Associates
  return (v) => {
    const a = v[iA]!;
    const g = (1 - a) * v[iB]!;
    return [a, g, Math.max(0, 1 - a - g)] as const;
  };
}
