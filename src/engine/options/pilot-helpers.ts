import { SECTORS } from '../../domain/codes.js';
import { rateGroup } from '../../fees/fee-schedule.js';
import type { Population } from '../population.js';

/** The Associate fee a pilot participant (row i) would pay on joining as an Associate of its Sector. */
export function associateFeeOf(pop: Population, i: number): number {
  return pop.schedule.associateFee[SECTORS[pop.roster.sector[i]!]!][
    rateGroup(pop.roster, i, pop.schedule.reducedRatesFor.associateFee, pop.schedule.lowIncomeLimitUsd)
  ];
}

/** Average Associate fee of a newcomer with the given Sector shares and developing-country share. */
export function averageAssociateFee(pop: Population, shares: Record<'R' | 'T' | 'D', number>, developingShare: number): number {
  return SECTORS.reduce(
    (s, sec) =>
      s +
      shares[sec] *
        (developingShare * pop.schedule.associateFee[sec].developing + (1 - developingShare) * pop.schedule.associateFee[sec].developed),
    0,
  );
}
