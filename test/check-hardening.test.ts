import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { namesScenario, recordedScenarioPath } from '../src/cli/commands/check.js';
import { cli, feesimInProcess, ROOT } from './helpers.js';

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

describe('feesim check: an expected file recorded for another scenario', () => {
  const shipped = (name: string) => resolve(ROOT, 'test/expected', `${name}.expected`);
  const junitErrors = (file: string) => {
    const xml = readFileSync(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    return new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites;
  };

  test('--expected <file> of another scenario: not compared, both named, exit 2, a JUnit error', async () => {
    const dir = tmp();
    const junit = join(dir, 'j.xml');
    const r = await feesimInProcess([
      'check',
      'scenarios/option-cease-pilot.yaml',
      '--expected',
      'test/expected/option-extend-pilot.expected',
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      'scenarios/option-cease-pilot.yaml: test/expected/option-extend-pilot.expected was recorded for scenario scenarios/option-extend-pilot.yaml (line 3), not scenarios/option-cease-pilot.yaml: not compared',
    );
    expect(r.out).toMatch(/^0 passed, 0 failed, 1 scenario whose expected-results file names another scenario$/m);
    const doc = junitErrors(junit);
    expect(doc['@_errors']).toBe('1');
    const suite = doc.testsuite as { '@_name': string; testcase: { '@_name': string; error: { '@_message': string } } };
    expect(suite['@_name']).toBe('scenarios/option-cease-pilot.yaml');
    expect(suite.testcase['@_name']).toBe('scenario of the expected-results file');
    expect(suite.testcase.error['@_message']).toContain('recorded for scenario scenarios/option-extend-pilot.yaml');
  });

  test('a folder matched by name: the file whose scenario differs is reported, the others are still checked', async () => {
    const dir = tmp();
    // option-cease-pilot.expected holds option-extend-pilot's results (a file copied under the wrong name)
    copyFileSync(shipped('option-extend-pilot'), join(dir, 'option-cease-pilot.expected'));
    copyFileSync(shipped('option-extend-pilot'), join(dir, 'option-extend-pilot.expected'));
    const r = await feesimInProcess([
      'check',
      'scenarios/option-cease-pilot.yaml',
      'scenarios/option-extend-pilot.yaml',
      '--expected',
      dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(
      /^scenarios\/option-cease-pilot\.yaml: .*option-cease-pilot\.expected was recorded for scenario scenarios\/option-extend-pilot\.yaml/m,
    );
    expect(r.out).toMatch(/^scenarios\/option-extend-pilot\.yaml: \d+ metrics within tolerance$/m);
    expect(r.out).toMatch(/, 1 scenario whose expected-results file names another scenario$/m);
  });

  test('the same scenario written another way (as typed before paths were normalised, absolute) still matches', async () => {
    const dir = tmp();
    const file = join(dir, 'option-cease-pilot.expected');
    const text = readFileSync(shipped('option-cease-pilot'), 'utf8');
    for (const recorded of ['./scenarios/../scenarios/option-cease-pilot.yaml', resolve(ROOT, 'scenarios/option-cease-pilot.yaml')]) {
      writeFileSync(file, text.replace(/^# scenario: .*$/m, `# scenario: ${recorded}`));
      const r = await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file]);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).not.toContain('recorded for');
    }
    // a hand-written file without a # scenario: line is compared as before
    writeFileSync(file, text.replace(/^# scenario: .*\n/m, ''));
    expect((await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file])).code).toBe(0);
  });

  test('--update rewrites a file recorded for another scenario, says so on stderr, and records the scenario as before', async () => {
    const dir = tmp();
    const file = join(dir, 'x.expected');
    copyFileSync(shipped('option-extend-pilot'), file);
    const r = await feesimInProcess(['check', './scenarios/option-cease-pilot.yaml', '--expected', file, '--update']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'was recorded for scenarios/option-extend-pilot.yaml; --update rewrites it for scenarios/option-cease-pilot.yaml',
    );
    expect(r.out).toContain('- # scenario: scenarios/option-extend-pilot.yaml');
    // the path --update writes (relative to the expected file's folder here: a temporary folder outside any project)
    const line = `# scenario: ${recordedScenarioPath('scenarios/option-cease-pilot.yaml', file)}`;
    expect(r.out).toContain(`+ ${line}\n`);
    expect(readFileSync(file, 'utf8')).toContain(`\n${line}\n`);
    expect((await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file])).code).toBe(0);
  });

  test('two scenarios paired with one expected file: exit 2 before anything runs, the file untouched (also with --update)', async () => {
    const dir = tmp();
    const file = join(dir, 'one.expected');
    copyFileSync(shipped('option-extend-pilot'), file);
    const before = readFileSync(file, 'utf8');
    for (const extra of [[], ['--update']]) {
      const r = await feesimInProcess([
        'check',
        'scenarios/option-cease-pilot.yaml',
        'scenarios/option-extend-pilot.yaml',
        '--expected',
        file,
        ...extra,
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        'one expected-results file for 2 scenarios (scenarios/option-cease-pilot.yaml, scenarios/option-extend-pilot.yaml)',
      );
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
  });

  test('namesScenario: the normalised path, or any path to the same file; never another file', () => {
    const exp = resolve(ROOT, 'test/expected/pp18-options.expected');
    const sc = resolve(ROOT, 'scenarios/pp18-options.yaml');
    expect(namesScenario('scenarios/pp18-options.yaml', sc, exp)).toBe(true);
    expect(namesScenario('../../scenarios/pp18-options.yaml', sc, exp)).toBe(true); // relative to the expected file's folder
    expect(namesScenario(sc, 'scenarios/pp18-options.yaml', exp)).toBe(true);
    expect(namesScenario('scenarios/threshold-300.yaml', sc, exp)).toBe(false);
    expect(namesScenario('other/pp18-options.yaml', sc, exp)).toBe(false);
  });

  test('--junit onto an expected-results file of the check is refused (exit 2), the reviewed file untouched', async () => {
    const dir = tmp();
    const file = join(dir, 'option-cease-pilot.expected');
    copyFileSync(shipped('option-cease-pilot'), file);
    const before = readFileSync(file, 'utf8');
    for (const expected of [file, dir]) {
      const r = await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', expected, '--junit', file]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^--junit {2}.*option-cease-pilot\.expected {2}refusing to overwrite this run's expected-results file$/m);
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
    // --update writes no JUnit and may rewrite the file it reads
    expect((await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file, '--update'])).code).toBe(0);
  });
});

describe('feesim check: --set recorded by --update (red team F4)', () => {
  test('a --set holding a newline is refused (exit 2, naming the --set), nothing written: no forged metric line', async () => {
    const dir = tmp();
    const file = join(dir, 'x.expected');
    for (const ch of ['\n', '\r', '\t', '\u001b', '\u0085', '\u2028']) {
      const r = await feesimInProcess([
        'check',
        'scenarios/option-cease-pilot.yaml',
        '--expected',
        file,
        '--update',
        '--set',
        `title=x${ch}fake.metric 1`,
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^--set {2}title=x.*fake\.metric 1 {2}holds a control character/m);
      expect(existsSync(file)).toBe(false);
    }
  });
  test('a --set written with a YAML escape round-trips exactly: the later check applies the same value', async () => {
    const dir = tmp();
    const file = join(dir, 'x.expected');
    const set = 'title="x\\nfake.metric 1"';
    expect((await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file, '--update', '--set', set])).code).toBe(
      0,
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`\n# set: ${set}\n`);
    expect(text).not.toMatch(/^fake\.metric/m);
    const r = await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file]);
    expect(r.code, r.out).toBe(0);
    expect(r.err).toContain(`with the recorded --set ${set}`);
  });
  test('a recorded # set: line holding a control character is refused, located at its line', async () => {
    const dir = tmp();
    const file = join(dir, 'x.expected');
    expect((await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file, '--update'])).code).toBe(0);
    const text = readFileSync(file, 'utf8').replace(/^(# scenario: .*\n)/m, '$1# set: title=a\rb\n');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.startsWith('# set:')) + 1;
    const r = await feesimInProcess(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`x.expected:${line}:1  # set  a recorded --set holds a control character`);
  });
});

