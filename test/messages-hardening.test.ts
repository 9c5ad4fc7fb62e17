import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { shownSetArg } from '../src/scenario/load-scenario.js';
import { cli, feesimInProcess } from './helpers.js';

/**
 * Issue 11, messages. "Terminal control characters escaped in every human-readable output": stderr
 * carries only messages, so every line written there shows control characters from inputs instead of
 * obeying them — on a terminal and in a log file alike — not only the messages that escaped them one
 * by one (found in session 4: `feesim verify` printed a path read from the document it checks, an
 * untrusted file, raw). And a --set argument is named in a message cut to 120 characters, with its
 * length (it was repeated whole, twice for a long title).
 */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const EVIL = '\u001b]0;pwned\u0007\u001b[2J';

describe('stderr never carries raw control characters', () => {
  test('verify: a document whose recorded scenario path holds escape sequences', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-esc-'));
    const r = cli(['run', 'scenarios/option-cease-pilot.yaml', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const p = doc.provenance;
    const file = `${EVIL}.yaml`;
    p.argv = p.argv.map((a: string) => (a.endsWith('option-cease-pilot.yaml') ? file : a));
    p.scenarios[0].file = file;
    p.scenarios[0].inputs[0].path = file;
    const evil = join(dir, 'evil.json');
    writeFileSync(evil, JSON.stringify(doc));
    expect(readFileSync(evil, 'utf8')).toContain('\\u001b'); // the JSON holds the escapes as \u001b, read back as ESC
    const v = cli(['verify', evil]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('\\x1b]0;pwned\\x07\\x1b[2J.yaml');
    expect(v.stderr).not.toMatch(RAW_CONTROL);
  });

  test('check: a recorded --set holding escape sequences is refused, shown escaped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-esc-'));
    const file = join(dir, 'x.expected');
    expect(cli(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file, '--update']).code).toBe(0);
    const text = readFileSync(file, 'utf8').replace(/^(# scenario: .*\n)/m, `$1# set: title=${EVIL}\n`);
    writeFileSync(file, text);
    const r = cli(['check', 'scenarios/option-cease-pilot.yaml', '--expected', file]);
    // it would not apply as recorded (docs/outputs.md): refused at its line, the character named
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.expected:4:1 {2}# set {2}a recorded --set holds a control character \(\\x1b\)/);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  test('commander: an unknown option holding escape sequences', () => {
    const r = cli(['run', `--${EVIL}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\\x1b]0;pwned');
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('a long --set argument is cut in messages, with its length', () => {
  test('an expression of 3,000 terms, a 100,000-character title, a malformed argument', async () => {
    const expr = Array.from({ length: 3000 }, () => '1').join('+');
    const long = 'x'.repeat(100_000);
    const cases = [
      { set: `options.sme-category.switchPropensity=${expr}`, message: 'expression is 5999 characters long' },
      { set: `title=${long}`, message: 'text of 100,000 characters' },
      { set: long, message: 'expected path=value' },
    ];
    for (const c of cases) {
      const r = await feesimInProcess(['run', 'scenarios/option-sme-category.yaml', '--set', c.set]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(c.message);
      expect(r.err).toContain(`… (${c.set.length.toLocaleString('en-US')} characters)`);
      expect(r.err.length).toBeLessThan(600);
    }
  });
  test('shownSetArg keeps an argument of up to 120 characters whole', () => {
    const a = `title=${'y'.repeat(114)}`;
    expect(shownSetArg(a)).toBe(a);
    expect(shownSetArg(`${a}z`)).toBe(`${a.slice(0, 100)}… (121 characters)`);
  });
});

describe('a problem line longer than 1,000 characters is cut in the middle, with its length', () => {
  test('a 100,000-character --baseline, solve --option and sweep --param', async () => {
    const long = 'x'.repeat(100_000);
    for (const args of [
      ['run', 'scenarios/option-cease-pilot.yaml', '--baseline', long],
      ['solve', 'scenarios/option-cease-pilot.yaml', '--option', long],
      ['sweep', 'scenarios/option-cease-pilot.yaml', '--param', long, '--from', '0', '--to', '1', '--step', '1'],
    ]) {
      const r = await feesimInProcess(args);
      expect(r.code).toBe(2);
      const first = r.err.split('\n')[0]!;
      expect(first.length).toBeLessThanOrEqual(1000);
      expect(first).toMatch(/ … \(\d{3},\d{3} characters in all\) … /);
      expect(r.err).toMatch(/^1 problem found; nothing was run\.$/m);
    }
    // its start (where) and its end (the message) are kept
    const s = await feesimInProcess(['solve', 'scenarios/option-cease-pilot.yaml', '--option', long]);
    expect(s.err).toMatch(/^--option {2}unknown option "x+ … \(/);
    expect(s.err).toContain('cease-pilot\n');
  });
});

describe('a flag and its value are named once (session 6: `--step  --step`, `--members  r.csv  roster r.csv …`)', () => {
  const S = 'scenarios/option-cease-pilot.yaml';
  test('flags whose message says all: the flag, then the message', async () => {
    for (const [args, line] of [
      [
        ['sweep', S, '--param', 'options.cease-pilot.pilotCostChf', '--from', '2', '--to', '1', '--step', '1'],
        '--to  expected --to ≥ --from, found 1 < 2',
      ],
      [
        ['sweep', S, '--param', 'options.cease-pilot.pilotCostChf', '--from', '1', '--to', '2', '--step', '0'],
        '--step  expected a positive step, found 0',
      ],
      [['schema', '--result', 'nope'], '--result  expected one of run, sweep, sweep-grid, tornado, solve, found "nope"'],
      [['export', S, '--format', 'md', '--charts'], '--charts  charts are files: give -o results.md or -o results.xlsx'],
      [['export', S, '--format', 'md', '--columns', 'nope', '-o', 'x.md'], '--columns  unknown column "nope"'],
    ] as const) {
      const r = await feesimInProcess([...args]);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')[0]).toMatch(new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  test('--members: the path once, after the flag (not found, over the size limit, a roster with problems)', () => {
    const missing = cli(['run', S, '--members', 'no-such-roster.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('--members  no-such-roster.csv  roster not found');
    const big = cli(['run', S, '--members', 'data/roster-synthetic.csv', '--max-input-mb', '0.03']);
    expect(big.code).toBe(2);
    expect(big.stderr.split('\n')[0]).toBe(
      '--members  data/roster-synthetic.csv  roster is 0.072 MB, over the 0.030 MB limit for a roster file; raise it with --max-input-mb (or FEESIM_MAX_INPUT_MB)',
    );
    // a limit under a kilobyte is shown in bytes, not as "0.000 MB" (here the scenario file is over it)
    const tiny = cli(['run', S, '--max-input-mb', '0.0001']);
    expect(tiny.stderr).toMatch(
      /^scenarios\/option-cease-pilot\.yaml {2}\(document\) {2}scenario file is \d+ bytes, over the 104 bytes limit/m,
    );
    const bad = cli(['run', S, '--members', 'test/fixtures/bad/short-row.csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('\n--members  test/fixtures/bad/short-row.csv  the roster named here has the problems above\n');
    // a scenario line that names the roster still names the file in the message (the place shows the key)
    const named = cli(['validate', 'test/fixtures/bad/roster-file-missing.yaml']);
    expect(named.stderr).toMatch(/roster-file-missing\.yaml:\d+:\d+ {2}roster {2}roster \S+missing-roster\.csv not found/);
  });

  test('-o and --junit: the flag, the path once, the reason', () => {
    const o = cli(['export', S, '--format', 'md', '-o', 'no-such-folder/x.md']);
    expect(o.code).toBe(2);
    expect(o.stderr.split('\n')[0]).toBe('-o  no-such-folder/x.md  cannot write here: folder no-such-folder does not exist (ENOENT)');
    const j = cli(['check', S, '--expected', 'test/expected', '--junit', S]);
    expect(j.code).toBe(2);
    expect(j.stderr.split('\n')[0]).toBe(`--junit  ${S}  refusing to overwrite this run's scenario`);
  });
});
