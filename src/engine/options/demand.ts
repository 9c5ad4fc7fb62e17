import { Dev, SECTORS } from '../../domain/codes.js';
import type { Num } from '../../scenario/distribution.js';
import type { BreakdownSink, OptionContext, YearFigures } from './types.js';

interface DemandSpec {
  referenceCount: Num;
  referenceFeeChf: number;
  elasticity: Num;
  rampYears: number;
  developingShare: Num;
  sectorShares: Record<'R' | 'T' | 'D', number>;
}

/** The participation side of n newcomers in a year (their money is the option's own rule). */
export function addNewcomers(out: YearFigures, n: number, developingShare: number): void {
  out.newEntrants += n;
  out.smeParticipants += n;
  out.smeParticipantsDeveloping += n * developingShare;
}

/** Newcomers of one draw: count per year and what each pays (price × volume) a year. */
export interface DemandDraw {
  counts: Float64Array;
  price: number;
  volume: number;
  developingShare: number;
}

/**
 * Newcomers attracted by an option (new SME members, occasional pay-as-you-go participants):
 * constant-elasticity demand at the average price over Sectors and development groups, ramping up
 * (docs/model.md §3). `volume` is what one newcomer buys a year at `price` (1 membership, or meetings).
 */
export function compileDemand(
  ctx: OptionContext,
  path: string,
  spec: DemandSpec,
  priceOf: (sector: number, developed: boolean) => number,
  volume?: Num,
) {
  const p = (name: string, v: Num) => ctx.params.add(`options.${ctx.id}.${path}.${name}`, v);
  const iCount = p('referenceCount', spec.referenceCount);
  const iElast = p('elasticity', spec.elasticity);
  const iDev = p('developingShare', spec.developingShare);
  const iVolume = volume === undefined ? -1 : p('meetingsPerYear', volume);
  // Σ_s share_s × price_s,g taken once per development group g; the draw mixes them by its developing share.
  const weighted = (developed: boolean) => SECTORS.reduce((s, sec, k) => s + spec.sectorShares[sec] * priceOf(k, developed), 0);
  const priceDeveloping = weighted(false),
    priceDeveloped = weighted(true);
  const years = ctx.scenario.horizon.years;
  const emptyDraw = (): DemandDraw => ({ counts: new Float64Array(years), price: 0, volume: 0, developingShare: 0 });
  /** One draw's newcomers into `into` (a DemandDraw this demand returned before), or a new one. */
  const forDraw = (v: Float64Array, into?: DemandDraw): DemandDraw => {
    const d = v[iDev]!;
    const price = d * priceDeveloping + (1 - d) * priceDeveloped;
    const t = into ?? emptyDraw();
    const base = demandBase(v[iCount]!, price, spec.referenceFeeChf, v[iElast]!); // once a draw: the same number every year
    for (let y = 0; y < years; y++) t.counts[y] = base * ramp(spec.rampYears, y);
    t.price = price;
    t.volume = iVolume < 0 ? 1 : v[iVolume]!;
    t.developingShare = d;
    return t;
  };
  // what offerYears reads while it fills its OfferYears (it keeps nothing of it): no allocation per draw
  const scratch = emptyDraw();
  return {
    forDraw,
    /**
     * forDraw into this demand's own scratch: the returned object is overwritten by the next call, so
     * read it at once (an option's offerYears refilling its `into`, draw after draw).
     */
    forDrawScratch: (v: Float64Array): DemandDraw => forDraw(v, scratch),
    /** Horizon revenue from newcomers per Sector and development group (category `label`). */
    breakdown(v: Float64Array, label: string, sink: BreakdownSink) {
      const { counts, volume, developingShare: d } = forDraw(v);
      const total = counts.reduce((a, b) => a + b, 0);
      SECTORS.forEach((sec, k) => {
        const per = total * spec.sectorShares[sec] * volume;
        sink(k, label, Dev.Developing, per * d * priceOf(k, false), 0);
        sink(k, label, Dev.Developed, per * (1 - d) * priceOf(k, true), 0);
      });
    },
  };
}

/**
 * New participants a year under constant-elasticity demand, ramping up linearly:
 * count_y = referenceCount × (price / referenceFee)^elasticity × min(1, (y + 1) / rampYears).
 * The price ratio is floored at 0.1 so that a free arrangement gives a finite count (ASSUMPTION).
 */
export function demandCount(
  referenceCount: number,
  price: number,
  referenceFee: number,
  elasticity: number,
  rampYears: number,
  y: number,
): number {
  return demandBase(referenceCount, price, referenceFee, elasticity) * ramp(rampYears, y);
}

/** referenceCount × (price / referenceFee)^elasticity, the ratio floored at 0.1: demandCount before the ramp. */
export function demandBase(referenceCount: number, price: number, referenceFee: number, elasticity: number): number {
  const ratio = Math.max(0.1, price / referenceFee);
  return referenceCount * ratio ** elasticity;
}

/** The ramp of year y: min(1, (y + 1) / rampYears). */
const ramp = (rampYears: number, y: number): number => Math.min(1, (y + 1) / rampYears);
