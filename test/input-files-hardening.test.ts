import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, PROTOTYPE_GUARD, ROOT } from './helpers.js';

/**
 * Issue 11, "only regular files are read": the files `check` compares with and the inputs `verify`
 * re-reads from a document's record (paths an untrusted document chooses) go through the same reader
 * as scenarios and rosters. Found in session 4: `check --expected <FIFO>` waited forever and ignored
 * SIGTERM and Ctrl+C; `--expected /dev/zero`, or a document naming /dev/zero as its roster, read
 * without end; so did a CSV set whose provenance.json names ../../dev/zero, or a FIFO in place of a
 * table. Each run here is killed after 30 s, so a regression fails instead of hanging the suite.
 */
function feesim(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', PROTOTYPE_GUARD, resolve(ROOT, 'bin/feesim.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, CI: 'true' },
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'feesim-inputs-'));

describe('check: an expected-results file that is not a regular file', () => {
  test('a FIFO (given, or matched by name in a folder) and a device: exit 2 at once, naming it', () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'fifo.expected'), join(dir, 'option-cease-pilot.expected')]);
    for (const expected of [join(dir, 'fifo.expected'), dir, '/dev/zero']) {
      const r = feesim(['check', 'scenarios/option-cease-pilot.yaml', '--expected', expected]);
      expect(r.signal, `${expected} was not answered`).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/ {2}\(document\) {2}expected-results file is (a FIFO \(named pipe\)|a device), not a regular file$/m);
    }
  });
});

describe('verify: a recorded input that is not a regular file', () => {
  test('a document naming a FIFO or /dev/zero as its roster: exit 2 at once, naming the input', () => {
    const dir = tmp();
    const doc = JSON.parse(cli(['run', 'scenarios/option-cease-pilot.yaml', '--json']).stdout);
    const roster = doc.provenance.scenarios[0].inputs.find((i: { role: string }) => i.role === 'roster');
    execFileSync('mkfifo', [join(dir, 'fifo.csv')]);
    for (const path of [join(dir, 'fifo.csv'), '/dev/zero']) {
      roster.path = path;
      writeFileSync(join(dir, 'doc.json'), JSON.stringify(doc));
      expect(readFileSync(join(dir, 'doc.json'), 'utf8')).toContain(path);
      const r = feesim(['verify', join(dir, 'doc.json')]);
      expect(r.signal, `${path} was not answered`).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `input ${path} (roster) is ${path.endsWith('.csv') ? 'a FIFO (named pipe)' : 'a device'}, not a regular file`,
      );
    }
    // the document itself: a FIFO is named as what it is
    const f = feesim(['verify', join(dir, 'fifo.csv')]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('is a FIFO (named pipe), not a file feesim wrote');
  });

  test("a CSV set's sidecar naming a path outside the set, or a FIFO in place of a table: named, never read", () => {
    const dir = tmp();
    const w = cli(['export', 'scenarios/option-cease-pilot.yaml', '--format', 'csv', '-o', join(dir, 'out.csv')]);
    expect(w.code, w.stderr).toBe(0);
    const copy = (name: string) => {
      cpSync(join(dir, 'out'), join(dir, name), { recursive: true, dereference: true });
      return join(dir, name);
    };
    const outside = copy('outside');
    const sidecar = JSON.parse(readFileSync(join(outside, 'provenance.json'), 'utf8'));
    sidecar.files[0].file = '../../../../../../../../dev/zero';
    writeFileSync(join(outside, 'provenance.json'), JSON.stringify(sidecar));
    const o = feesim(['verify', outside]);
    expect(o.signal).toBeNull();
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('provenance.json lists "../../../../../../../../dev/zero", not a file name of the set');
    const fifo = copy('fifo');
    const table = readdirSync(fifo).find((f) => f.endsWith('.csv'))!;
    rmSync(join(fifo, table));
    execFileSync('mkfifo', [join(fifo, table)]);
    const f = feesim(['verify', fifo]);
    expect(f.signal).toBeNull();
    expect(f.code).toBe(1);
    expect(f.stdout).toContain(`${table} is a FIFO (named pipe), not a file feesim wrote`);
  });
});
