import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { textValues } from '../src/domain/roster.js';
import { computeFees, formatClass } from '../src/fees/fee-schedule.js';
import { parseRoster } from '../src/roster/parse-roster.js';
import { countries, HEADER, ROOT, schedule, smallRoster } from './helpers.js';

describe('fee schedule', () => {
  test('fees match hand-derived values for every category, Sector and status', () => {
    const { roster, fee } = smallRoster();
    const byId = Object.fromEntries(textValues(roster.id).map((id, i) => [id, fee[i]]));
    // Derivations in test/helpers.ts (SMALL_ROSTER comment).
    expect(byId).toEqual({
      'T-SM-half': 31_800,
      'R-SM-two': 127_200,
      'D-SM-8th': 7_950,
      'D-SM-16th': 3_975,
      'T-SM-4th': 15_900,
      'R-AS-dev': 10_600,
      'T-AS': 10_600,
      'D-AS': 3_975,
      'D-AS-ldc': 1_987.5,
      'AC-1-T': 3_975,
      'AC-1-D': 0,
      'AC-2': 1_987.5,
      'P-1': 0,
      'X-1': 0,
    });
  });

  test('a reduced class in a developed country is an error naming the row', () => {
    const { roster } = parseRoster(
      `${HEADER}\nT-1,E,A,sector-member,T,USA,10,,1/8,true,\nD-1,E2,B,sector-member,D,USA,10,,1/16,true,\n`,
      'x.csv',
      countries,
    );
    const { issues } = computeFees(roster!, schedule);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [2, 'row 2, column class_units'],
      [3, 'row 3, column class_units'],
    ]);
    expect(issues[0]!.message).toContain(
      'T-1: class 1/8 of ITU-T is reserved for Sector Members from developing countries with per-capita income below USD 2,000; USA is developed',
    );
    expect(issues[1]!.message).toContain(
      'D-1: class 1/16 of ITU-D is reserved for Sector Members from developing countries; USA is developed',
    );
  });
});

// One test per fee rule: which country status it uses (data/fee-schedule.yaml `reducedRatesFor`,
// data/countries.csv; facts 2.2-4.2 and 12.x of docs/sources.md). Incomes: KOR 28,380, NGA 2,080,
// IND 1,800, KEN 1,440 (GNI per capita 2017, data/countries.csv); all four are "developing".
const H2 = `${HEADER},parent_hq_country`;
function fees(rows: string, sched = schedule) {
  const { roster, issues } = parseRoster(`${H2}\n${rows}\n`, 'rule.csv', countries);
  if (!roster) throw new Error(JSON.stringify(issues));
  const r = computeFees(roster, sched);
  return { byId: Object.fromEntries(textValues(roster.id).map((id, i) => [id, r.fee[i]])), issues: r.issues };
}

