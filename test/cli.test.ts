import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, ROOT } from './helpers.js';

describe('feesim run', () => {
  test('--json prints exactly one versioned document with provenance', () => {
    const r = cli(['run', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(2);
    expect(doc.document).toBe('feesim-run');
    expect(doc.provenance.tool).toEqual({ name: 'feesim', version: '0.1.0' });
    expect(doc.provenance.roster.synthetic).toBe(true);
    expect(doc.provenance.scenarios[0].resolvedSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.provenance.command).toBe('feesim run scenarios/pp18-options.yaml --json');
    expect(doc.arms.map((a: { total: { net: number } }) => a.total.net)).toEqual(
      [...doc.arms.map((a: { total: { net: number } }) => a.total.net)].sort((a, b) => b - a),
    );
    expect(r.stdout).not.toMatch(/\u001B/);
  });
  test('the same seed gives byte-identical JSON; another seed changes the intervals', () => {
    const a = cli(['run', '--json', '--draws', '300', '--seed', '42']);
    const b = cli(['run', '--json', '--draws', '300', '--seed', '42']);
    const c = cli(['run', '--json', '--draws', '300', '--seed', '43']);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(c.stdout).monteCarlo.arms[0].total.p5).not.toBe(JSON.parse(a.stdout).monteCarlo.arms[0].total.p5);
  });
  test('worker threads give the same result as one thread, byte for byte', () => {
    // --threads 2: the worker starts before the scenario is opened and takes the second half of the
    // draws (run.ts startEarly); --threads 3: three workers after it is opened (runMonteCarloParallel)
    const one = cli(['run', '--json', '--draws', '1501', '--seed', '8', '--threads', '1']);
    for (const threads of ['2', '3']) {
      const r = cli(['run', '--json', '--draws', '1501', '--seed', '8', '--threads', threads]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(one.stdout);
    }
    const md = (threads: string) => cli(['export', '--format', 'md', '--draws', '1501', '--seed', '8', '--threads', threads]);
    expect(md('2').stdout).toBe(md('1').stdout);
  });
  test('a run whose worker started early still says which seed it chose, once, and reproduces', () => {
    const a = cli(['run', '--json', '--draws', '400', '--threads', '2']);
    expect(a.stderr.match(/seed: \d+/g)).toHaveLength(1);
    const seed = /seed: (\d+)/.exec(a.stderr)![1]!;
    expect(cli(['run', '--json', '--draws', '400', '--threads', '1', '--seed', seed]).stdout).toBe(a.stdout);
  });
  test('a scenario that fails to open stops the early worker: exit 2 at once, no output', () => {
    const r = cli(['run', 'test/fixtures/bad/does-not-exist.yaml', '--json', '--draws', '100000', '--threads', '2']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/does-not-exist\.yaml.*not found/);
    // no "seed: …" line for a run that never started (run and export print a chosen seed once the scenario has opened)
    expect(r.stderr).not.toContain('seed:');
    const e = cli(['export', 'test/fixtures/bad/does-not-exist.yaml', '--format', 'md', '--draws', '100']);
    expect(e.code).toBe(2);
    expect(e.stderr).not.toContain('seed:');
  });
  test('without --seed a seed is chosen and printed, and reproduces the run', () => {
    const a = cli(['run', '--json', '--draws', '200']);
    const seed = /seed: (\d+)/.exec(a.stderr)?.[1];
    expect(seed).toBeDefined();
    expect(cli(['run', '--json', '--draws', '200', '--seed', seed!]).stdout).toBe(a.stdout);
  });
  test('--members replaces the roster and the provenance says so', () => {
    const r = cli(['run', '--json', '--members', 'test/fixtures/good/bom-crlf.csv']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).provenance.roster).toMatchObject({ synthetic: false, memberships: 1 });
  });
  test('explain names the eligibility tests and the fees', () => {
    const r = cli(['explain', '--member', 'T-0005']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fee today: CHF 10,600');
    expect(r.stdout).toMatch(/headcount 21 ≤ 250: yes/);
    expect(cli(['explain', '--member', 'nobody']).code).toBe(2);
  });
  test('stdout redirected to a file or /dev/null (written natively, io.ts) gets the bytes a pipe gets', () => {
    // the text tables hold non-ASCII characters (…, ×, –): an encoding slip would show
    const args = [resolve(ROOT, 'bin/feesim.mjs'), 'run', 'scenarios/pp18-options.yaml'];
    const piped = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    expect(piped.stdout).toMatch(/[^\x00-\x7f]/);
    const dir = mkdtempSync(join(tmpdir(), 'feesim-stdout-'));
    try {
      const file = join(dir, 'out.txt');
      const fd = openSync(file, 'w');
      const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', fd, 'pipe'] });
      closeSync(fd);
      expect(r.status).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const devNull = spawnSync(process.execPath, [...args, '--json'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    expect(devNull.status).toBe(0);
    expect(devNull.stderr.toString()).toBe('');
  });
  test('a broken pipe ends quietly (feesim export … --format json | head -1)', () => {
    // the document is larger than a pipe buffer, so the writer meets EPIPE after head exits
    const r = spawnSync(
      'bash',
      [
        '-c',
        `${process.execPath} bin/feesim.mjs export scenarios/pp18-options.yaml --format json | head -1; echo "status \${PIPESTATUS[0]}"`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stdout).toMatch(/^\{\nstatus 0\n$/);
    expect(r.stderr).toBe('');
  });
  test('Ctrl+C during a long Monte Carlo run stops with 130', async () => {
    // no --seed: the CLI prints the seed it chose on stderr just before the Monte Carlo starts, by which
    // time its SIGINT handler is installed; that line, not a fixed delay, says the run is under way
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/feesim.mjs'), 'run', '--draws', '2000000'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    let stderr = '';
    await new Promise<void>((ready, fail) => {
      child.stderr!.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/^seed: \d+/m.test(stderr)) ready();
      });
      exited.then((c) => fail(new Error(`exited ${c} before the Monte Carlo started: ${stderr}`)));
    });
    const t = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - t).toBeLessThan(5000);
  });
  test('--help leads with examples and exit codes', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 check found a regression, 2 usage or input error');
  });
});

describe('sweeps, tornado and solvers from the command line', () => {
  test('a sweep prints one row per step; a grid prints a heat map', () => {
    const s = cli([
      'sweep',
      'scenarios/option-sme-category.yaml',
      '--param',
      'options.sme-category.eligibility.maxEmployees',
      '--from',
      '0',
      '--to',
      '300',
      '--step',
      '100',
    ]);
    expect(s.code).toBe(0);
    expect(s.stdout.split('\n').filter((l) => /^\d+\s+1\. SME/.test(l))).toHaveLength(4);
    const g = cli([
      'sweep',
      'scenarios/option-sme-category.yaml',
      '--param',
      'options.sme-category.eligibility.maxEmployees',
      '--from',
      '0',
      '--to',
      '300',
      '--step',
      '100',
      '--param2',
      'options.sme-category.fee.T.developed',
      '--from2',
      '0.03125',
      '--to2',
      '0.125',
      '--step2',
      '0.03125',
    ]);
    expect(g.code).toBe(0);
    expect(g.stdout).toContain('Legend:');
  });
  test('a bad sweep parameter is an input error', () => {
    const r = cli(['sweep', '--param', 'options.nope.x', '--from', '0', '--to', '1', '--step', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--param');
  });
  test('a threshold sweep refuses the thresholds run refuses: a fraction, a negative headcount (as --set does)', () => {
    const P = ['sweep', 'scenarios/option-sme-category.yaml', '--param', 'options.sme-category.eligibility.maxEmployees'];
    const half = cli([...P, '--from', '9', '--to', '11', '--step', '0.5']);
    expect(half.code).toBe(2);
    expect(half.stdout).toBe('');
    expect(half.stderr).toContain('value 9.5: expected a whole number, found 9.5');
    const negative = cli([...P, '--from', '-20', '--to', '0', '--step', '10']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('value -20: out of range');
    // the same values through run --set: refused alike
    expect(cli(['run', 'scenarios/option-sme-category.yaml', '--set', 'options.sme-category.eligibility.maxEmployees=9.5']).code).toBe(2);
    // whole numbers in range still sweep: one row per threshold, each labelled with its own value
    const ok = JSON.parse(cli([...P, '--from', '9', '--to', '11', '--step', '1', '--json']).stdout);
    expect(ok.sweep.rows.map((r: { valueText: string }) => r.valueText)).toEqual(['9', '10', '11']);
  });
  test('an -o whose ending names no format is named as -o, with what was found', () => {
    const r = cli(['run', '-o', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^-o\s+x\.yaml\s+expected a file ending in \.csv\|\.md\|\.xlsx\|\.json/m);
    const none = cli(['export', 'scenarios/pp18-options.yaml']);
    expect(none.stderr).toMatch(/^--format\s+\(not given\)\s+expected --format csv\|md\|xlsx\|json/m);
  });
  test('tornado and solve run', () => {
    expect(cli(['tornado', '--option', 'sme-category']).stdout).toContain('switchPropensity');
    const s = cli(['solve', '--option', 'sme-category', '--break-even', '500000', '--json']);
    expect(JSON.parse(s.stdout).breakEvenThreshold.threshold).toBeGreaterThanOrEqual(0);
  });
});

describe('threads a Monte Carlo uses by default (cli/threads.ts threadsFor)', () => {
  test("one below 50,000 draws, every core (at most 8) from there; the doc's examples", async () => {
    const { threadsFor, PARALLEL_FROM_DRAWS } = await import('../src/cli/threads.js');
    expect(threadsFor(10_000, 2)).toBe(1);
    expect(threadsFor(50_000, 16)).toBe(8);
    expect(threadsFor(PARALLEL_FROM_DRAWS - 1, 16)).toBe(1);
    expect(threadsFor(PARALLEL_FROM_DRAWS, 2)).toBe(2);
    expect(threadsFor(PARALLEL_FROM_DRAWS, 1)).toBe(1);
  });
});
