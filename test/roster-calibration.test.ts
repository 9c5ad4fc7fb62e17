import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { Cat } from '../src/domain/codes.js';
import { textValues } from '../src/domain/roster.js';
import { eligibleAtHeadcount } from '../src/results/roster-summary.js';
import { parsePilotSmes, rosterCsv, synthesizeRoster } from '../src/tools/synthetic-roster/synthesize.js';
import { countries, schedule } from './helpers.js';

const bundled = loadRoster(DEFAULTS.roster, countries, schedule);
const sumBy = (cat: number) => bundled.fee.reduce((s, f, i) => (bundled.roster.category[i] === cat ? s + f : s), 0);

// Targets: docs/sources.md (fact numbers) and docs/synthetic-roster.md.
describe('bundled synthetic roster is calibrated to published figures', () => {
  test('it is labelled synthetic', () => {
    expect(bundled.roster.provenance.kind).toBe('synthetic');
  });
  test('Sector Member units total 250-280 a year (fact 8.1)', () => {
    let units = 0;
    for (let i = 0; i < bundled.roster.size; i++)
      if (bundled.roster.category[i] === Cat.SectorMember) units += bundled.fee[i]! / schedule.sectorMemberUnit;
    expect(units).toBeGreaterThanOrEqual(250);
    expect(units).toBeLessThanOrEqual(280);
  });
  test('fee income per category within the published ranges (facts 7.3, 7.4, 7.6, 7.8)', () => {
    expect(sumBy(Cat.SectorMember)).toBeGreaterThanOrEqual(15.7e6);
    expect(sumBy(Cat.SectorMember)).toBeLessThanOrEqual(19.7e6);
    expect(sumBy(Cat.Associate)).toBeGreaterThanOrEqual(1.0e6);
    expect(sumBy(Cat.Associate)).toBeLessThanOrEqual(1.6e6);
    expect(sumBy(Cat.Academia)).toBeGreaterThanOrEqual(0.3e6);
    expect(sumBy(Cat.Academia)).toBeLessThanOrEqual(0.6e6);
  });
  test('more than 60 Sector Members and Associates have at most 300 employees (report §4.3)', () => {
    expect(eligibleAtHeadcount(bundled.roster, 300).memberships).toBeGreaterThan(60);
  });
  test('about 41 entities count as SMEs at 250 employees (fact 6.3)', () => {
    const e = eligibleAtHeadcount(bundled.roster, 250).entities;
    expect(e).toBeGreaterThanOrEqual(38);
    expect(e).toBeLessThanOrEqual(44);
  });
  test('117 exempt organizations and the 22 pilot participants (23 memberships) are in it', () => {
    const count = (cat: number) => bundled.roster.category.filter((c) => c === cat).length;
    expect(count(Cat.Exempt)).toBe(117);
    expect(count(Cat.SmePilot)).toBe(23);
    expect(new Set(textValues(bundled.roster.entity).filter((_, i) => bundled.roster.category[i] === Cat.SmePilot)).size).toBe(22);
  });
  test('the generator is deterministic: seed 2018 regenerates the bundled file byte for byte', () => {
    const pilots = parsePilotSmes(readFileSync(DEFAULTS.pilots, 'utf8'));
    expect(rosterCsv(synthesizeRoster(2018, countries, pilots, schedule.lowIncomeLimitUsd), 2018)).toBe(
      readFileSync(DEFAULTS.roster, 'utf8'),
    );
  });
  test('calibration holds for other seeds too (quotas are fixed, the seed places members)', () => {
    const pilots = parsePilotSmes(readFileSync(DEFAULTS.pilots, 'utf8'));
    for (const seed of [1, 7, 99]) {
      const rows = synthesizeRoster(seed, countries, pilots, schedule.lowIncomeLimitUsd);
      const small = rows.filter((r) => (r.category === Cat.SectorMember || r.category === Cat.Associate) && r.employees <= 300).length;
      expect(small).toBeGreaterThan(60);
    }
  });
  test('pilot participants are exactly the 22 of the report Annex', () => {
    const pilots = parsePilotSmes(readFileSync(resolve(DEFAULTS.pilots), 'utf8'));
    expect(pilots).toHaveLength(22);
    expect(pilots[7]!.name).toBe('ASTEM Co. Ltd.');
    expect(pilots[7]!.sectors).toEqual(['D', 'T']);
    expect(pilots[21]!.name).toBe('Archimède Solutions SARL');
  });
});
