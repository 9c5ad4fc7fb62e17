/**
 * Cost per additional SME participant-year (docs/model.md, "Cost per SME participant-year"):
 *
 *   cost = −(horizon net impact) ÷ Δ,   Δ = Σ_years (SME participants − switched incumbents − pilot participants today)
 *
 * Δ counts participant-years the option adds beyond the baseline (the pilot as today), not counting
 * incumbents who switch category (they were members already). For an option that adds participation
 * the figure is the net income given up per participant-year added; for one that removes it (ceasing
 * the pilot, Δ < 0) the same formula gives the net income gained per participant-year removed — in
 * both cases the price of one participant-year. Below |Δ| < PARTICIPANT_YEAR_FLOOR the ratio is
 * dominated by its small denominator and is not shown.
 */
export const PARTICIPANT_YEAR_FLOOR = 10;

export interface ParticipantCost {
  /** CHF per participant-year; null below the floor. */
  value: number | null;
  /** Δ participant-years (signed). */
  participantYears: number;
  /** Why there is no figure, for display ("n/a — fewer than 10 additional participant-years"). */
  note: string | null;
}

export function participantCost(net: number, participantYears: number): ParticipantCost {
  if (Math.abs(participantYears) < PARTICIPANT_YEAR_FLOOR)
    return {
      value: null,
      participantYears,
      note: `n/a — fewer than ${PARTICIPANT_YEAR_FLOOR} additional participant-years`,
    };
  return { value: -net / participantYears + 0, participantYears, note: null };
}

/** The display text of an empty cost cell (the comparison table's nullText). */
export const PARTICIPANT_COST_NA = `n/a — fewer than ${PARTICIPANT_YEAR_FLOOR} additional participant-years`;
