import { SECTORS } from '../../../domain/codes.js';
import { paysDevelopedRate } from '../../../fees/fee-schedule.js';
import { optionName } from '../../../scenario/option-parts.js';
import { meanOf } from '../../random/distributions.js';
import { compileDemand } from '../demand.js';
import { resolveRule } from '../eligibility.js';
import { buildMemberOffer, offerAdder, offerBreakdown, offerYearsFor } from '../member-offer.js';
import type { CompiledOption, OfferYears, OptionContext } from '../types.js';
import type { PayAsYouGoSpec } from './spec.js';

/** Price of one meeting for a Sector and group: per meeting, or per day × days per meeting. */
export function meetingPrice(spec: PayAsYouGoSpec, sector: number, developed: boolean): number {
  const s = SECTORS[sector]!;
  const base = spec.basis === 'meeting' ? spec.fee[s] : spec.fee[s] * spec.daysPerMeeting[s];
  return developed ? base : base * (1 - spec.developingDiscount);
}

/**
 * Option 3 of the report, "pay-as-you-go" participation per meeting (docs/model.md §2). A member's
 * expected annual cost is meetings × price; eligible incumbents for whom that is below their fee may
 * switch; pilot participants convert; new occasional participants join with constant-elasticity demand.
 * Attendance defaults are applied at their expected values when the roster has no meetings_per_year.
 */
export function compilePayAsYouGo(spec: PayAsYouGoSpec, ctx: OptionContext): CompiledOption {
  const { pop, params, id } = ctx;
  const { roster } = pop;
  const attendanceDefault = [
    meanOf(spec.attendance['sector-member']),
    meanOf(spec.attendance.associate),
    NaN,
    meanOf(spec.attendance['sme-pilot']),
    NaN,
  ];
  const meetings = (i: number) =>
    Number.isNaN(roster.meetingsPerYear[i]!) ? attendanceDefault[roster.category[i]!]! : roster.meetingsPerYear[i]!;
  const rule = resolveRule(spec.eligibility);
  // the meeting price by Sector and rate (developing, developed), looked up per member
  const price = Float64Array.from({ length: 6 }, (_, k) => meetingPrice(spec, k >> 1, (k & 1) === 1));
  const { offer } = buildMemberOffer(ctx, {
    eligible: rule,
    incumbentsMaySwitch: spec.incumbentsMaySwitch,
    switchPropensity: spec.switchPropensity,
    keepsSectorMemberRights: false,
    arrangement: 'pay per meeting, no membership rights',
    pilotConversionRate: spec.pilotConversionRate,
    payment: (i) => meetings(i) * price[roster.sector[i]! * 2 + (paysDevelopedRate(roster, i) ? 1 : 0)]!,
    adminUnits: meetings,
  });
  const p = (name: string, v: Parameters<typeof params.add>[1]) => params.add(`options.${id}.${name}`, v);
  const demand = compileDemand(
    ctx,
    'newParticipants',
    spec.newParticipants,
    (sector, developed) => meetingPrice(spec, sector, developed),
    spec.newParticipants.meetingsPerYear,
  );
  const iReg = p('costPerRegistration', spec.costPerRegistration);
  const iSetup = p('setupCost', spec.setupCost);
  const offerYears = (v: Float64Array, into?: OfferYears): OfferYears => {
    const { counts, price, volume: meet, developingShare: devShare } = demand.forDrawScratch(v);
    const t = into ?? offerYearsFor(counts.length, 1);
    t.adminRate = v[iReg]!;
    for (let y = 0; y < counts.length; y++) {
      const n = counts[y]!;
      t.newcomers[y] = n;
      t.newcomerGained[y] = n * meet * price;
      t.newcomersDeveloping[y] = n * devShare;
      t.adminUnits[y] = n * meet;
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
      demand.breakdown(v, 'new pay-as-you-go', sink);
    },
  };
}