describe('fee rules and the status each uses', () => {
  test('the shipped schedule names a status and a source for every reduction', () => {
    expect(schedule.reducedRatesFor).toEqual({
      sectorMemberClasses: { R: 'low-income', T: 'low-income', D: 'developing' },
      associateFee: 'developing',
      academiaFee: 'developing',
    });
    expect(schedule.lowIncomeLimitUsd).toBe(2000);
    const text = readFileSync(resolve(ROOT, 'data/fee-schedule.yaml'), 'utf8');
    expect(text).toMatch(/R: low-income\s+# fact 2\.2/);
    expect(text).toMatch(/D: developing\s+# fact 2\.3/);
    expect(text).toMatch(/associateFee: developing # fact 3\.4/);
    expect(text).toMatch(/academiaFee: developing\s+# facts 4\.1/);
  });

  test('ITU-R/T classes 1/4, 1/8, 1/16 use per-capita income below USD 2,000 (fact 2.2)', () => {
    const { byId, issues } = fees(
      [
        'T-KEN,E1,a,sector-member,T,KEN,10,,1/16,true,,',
        'R-IND,E2,b,sector-member,R,IND,10,,1/4,true,,',
        'T-KOR,E3,c,sector-member,T,KOR,10,,1/16,true,,',
        'R-NGA,E4,d,sector-member,R,NGA,10,,1/8,true,,',
      ].join('\n'),
    );
    expect(byId['T-KEN']).toBe(3_975); // 63,600 / 16
    expect(byId['R-IND']).toBe(15_900); // 63,600 / 4
    expect(issues.map((i) => i.path)).toEqual(['row 4, column class_units', 'row 5, column class_units']);
    expect(issues[0]!.message).toContain('KOR is developing, per-capita income USD 28,380');
    expect(issues[1]!.message).toContain('NGA is developing, per-capita income USD 2,080');
  });

  test('the ITU-D class 1/16 uses the developing-country list, not income (fact 2.3)', () => {
    const { byId, issues } = fees('D-KOR,E1,a,sector-member,D,KOR,10,,1/16,true,,\nD-NGA,E2,b,sector-member,D,NGA,10,,1/16,true,,');
    expect(issues).toEqual([]);
    expect(byId).toEqual({ 'D-KOR': 3_975, 'D-NGA': 3_975 });
  });

  test('the ITU-D Associate and Academia rates use the developing-country list (facts 3.4, 4.2)', () => {
    const { byId } = fees(
      [
        'D-AS-KOR,E1,a,associate,D,KOR,10,,,true,,',
        'D-AS-USA,E2,b,associate,D,USA,10,,,true,,',
        'T-AS-KEN,E3,c,associate,T,KEN,10,,,true,,',
        'AC-KOR,U1,d,academia,T,KOR,,,,true,,',
        'AC-USA,U2,e,academia,T,USA,,,,true,,',
      ].join('\n'),
    );
    // ITU-D Associate 3,975 / 1,987.50; ITU-T Associate 10,600 for everyone (fact 3.5); Academia 3,975 / 1,987.50.
    expect(byId).toEqual({ 'D-AS-KOR': 1_987.5, 'D-AS-USA': 3_975, 'T-AS-KEN': 10_600, 'AC-KOR': 1_987.5, 'AC-USA': 3_975 });
  });

  test('a subsidiary of a developed-country multinational pays the full fee and gets no reduced class (fact 2.4)', () => {
    const { byId, issues } = fees(
      [
        'T-SUB,E1,a,sector-member,T,KEN,900,,1/16,false,,USA',
        'D-SUB,E2,b,associate,D,KEN,900,,,false,,USA',
        'T-LOCAL,E3,c,sector-member,T,KEN,900,,1/16,false,,IND',
      ].join('\n'),
    );
    expect(issues.map((i) => i.path)).toEqual(['row 2, column class_units']);
    expect(issues[0]!.message).toContain('T-SUB: class 1/16 of ITU-T is reserved');
    expect(issues[0]!.message).toContain(
      'subsidiary of a multinational headquartered in USA (a developed country), which pays the full fee',
    );
    expect(byId['D-SUB']).toBe(3_975); // the developed-country ITU-D Associate fee, not 1,987.50
    expect(byId['T-LOCAL']).toBe(3_975); // parent headquartered in a developing country: no effect
  });

  test('an unknown parent headquarters country is an input error naming the row and column', () => {
    const { roster, issues } = parseRoster(`${H2}\nT-1,E1,a,sector-member,T,KEN,9,,1/2,false,,XXX\n`, 'p.csv', countries);
    expect(roster).toBeUndefined();
    expect(issues.map((i) => [i.line, i.path])).toEqual([[2, 'row 2, column parent_hq_country']]);
  });

  test('the rule is data: switching ITU-T classes to the developing-country list accepts a Korean 1/16', () => {
    const loose = {
      ...schedule,
      reducedRatesFor: { ...schedule.reducedRatesFor, sectorMemberClasses: { R: 'low-income', T: 'developing', D: 'developing' } },
    } as const;
    expect(fees('T-KOR,E1,a,sector-member,T,KOR,10,,1/16,true,,', loose).issues).toEqual([]);
  });
});

describe('classes', () => {
  test('classes print the way ITU writes them', () => {
    expect([0.0625, 0.5, 1, 1.5, 2].map(formatClass)).toEqual(['1/16', '1/2', '1', '3/2', '2']);
  });
});