describe('feesim check: a scenario that fails to open (red team F6)', () => {
  test('is reported (located, on stderr), counted and a JUnit <error>; the others are still checked; exit 2', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'title: x\noptions: [\n');
    copyFileSync(resolve(ROOT, 'test/expected/option-cease-pilot.expected'), join(dir, 'option-cease-pilot.expected'));
    writeFileSync(join(dir, 'bad.expected'), 'baseline.feeIncome.2020 1\n');
    const junit = join(dir, 'j.xml');
    const r = await feesimInProcess(['check', bad, 'scenarios/option-cease-pilot.yaml', '--expected', dir, '--junit', junit]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:\d+:\d+ {2}\(document\) {2}YAML/);
    expect(r.out).toMatch(/bad\.yaml: not checked: an input problem/);
    expect(r.out).toMatch(/^scenarios\/option-cease-pilot\.yaml: \d+ metrics within tolerance$/m);
    expect(r.out).toMatch(/^\d+ passed, 0 failed, 1 scenario not checked for input errors$/m);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites;
    expect(doc['@_errors']).toBe('1');
    const suites = doc.testsuite as { '@_name': string; '@_errors'?: string; testcase: { error?: unknown } }[];
    const badSuite = suites.find((s) => s['@_name'].endsWith('bad.yaml'))!;
    expect(badSuite['@_errors']).toBe('1');
    expect(badSuite.testcase.error).toBeDefined();
    expect(suites.some((s) => s['@_name'] === 'scenarios/option-cease-pilot.yaml' && !s['@_errors'])).toBe(true);
  });
  test("a malformed expected file is that scenario's error; the others are still checked", async () => {
    const dir = tmp();
    copyFileSync(resolve(ROOT, 'test/expected/option-cease-pilot.expected'), join(dir, 'option-cease-pilot.expected'));
    writeFileSync(join(dir, 'threshold-300.expected'), 'not a metric line at all\n');
    const r = await feesimInProcess(['check', 'scenarios/threshold-300.yaml', 'scenarios/option-cease-pilot.yaml', '--expected', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/threshold-300\.expected:1/);
    expect(r.out).toMatch(/^scenarios\/option-cease-pilot\.yaml: \d+ metrics within tolerance$/m);
    expect(r.out).toMatch(/1 scenario not checked for input errors/);
  });
  test('--update --junit says on stderr that no JUnit is written, and writes none', async () => {
    const dir = tmp();
    const junit = join(dir, 'j.xml');
    const r = await feesimInProcess([
      'check',
      'scenarios/option-cease-pilot.yaml',
      '--expected',
      join(dir, 'x.expected'),
      '--update',
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/--junit .*j\.xml: not written: check --update compares nothing/);
    expect(existsSync(junit)).toBe(false);
  });
});
