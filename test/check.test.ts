import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { cli } from './helpers.js';

describe('feesim check', () => {
  test('the shipped scenarios match their reviewed expected results', () => {
    const r = cli(['check', 'scenarios/pp18-options.yaml', 'scenarios/threshold-300.yaml', '--expected', 'test/expected']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
  test('a small change to a model parameter fails, naming the metric that moved; JUnit names it too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-'));
    const junit = join(dir, 'report.xml');
    const r = cli([
      'check',
      'scenarios/option-sme-category.yaml',
      '--expected',
      'test/expected',
      '--set',
      'options.sme-category.adminCostPerMember=501',
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/sme-category\.total\.adminCosts\s+\S+\s+\S+\s+\S+\s+\S+/);
    expect(r.stdout).toContain('sme-category.total.net');
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const cases = doc.testsuites.testsuite.testcase as { '@_name': string; failure?: unknown }[];
    const failed = cases.filter((c) => c.failure).map((c) => c['@_name']);
    expect(failed).toContain('sme-category.total.adminCosts');
    expect(failed).not.toContain('baseline.feeIncome.2020');
  });
  test('--update rewrites the file and shows the diff; tolerances on lines are kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-'));
    const file = join(dir, 'x.expected');
    expect(cli(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file, '--update']).code).toBe(0);
    const text = readFileSync(file, 'utf8').replace(/^(cease-pilot\.total\.net\s+\S+)$/m, '$1 abs=50000');
    require('node:fs').writeFileSync(file, text);
    // 0.15 -> 0.2 of 23 participants joining as Associates moves the net by less than CHF 50,000 over 4 years
    const moved = cli([
      'check',
      'scenarios/option-cease-pilot.yaml',
      '--expected',
      file,
      '--set',
      'options.cease-pilot.joinAssociate=0.2',
      '--set',
      'options.cease-pilot.leave=0.45',
    ]);
    expect(moved.code).toBe(1);
    expect(moved.stdout).not.toMatch(/^cease-pilot\.total\.net /m);
    const upd = cli([
      'check',
      'scenarios/option-cease-pilot.yaml',
      '--expected',
      file,
      '--update',
      '--set',
      'options.cease-pilot.joinAssociate=0.2',
      '--set',
      'options.cease-pilot.leave=0.45',
    ]);
    expect(upd.stdout).toMatch(/^- cease-pilot\.total\.gained/m);
    expect(upd.stdout).toMatch(/^\+ cease-pilot\.total\.gained/m);
    expect(readFileSync(file, 'utf8')).toMatch(/^cease-pilot\.total\.net\s+\S+ abs=50000$/m);
  });
  test('a malformed expected file is an input error (exit 2) naming file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-'));
    const file = join(dir, 'bad.expected');
    require('node:fs').writeFileSync(file, '# draws: 0\nfoo.bar notanumber\n');
    const r = cli(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.expected:2:1 {2}foo\.bar {2}expected "<metric> <number>/);
  });
});
