import { paysDevelopedRate } from '../../../fees/fee-schedule.js';
import { compileDemand } from '../demand.js';
import { feeOf } from '../fee-table.js';
import { buildMemberOffer, offerAdder, offerBreakdown, offerYearsFor } from '../member-offer.js';
import type { CompiledOption, OfferYears, OptionContext } from '../types.js';
import { bandList, bandOf } from './bands.js';
import type { GraduatedFeeSpec } from './spec.js';

/**
 * A fee scale by size (docs/model.md §6a): each member fits the first band whose headcount (and, if
 * set, turnover) limits it meets and would pay that band's fee. Eligible incumbents whose band fee is
 * below today's fee may switch, pilot participants convert at their band's fee (the SME category's
 * take-up machinery), and new members join in each band with the constant-elasticity demand at the
 * band's price, the reference count split by the bands' entrant shares.
 */
export function compileGraduatedFee(spec: GraduatedFeeSpec, ctx: OptionContext): CompiledOption {
  const { pop, params, id } = ctx;
  const { roster } = pop;
  const unit = pop.schedule.sectorMemberUnit;
  const bands = bandList(spec);
  const band = Int32Array.from({ length: roster.size }, (_, i) => bandOf(spec, pop, i));
  const { offer } = buildMemberOffer(ctx, {
    eligible: (i) => band[i]! >= 0,
    incumbentsMaySwitch: spec.incumbentsMaySwitch,
    switchPropensity: spec.switchPropensity,
    pilotConversionRate: spec.pilotConversionRate,
    payment: (i) => feeOf(bands[band[i]!]![1].fee, unit, roster.sector[i]!, paysDevelopedRate(roster, i)),
    adminUnits: () => 1,
  });
  const p = (name: string, v: Parameters<typeof params.add>[1]) => params.add(`options.${id}.${name}`, v);
  // One demand per band at the band's price; the parameters (paths under newEntrants) are shared.
  const demands = bands.map(([, b]) => ({
    share: b.entrantShare,
    demand: compileDemand(ctx, 'newEntrants', spec.newEntrants, (sector, developed) => feeOf(b.fee, unit, sector, developed)),
  }));
  const iAdmin = p('adminCostPerMember', spec.adminCostPerMember);
  const iSetup = p('setupCost', spec.setupCost);
  const offerYears = (v: Float64Array, into?: OfferYears): OfferYears => {
    const draws = demands.map(({ share, demand }) => ({ share, ...demand.forDrawScratch(v) }));
    const Y = ctx.scenario.horizon.years;
    const K = draws.length;
    const t = into ?? offerYearsFor(Y, K);
    t.adminRate = v[iAdmin]!;
    for (let y = 0; y < Y; y++) {
      let n = 0;
      for (let k = 0; k < K; k++) {
        const d = draws[k]!;
        const nb = d.counts[y]! * d.share;
        n += nb;
        t.newcomers[y * K + k] = nb;
        t.newcomerGained[y * K + k] = nb * d.price;
        t.newcomersDeveloping[y * K + k] = nb * d.developingShare;
      }
      t.adminUnits[y] = n;
      t.adminFixed[y] = y === 0 ? v[iSetup]! : 0;
    }
    return t;
  };
  return {
    id,
    kind: spec.kind,
    label: spec.label ?? id,
    offer,
    forDraw: (v) => offerAdder(offerYears(v)),
    offerYears,
    breakdown(v, sink) {
      offerBreakdown(offer, pop, v, ctx.scenario.horizon.years, sink);
      demands.forEach(({ share, demand }, b) =>
        demand.breakdown(v, `new member, band ${bands[b]![0]}`, (sector, category, dev, gained, lost) =>
          sink(sector, category, dev, gained * share, lost * share),
        ),
      );
    },
  };
}
