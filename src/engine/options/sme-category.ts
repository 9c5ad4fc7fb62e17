import { Dev, SECTORS } from '../../domain/codes.js';
import type { SmeCategorySpec } from '../../scenario/schema.js';
import { addNewcomers, compileDemand } from './demand.js';
import { addMemberTotals, buildMemberOffer, offerBreakdown } from './member-offer.js';
import type { OptionModule } from './types.js';

/** Annual SME-category fee for a Sector and development group, in CHF. */
export function smeFee(spec: SmeCategorySpec, unit: number, sector: number, developed: boolean): number {
  const f = spec.fee[SECTORS[sector]!][developed ? 'developed' : 'developing'];
  return spec.fee.basis === 'unit-fraction' ? f * unit : f;
}

/**
 * Option 1 of the report: a new membership category for SMEs at a reduced fee (docs/model.md §1).
 * Eligible incumbents may switch down (the income loss the report warns of), pilot participants
 * convert, and new SMEs join with constant-elasticity demand.
 */
export const smeCategory: OptionModule<SmeCategorySpec> = {
  kind: 'sme-category',
  compile(spec, ctx) {
    const { pop, params, id } = ctx;
    const unit = pop.schedule.sectorMemberUnit;
    const { offer } = buildMemberOffer(ctx, {
      eligibility: spec.eligibility,
      incumbentsMaySwitch: spec.incumbentsMaySwitch,
      switchPropensity: spec.switchPropensity,
      pilotConversionRate: spec.pilotConversionRate,
      payment: (i) => smeFee(spec, unit, pop.roster.sector[i]!, pop.roster.dev[i] === Dev.Developed),
      adminUnits: () => 1,
    });
    const p = (name: string, v: Parameters<typeof params.add>[1]) => params.add(`options.${id}.${name}`, v);
    const demand = compileDemand(ctx, 'newEntrants', spec.newEntrants, (sector, developed) => smeFee(spec, unit, sector, developed));
    const iAdmin = p('adminCostPerMember', spec.adminCostPerMember);
    const iSetup = p('setupCost', spec.setupCost);
    return {
      id,
      kind: 'sme-category',
      label: spec.label ?? id,
      offer,
      forDraw(v) {
        const { counts, price: fee, developingShare: devShare } = demand.forDraw(v);
        const admin = v[iAdmin]!,
          setup = v[iSetup]!;
        return (mt, y, out) => {
          const n = counts[y]!;
          addMemberTotals(mt, out);
          out.gained += n * fee;
          out.adminCosts += admin * ((mt?.adminUnits ?? 0) + n) + (y === 0 ? setup : 0);
          addNewcomers(out, n, devShare);
        };
      },
      breakdown(v, sink) {
        offerBreakdown(offer, pop, v, ctx.scenario.horizon.years, sink);
        demand.breakdown(v, 'new SME member', sink);
      },
    };
  },
};
