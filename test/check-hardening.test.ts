import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { recordedScenarioPath } from '../src/cli/commands/check.js';
import { cli, ROOT } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'feesim-check-'));

describe('feesim check (issue 11)', () => {
  test('a scenario without an expected file is reported (and in JUnit) while the others are still checked', () => {
    const dir = tmp();
    const junit = join(dir, 'j.xml');
    const r = cli(['check', 'scenarios/option-cease-pilot.yaml', 'scenarios/pp18-options.yaml', '--expected', dir, '--junit', junit]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('scenarios/option-cease-pilot.yaml: no expected-results file');
    const x = cli(['check', 'scenarios/option-cease-pilot.yaml', '--expected', dir, '--update']);
    expect(x.code).toBe(0);
    const again = cli(['check', 'scenarios/option-cease-pilot.yaml', 'scenarios/pp18-options.yaml', '--expected', dir, '--junit', junit]);
    expect(again.code).toBe(2);
    expect(again.stdout).toMatch(/^scenarios\/option-cease-pilot\.yaml: \d+ metrics within tolerance$/m);
    expect(again.stdout).toMatch(/^scenarios\/pp18-options\.yaml: no expected-results file .*pp18-options\.expected/m);
    expect(again.stdout).toMatch(/1 scenario without an expected-results file/);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const suites = doc.testsuites.testsuite as { '@_name': string; '@_errors'?: string }[];
    expect(suites.map((s) => s['@_name'])).toEqual(['scenarios/option-cease-pilot.yaml', 'scenarios/pp18-options.yaml']);
    expect(suites[1]!['@_errors']).toBe('1');
    expect(doc.testsuites['@_errors']).toBe('1');
  });
  test('--update records the scenario path the same way however it was typed', () => {
    const dir = tmp();
    const file = join(dir, 'x.expected');
    const lines = [
      'scenarios/option-cease-pilot.yaml',
      './scenarios/../scenarios/option-cease-pilot.yaml',
      resolve(ROOT, 'scenarios/option-cease-pilot.yaml'),
    ].map((typed) => {
      expect(cli(['check', typed, '--expected', file, '--update']).code).toBe(0);
      return /^# scenario: .*$/m.exec(readFileSync(file, 'utf8'))![0];
    });
    expect(new Set(lines).size).toBe(1);
  });
  test('the recorded path is relative to the project holding the expected file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'package.json'), '{}');
    mkdirSync(join(dir, 'scenarios'));
    mkdirSync(join(dir, 'test', 'expected'), { recursive: true });
    expect(recordedScenarioPath(join(dir, 'scenarios', 'a.yaml'), join(dir, 'test', 'expected', 'a.expected'))).toBe('scenarios/a.yaml');
    expect(recordedScenarioPath(resolve(ROOT, 'scenarios/pp18-options.yaml'), resolve(ROOT, 'test/expected/pp18-options.expected'))).toBe(
      'scenarios/pp18-options.yaml',
    );
  });
  test('--update --set records the overrides; a later check without --set applies them', () => {
    const dir = tmp();
    const file = join(dir, 'x.expected');
    const set = ['--set', 'options.cease-pilot.joinAssociate=0.2', '--set', 'options.cease-pilot.leave=0.45'];
    expect(cli(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file, '--update', ...set]).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# scenario: .*\n# set: options\.cease-pilot\.joinAssociate=0\.2\n# set: options\.cease-pilot\.leave=0\.45\n/m);
    const r = cli(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stderr).toContain('with the recorded --set options.cease-pilot.joinAssociate=0.2 --set options.cease-pilot.leave=0.45');
  });
});
