import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkSweepWork, sweepCost } from '../src/cli/limits.js';
import { escapeControl } from '../src/domain/text.js';
import { compileExpression, EXPRESSION_LIMITS, loadExpressionEngine } from '../src/engine/expr/compile-expression.js';
import { cli, HEADER } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'feesim-hard-'));
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

describe('only regular files are read, within a size limit', () => {
  test('a FIFO as --members or as the scenario is refused at once (exit 2), never blocks', () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'roster.csv'), join(dir, 's.yaml')]);
    const r = cli(['run', '--members', join(dir, 'roster.csv')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^--members {2}\S+ {2}roster is a FIFO \(named pipe\), not a regular file/m);
    const s = cli(['validate', join(dir, 's.yaml')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('is a FIFO');
  });
  test('a roster over the size limit names the limit and the flag that raises it', () => {
    const r = cli(['run', '--max-input-mb', '0.01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/roster \S+ is 0\.\d+ MB, over the 0\.010 MB limit for a roster file; raise it with --max-input-mb/);
    expect(cli(['validate', 'scenarios/pp18-options.yaml', '--max-input-mb', '64']).code).toBe(0);
    expect(cli(['run', '--max-input-mb', '0']).stderr).toContain('--max-input-mb: expected a positive number');
  });
  test('file contents never appear in messages', () => {
    for (const f of ['roster-etc-passwd.yaml', 'secret-as-roster.csv']) {
      const r = cli(['validate', `test/fixtures/bad/${f}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/root:|API_TOKEN|sk-live/);
    }
  });
});

describe('bounds without recursion limits', () => {
  test('a roster with 140,000 problems: exit 2, the first ones listed, the rest counted, no stack overflow', () => {
    const dir = tmp();
    const rows = Array.from({ length: 140_000 }, (_, k) => `X-${k},E${k},N,not-a-category,T,CHE,10,,,true,`);
    writeFileSync(join(dir, 'bad.csv'), `${HEADER}\n${rows.join('\n')}\n`);
    const r = cli(['validate', join(dir, 'bad.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Maximum call stack|internal error/);
    expect(r.stderr.split('\n').length).toBeLessThan(260);
    expect(r.stderr).toMatch(/… and 130,000 more problems in this file \(the first 10,000 are listed\)/);
    expect(r.stderr).toContain('… 9,800 more problems not shown');
  });
  test('expressions: 3,000 terms, deep brackets and deep trees are refused with the limit, without overflowing', async () => {
    await loadExpressionEngine();
    const long = Array(3000).fill('saving_share').join('+');
    expect(compileExpression(long).problems[0]).toContain(`at most ${EXPRESSION_LIMITS.length}`);
    const chain = Array(400).fill('1').join('+'); // 799 characters, a tree 400 deep
    expect(compileExpression(chain).problems[0]).toContain(`at most ${EXPRESSION_LIMITS.depth}`);
    expect(compileExpression(`${'('.repeat(33)}1${')'.repeat(33)}`).problems[0]).toContain('brackets nested 33 deep');
    expect(compileExpression('min(1, 0.2 + saving_share)').problems).toEqual([]);
  });
  test('draws × members and sweep grids are capped, with the limit in the message', () => {
    const d = cli(['run', '--draws', '10000000']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/^--draws {2}10000000 {2}1\.0e7 draws × 983 memberships = 9\.8e9 member-draws, over the limit of 2\.0e9/m);
    const g = cli([
      'sweep',
      '--param',
      'options.sme-category.eligibility.maxEmployees',
      '--from',
      '0',
      '--to',
      '100000',
      '--step',
      '1',
      '--param2',
      'options.sme-category.fee.T.developed',
      '--from2',
      '0',
      '--to2',
      '100000',
      '--step2',
      '1',
    ]);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain('100,001 × 100,001 = 1.0e10 cells, over the limit of 250,000 cells');
  });
});

describe('the sweep cap counts the work of the path that runs', () => {
  const SME_T = 'options.sme-category.eligibility.maxEmployees';
  test('cost by path: a threshold sweep is draws × memberships + thresholds × draws, a re-run cells × draws × memberships', () => {
    // issue 12's sweep: 10,000 × 983 + 501 × 10,000 = 14,840,000, far under 2e9 (the generic count would be 4.9e9)
    expect(sweepCost({ rows: 501, cols: 1, members: 983, draws: 10_000, fastPath: true }).cost).toBe(14_840_000);
    expect(sweepCost({ rows: 501, cols: 1, members: 983, draws: 10_000, fastPath: false }).cost).toBe(501 * 10_000 * 983);
    // a grid runs the fast path once per column
    expect(sweepCost({ rows: 501, cols: 4, members: 983, draws: 1000, fastPath: true }).cost).toBe(4 * (1000 * 983 + 501 * 1000));
    expect(sweepCost({ rows: 501, cols: 1, members: 983, fastPath: true }).cost).toBe(983 + 501);
    expect(() => checkSweepWork({ rows: 501, cols: 1, members: 983, draws: 10_000, fastPath: true })).not.toThrow();
    expect(() => checkSweepWork({ rows: 501, cols: 1, members: 983, draws: 10_000, fastPath: false })).toThrow(/over the limit of 2\.0e9/);
    expect(() => checkSweepWork({ rows: 1001, cols: 1, members: 983, draws: 100_000, fastPath: true })).toThrow(
      /984 threshold segments × 100,000 draws = 9\.8e7 samples kept per figure, over the limit of 2\.5e7/,
    );
  });
  test("issue 12's sweep (501 thresholds × 10,000 draws) is admitted; a truly huge one is still refused", () => {
    const ok = cli(
      ['sweep', 'scenarios/option-sme-category.yaml', '--param', SME_T, '--from', '0', '--to', '1000', '--step', '2'].concat([
        '--draws',
        '10000',
        '--seed',
        '1',
        '--json',
      ]),
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).sweep.rows).toHaveLength(501);
    const huge = cli(
      ['sweep', 'scenarios/option-sme-category.yaml', '--param', SME_T, '--from', '0', '--to', '100000', '--step', '1'].concat([
        '--draws',
        '100000',
        '--seed',
        '1',
      ]),
    );
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(
      /^--step {2}100,000 draws × 983 memberships \+ 100,001 thresholds × 100,000 draws = 1\.0e10 member-draws \(threshold fast path\), over the limit of 2\.0e9/m,
    );
    // a parameter that re-runs the model per value is counted per cell
    const rerun = cli(
      ['sweep', 'scenarios/option-sme-category.yaml', '--param', 'options.sme-category.fee.T.developed'].concat([
        '--from',
        '0',
        '--to',
        '1',
        '--step',
        '0.01',
        '--draws',
        '100000',
        '--seed',
        '1',
      ]),
    );
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toContain('101 cells × 100,000 draws × 983 memberships = 9.9e9 member-draws, over the limit of 2.0e9');
  });
});

describe('degenerate and non-finite values are input errors', () => {
  test('a truncated normal with no mass inside its bounds, given with --set, names the --set argument', () => {
    const r = cli([
      'run',
      '--draws',
      '100',
      '--seed',
      '1',
      '--set',
      'options.sme-category.switchPropensity={dist: normal, mean: 50, sd: 0.01, min: 0, max: 1}',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^--set {2}options\.sme-category\.switchPropensity\.mean {2}a normal with mean 50 and sd 0\.01 has almost no probability/m,
    );
  });
  test('a beta with an absurd shape (1e300: its draws were meaningless, exit 0) is an input error naming the field', () => {
    const r = cli([
      'validate',
      'scenarios/pp18-options.yaml',
      '--set',
      'options.sme-category.pilotConversionRate={dist: beta, alpha: 1e300, beta: 0}',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /pilotConversionRate\.alpha {2}expected 0 < alpha ≤ 1,000,000, found 1e\+300 \(a shape that large is a near-fixed value/,
    );
    expect(r.stderr).toMatch(/pilotConversionRate\.beta {2}expected 0 < beta ≤ 1,000,000, found 0 \(from --set/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
  test('an expression that divides by zero stops the run naming the --set argument', () => {
    const r = cli(['run', '--set', 'options.sme-category.switchPropensity=saving_share/0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^--set {2}options\.sme-category\.switchPropensity=saving_share\/0 {2}expression "saving_share\/0" gave Infinity/m,
    );
  });
});

describe('messages', () => {
  test('solve and tornado --option with an id that is not an option (constructor, __proto__, prototype, toString, unknown): exit 2 listing the ids', () => {
    for (const id of ['constructor', '__proto__', 'prototype', 'toString', 'no-such-option']) {
      for (const args of [
        ['solve', '--option', id, '--break-even', '0'],
        ['solve', '--option', id, '--neutral-fee'],
        ['tornado', '--option', id],
      ]) {
        const r = cli(args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(`^--option {2}unknown option "${id}"; options are sme-category, pay-as-you-go, extend-pilot, cease-pilot`, 'm'),
        );
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      }
    }
  });
  test('--set errors name the --set argument, not the file', () => {
    const r = cli(['run', '--set', 'horizn.years=3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--set {2}horizn {2}unknown key "horizn" \(did you mean "horizon"\?\) \(from --set horizn\.years=3\)/m);
    expect(r.stderr).not.toContain('pp18-options.yaml');
  });
  test('strict numbers for flags: 0x10, an empty --draws=, 1e3 for a count', () => {
    for (const args of [['--draws', '0x10'], ['--draws='], ['--draws', '1e3'], ['--seed', ' ']]) {
      const r = cli(['run', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/expected a whole number/);
    }
    expect(cli(['sweep', '--param', 'horizon.years', '--from', '0x1', '--to', '3', '--step', '1']).stderr).toContain(
      '--from: expected a decimal number, found "0x1"',
    );
  });
  test('unknown YAML tags and invalid UTF-8 are warned about', () => {
    const dir = tmp();
    writeFileSync(join(dir, 's.yaml'), `extends: ${process.cwd()}/scenarios/pp18-options.yaml\ntitle: !!js/function "x"\n`);
    const r = cli(['validate', join(dir, 's.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/s\.yaml:2:8 {2}\(document\) {2}warning: unknown YAML tag !!js\/function; its value is read as plain text/);
    const u = cli(['validate', 'test/fixtures/bad/invalid-utf8.csv']);
    expect(u.stderr).toContain('invalid-utf8.csv:2: not valid UTF-8');
  });
  test('terminal control characters in labels, titles and keys are shown escaped, never obeyed', () => {
    const r = cli(['run', '--set', 'title="\\e[2J\\e]0;pwned\\a"', '--set', 'options.sme-category.label="A\\e[31mB"']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('\\x1b[2J\\x1b]0;pwned\\x07');
    const k = cli(['validate', 'test/fixtures/bad/escape-unknown-key.yaml']);
    expect(k.stderr).not.toMatch(RAW_CONTROL);
    expect(k.stderr).toContain('unknown key "\\x1b]0;pwned\\x07\\x1b[2J"');
  });
  test('escapeControl keeps text, tabs and newlines; shows C0, C1, DEL and bidi controls', () => {
    expect(escapeControl('CHF 1\t2\nok')).toBe('CHF 1\t2\nok');
    expect(escapeControl('a\u001b[2Jb\r\u007f\u009b\u202e')).toBe('a\\x1b[2Jb\\r\\x7f\\x9b\\u202e');
    expect(escapeControl('x\ny', { newlines: false })).toBe('x\\ny');
  });
});
