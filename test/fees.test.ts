import { describe, expect, test } from 'vitest';
import { computeFees, formatClass } from '../src/fees/fee-schedule.js';
import { parseRoster } from '../src/roster/parse-roster.js';
import { countries, HEADER, schedule, smallRoster } from './helpers.js';

describe('fee schedule', () => {
  test('fees match hand-derived values for every category, Sector and status', () => {
    const { roster, fee } = smallRoster();
    const byId = Object.fromEntries(roster.id.map((id, i) => [id, fee[i]]));
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

  test('a class reserved for developing countries is reported for a developed-country member', () => {
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
    expect(issues[0]!.message).toContain('reserved for developing countries');
  });

  test('classes print the way ITU writes them', () => {
    expect([0.0625, 0.5, 1, 1.5, 2].map(formatClass)).toEqual(['1/16', '1/2', '1', '3/2', '2']);
  });
});
