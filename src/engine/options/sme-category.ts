import { Dev, SECTORS } from '../../domain/codes.js';
import type { SmeCategorySpec } from '../../scenario/schema.js';
import { addMemberTotals, buildMemberOffer, demandCount, offerBreakdown } from './member-offer.js';
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
    const ne = spec.newEntrants;
    const iCount = p('newEntrants.referenceCount', ne.referenceCount);
    const iElast = p('newEntrants.elasticity', ne.elasticity);
    const iDevShare = p('newEntrants.developingShare', ne.developingShare);
    const iAdmin = p('adminCostPerMember', spec.adminCostPerMember);
    const iSetup = p('setupCost', spec.setupCost);
    // Average fee of a new entrant: Σ share_s × (d × developing fee_s + (1 − d) × developed fee_s),
    // with the two Sector-weighted sums taken once here (forDraw runs per Monte Carlo draw).
    const weighted = (developed: boolean) => SECTORS.reduce((s, sec, k) => s + ne.sectorShares[sec] * smeFee(spec, unit, k, developed), 0);
    const feeDeveloping = weighted(false), feeDeveloped = weighted(true);
    const entrantFee = (devShare: number) => devShare * feeDeveloping + (1 - devShare) * feeDeveloped;
    const entrants = (v: Float64Array, y: number, fee = entrantFee(v[iDevShare]!)) => demandCount(v[iCount]!, fee, ne.referenceFeeChf, v[iElast]!, ne.rampYears, y);
    return {
      id, kind: 'sme-category', label: spec.label ?? id, offer,
      forDraw(v) {
        const fee = entrantFee(v[iDevShare]!);
        const counts = new Float64Array(ctx.scenario.horizon.years);
        for (let y = 0; y < counts.length; y++) counts[y] = entrants(v, y, fee);
        const admin = v[iAdmin]!, setup = v[iSetup]!, devShare = v[iDevShare]!;
        return (mt, y, out) => {
          const n = counts[y]!;
          addMemberTotals(mt, out);
          out.gained += n * fee;
          out.adminCosts += admin * ((mt?.adminUnits ?? 0) + n) + (y === 0 ? setup : 0);
          out.newEntrants += n;
          out.smeParticipants += n;
          out.smeParticipantsDeveloping += n * devShare;
        };
      },
      breakdown(v, sink) {
        const years = ctx.scenario.horizon.years;
        offerBreakdown(offer, pop, v, years, sink);
        let total = 0;
        for (let y = 0; y < years; y++) total += entrants(v, y);
        const d = v[iDevShare]!;
        SECTORS.forEach((sec, k) => {
          const share = ne.sectorShares[sec];
          sink(k, 'new SME member', Dev.Developing, total * share * d * smeFee(spec, unit, k, false), 0);
          sink(k, 'new SME member', Dev.Developed, total * share * (1 - d) * smeFee(spec, unit, k, true), 0);
        });
      },
    };
  },
};
