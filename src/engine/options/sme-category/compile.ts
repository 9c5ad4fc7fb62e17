import { paysDevelopedRate } from '../../../fees/fee-schedule.js';
import { optionName } from '../../../scenario/option-parts.js';
import { compileDemand } from '../demand.js';
import { resolveRule } from '../eligibility.js';
import { feeOf } from '../fee-table.js';
import { buildMemberOffer, offerAdder, offerBreakdown, offerYearsFor } from '../member-offer.js';
import type { CompiledOption, OfferYears, OptionContext } from '../types.js';
import type { SmeCategorySpec } from './spec.js';

/**
 * Option 1 of the report: a new membership category for SMEs at a reduced fee (docs/model.md §1).
 * Eligible incumbents may switch down (the income loss the report warns of), pilot participants
 * convert, and new SMEs join with constant-elasticity demand.
 */
export function compileSmeCategory(spec: SmeCategorySpec, ctx: OptionContext): CompiledOption {
  const { pop, params, id } = ctx;
  const { roster } = pop;
  const unit = pop.schedule.sectorMemberUnit;
  const rule = resolveRule(spec.eligibility);
  // the fee by Sector and rate (developing, developed), looked up per member rather than worked out
  const pay = Float64Array.from({ length: 6 }, (_, k) => feeOf(spec.fee, unit, k >> 1, (k & 1) === 1));
  const { offer } = buildMemberOffer(ctx, {
    eligible: rule,
    incumbentsMaySwitch: spec.incumbentsMaySwitch,
    switchPropensity: spec.switchPropensity,
    keepsSectorMemberRights: spec.keepsSectorMemberRights ?? false,
    arrangement: spec.keepsSectorMemberRights ? 'SME member with Sector Member rights' : 'SME Associate, one Study Group',
    pilotConversionRate: spec.pilotConversionRate,
    payment: (i) => pay[roster.sector[i]! * 2 + (paysDevelopedRate(roster, i) ? 1 : 0)]!,
    adminUnits: () => 1,
  });
  const p = (name: string, v: Parameters<typeof params.add>[1]) => params.add(`options.${id}.${name}`, v);
  const demand = compileDemand(ctx, 'newEntrants', spec.newEntrants, (sector, developed) => feeOf(spec.fee, unit, sector, developed));
  const iAdmin = p('adminCostPerMember', spec.adminCostPerMember);
  const iSetup = p('setupCost', spec.setupCost);
  const offerYears = (v: Float64Array, into?: OfferYears): OfferYears => {
    const { counts, price: fee, developingShare: devShare } = demand.forDrawScratch(v);
    const t = into ?? offerYearsFor(counts.length, 1);
    t.adminRate = v[iAdmin]!;
    for (let y = 0; y < counts.length; y++) {
      const n = counts[y]!;
      t.newcomers[y] = n;
      t.newcomerGained[y] = n * fee;
      t.newcomersDeveloping[y] = n * devShare;
      t.adminUnits[y] = n;
      t.adminFixed[y] = y === 0 ? v[iSetup]! : 0;
    }
    return t;
  };
  return {
    id,
    kind: spec.kind,
    label: optionName(spec, id),
    offer,
    forDraw: (v) => offerAdder(offerYears(v)),
    offerYears,
    breakdown(v, sink) {
      offerBreakdown(offer, pop, v, ctx.scenario.horizon.years, sink);
      demand.breakdown(v, 'new SME member', sink);
    },
  };
}
