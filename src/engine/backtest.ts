import { Cat, isIncumbentPayer } from '../domain/codes.js';
import type { Measure, Observed } from '../scenario/observed.js';
import { isEligible } from '../scenario/sme-presets.js';
import type { Model } from './model.js';
import { resolveRule } from './options/eligibility.js';
import type { RunResult } from './run.js';

/**
 * The back-test (docs/model.md, "Back-test"): what the model says for each published outcome, the gap,
 * and what the gap implies. Entities, not memberships: an entity in two Sectors counts once.
 */
export interface BacktestRow {
  id: string;
  figure: string;
  date: string;
  observed: number;
  qualifier: Observed['qualifier'];
  model: number;
  /** model − observed. */
  gap: number;
  confidence: Observed['confidence'];
  source: string;
  implication: string;
}

export interface BacktestCounts {
  /** Entities paying a Sector Member or Associate fee today, and those of them meeting the option's SME rule. */
  industry: number;
  sme: number;
  exempt: number;
}

/** Today's counts of distinct entities, SMEs by the rule of the scenario's first option with an eligibility test. */
export function backtestCounts(model: Model, optionId: string): BacktestCounts {
  const { roster } = model.pop;
  const spec = model.scenario.options[optionId] as { eligibility?: Parameters<typeof resolveRule>[0] } | undefined;
  if (!spec?.eligibility) throw new Error(`option ${optionId} has no eligibility rule to count SMEs by`);
  const rule = resolveRule(spec.eligibility);
  const industry = new Set<number>(); // entities, by entityIndex (rows of one entity share it)
  const sme = new Set<number>();
  const exempt = new Set<number>();
  for (let i = 0; i < roster.size; i++) {
    const cat = roster.category[i]!;
    const e = roster.entityIndex[i]!;
    if (cat === Cat.Exempt) exempt.add(e);
    if (!isIncumbentPayer(cat)) continue;
    industry.add(e);
    if (isEligible(rule, roster.employees[i]!, roster.turnoverUsd[i]!, roster.independent[i] === 1)) sme.add(e);
  }
  return { industry: industry.size, sme: sme.size, exempt: exempt.size };
}

const fmt = (x: number, share: boolean) => (share ? `${(x * 100).toFixed(1)} %` : x.toLocaleString('en-GB', { maximumFractionDigits: 1 }));

export function backtest(model: Model, run: RunResult, optionId: string, observed: Observed[]): BacktestRow[] {
  const c = backtestCounts(model, optionId);
  const arm = run.arms.find((a) => a.id === optionId);
  if (!arm) throw new Error(`no result for option ${optionId}`);
  const start = model.scenario.horizon.startYear;
  const at = (year: number | undefined) => {
    if (year === undefined) return { entrants: 0, converted: 0, inHorizon: true };
    const y = arm.years[year - start];
    return y ? { entrants: y.newEntrants, converted: y.pilotConverted, inHorizon: true } : { entrants: 0, converted: 0, inHorizon: false };
  };
  return observed.map((o) => {
    const { entrants, converted, inHorizon } = at(o.year);
    const added = entrants + converted;
    const value = (m: Measure): number => {
      switch (m) {
        case 'sme-entities':
          return c.sme + added;
        case 'industry-entities':
          return c.industry + added;
        case 'industry-and-exempt':
          return c.industry + c.exempt + added;
        case 'sme-share':
          return (c.sme + added) / (c.industry + added);
      }
    };
    const model_ = value(o.measure);
    const share = o.measure === 'sme-share';
    let implication: string;
    if (!inHorizon) implication = `the year ${o.year} is outside the scenario's horizon; the model shows today's roster`;
    else if (share) {
      // (S + C + E) / (N + C + E) = s  =>  E = (s (N + C) − S − C) / (1 − s)
      const needed = (n: number) => (o.value * (n + converted) - c.sme - converted) / (1 - o.value);
      const say = (e: number, n: number, where: string) =>
        e <= 0
          ? `${where}, even with no new SME members the share (${fmt((c.sme + converted) / (n + converted), true)}) is at or above the observed ${fmt(o.value, true)}`
          : `${where}, ${fmt(e, false)} new SME members by ${o.year} would reproduce it (the model has ${fmt(entrants, false)})`;
      const published = observed.find((x) => x.measure === 'industry-entities' && x.year === undefined);
      implication = say(needed(c.industry), c.industry, `with the roster's ${c.industry} industry entities`);
      if (published)
        implication += `; with the published ${published.value} (${published.id}), ${say(needed(published.value), published.value, 'as the denominator').replace('as the denominator, ', '')}`;
    } else if (o.measure === 'sme-entities')
      implication =
        o.year === undefined
          ? `with the bundled synthetic roster this is a calibration target (41 entities with at most 250 staff), not a test; the option's rule, which also tests turnover and independence, counts ${c.sme}`
          : `${fmt(model_ - o.value, false)} SME entities ${model_ > o.value ? 'more' : 'fewer'} than observed`;
    else {
      const gap = model_ - o.value;
      implication =
        o.qualifier === 'over' && gap >= 0
          ? 'consistent: the model is above the published floor'
          : `${fmt(Math.abs(gap), false)} entities ${gap < 0 ? 'fewer' : 'more'} than published: the synthetic roster's entity count (memberships per entity, fact 6.8) ${gap < 0 ? 'may be too low' : 'may be too high'}`;
    }
    return {
      id: o.id,
      figure: o.figure,
      date: o.date,
      observed: o.value,
      qualifier: o.qualifier,
      model: model_,
      gap: model_ - o.value,
      confidence: o.confidence,
      source: o.source,
      implication,
    };
  });
}
