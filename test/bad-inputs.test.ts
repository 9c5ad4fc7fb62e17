import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { cli } from './helpers.js';

const BAD = readdirSync(new URL('./fixtures/bad/', import.meta.url)).sort();

describe('bad scenario and roster corpus', () => {
  test('holds at least 50 files', () => expect(BAD.length).toBeGreaterThanOrEqual(50));
  test.each(BAD)('%s: exit 2, a located message, no stack trace', (name) => {
    const r = cli(['validate', `test/fixtures/bad/${name}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // every message names a file; all but "file not found" ones also a line
    expect(r.stderr).toMatch(/^test\/fixtures\/bad\/[\w.-]+(:\d+:\d+)? {2}\S/m);
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
    expect(r.stderr).toMatch(/problems? found; nothing was run/);
    // nothing a terminal would obey (escape sequences from labels, keys, cells), no internal error
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
  });
  test('all problems of a file come in one pass', () => {
    const r = cli(['validate', 'test/fixtures/bad/bad-distribution-sd.yaml']);
    expect(r.stderr).toContain('2 problems found');
  });
  test('a BOM and CRLF roster is read, and a bad row is named by its line', () => {
    expect(cli(['validate', 'test/fixtures/good/bom-crlf.csv']).code).toBe(0);
    expect(cli(['validate', 'test/fixtures/bad/bom-crlf-bad-row.csv']).stderr).toContain(
      'bom-crlf-bad-row.csv:3:10  row 3, column independent',
    );
  });
  test('--set values are validated like the file', () => {
    const r = cli(['run', 'scenarios/pp18-options.yaml', '--set', 'horizon.years=0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--set  horizon.years  out of range: expected a value in [1, 30], found 0');
  });
  test('a malformed flag is a usage error with exit 2', () => {
    const r = cli(['run', '--draws', 'many']);
    expect(r.code).toBe(2);
    // the flag and the value named once (commander's lead-in "option '--draws <n>' argument 'many' is invalid." dropped)
    expect(r.stderr.split('\n')[0]).toBe('error: --draws: expected a whole number in [0, 10000000], found "many"');
    for (const [flag, value] of [
      ['--seed', 'x'],
      ['--threads', '0'],
    ]) {
      const e = cli(['run', flag!, value!]);
      expect(e.code).toBe(2);
      expect(e.stderr.split(flag!).length - 1, e.stderr).toBe(1);
      expect(e.stderr.split(`"${value}"`).length - 1, e.stderr).toBe(1);
    }
  });
  test('a binary format without -o names -o once', () => {
    const r = cli(['export', 'scenarios/pp18-options.yaml', '--format', 'xlsx']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('-o  XLSX is binary: give an output file with -o results.xlsx');
  });
  test('a sweep of a key the scenario does not have names it once, without an empty path (": :")', () => {
    for (const args of [
      ['sweep', 'scenarios/pp18-options.yaml', '--param', 'nope', '--from', '0', '--to', '1', '--step', '1'],
      [
        'export',
        'scenarios/pp18-options.yaml',
        '--format',
        'md',
        '-o',
        '/tmp/feesim-never-written.md',
        '--sweep-param',
        'nope',
        '--from',
        '0',
        '--to',
        '1',
        '--step',
        '1',
      ],
    ]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('  nope  value 0: Unrecognized key: "nope"');
      expect(r.stderr).not.toContain(': :');
    }
  });
  test('every shipped scenario validates', () => {
    const files = readdirSync(new URL('../scenarios/', import.meta.url))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `scenarios/${f}`);
    const r = cli(['validate', ...files]);
    expect(r.code, r.stderr).toBe(0);
  });
});
