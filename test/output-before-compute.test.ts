import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { forgetInputs } from '../src/cli/atomic-write.js';
import { feesimInProcess, ROOT } from './helpers.js';

// an in-process spy on the first step of every computation: compiling the scenario into a model
// (before the deterministic run, the finite-value check and any Monte Carlo)
const compiled = vi.hoisted(() => ({ count: 0, runs: 0 }));
vi.mock('../src/engine/model.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/engine/model.js')>();
  return {
    ...real,
    compileModel: (...args: Parameters<typeof real.compileModel>) => {
      compiled.count++;
      return real.compileModel(...args);
    },
  };
});

// and on the run of an opened scenario (deterministic run, then the Monte Carlo: run.ts computeRun)
vi.mock('../src/cli/commands/run.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/cli/commands/run.js')>();
  return {
    ...real,
    computeRun: (...args: Parameters<typeof real.computeRun>) => {
      compiled.runs++;
      return real.computeRun(...args);
    },
  };
});

/** A scenario extending a shipped one, and a copy of the synthetic roster, in a fresh folder. */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'feesim-o-first-'));
  const scenario = join(dir, 'child.yaml');
  writeFileSync(scenario, `extends: ${JSON.stringify(resolve(ROOT, 'scenarios/option-cease-pilot.yaml'))}\ntitle: child\n`);
  const roster = join(dir, 'roster.csv');
  copyFileSync(resolve(ROOT, 'data/roster-synthetic.csv'), roster);
  return { dir, scenario, roster };
}

describe("-o naming one of the run's inputs is refused before anything is computed (red team F5)", () => {
  beforeEach(() => {
    compiled.count = 0;
    compiled.runs = 0;
    forgetInputs(); // helpers.ts read the bundled tables when it was imported: not inputs of these runs
  });
  test('export -o <the bundled country table>: exit 2, no model compiled, no Monte Carlo', async () => {
    const before = readFileSync(resolve(ROOT, 'data/countries.csv'));
    const r = await feesimInProcess([
      'export',
      'scenarios/pp18-options.yaml',
      '--draws',
      '300000',
      '--seed',
      '1',
      '--format',
      'md',
      '-o',
      'data/countries.csv',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("-o  data/countries.csv  refusing to overwrite this run's country table");
    expect(compiled.count).toBe(0);
    expect(readFileSync(resolve(ROOT, 'data/countries.csv'))).toEqual(before);
  });
  test('run -o <the --members roster>, export -o <the scenario>: refused uncomputed, the file untouched', async () => {
    const { scenario, roster } = fixture();
    const rosterText = readFileSync(roster, 'utf8');
    const a = await feesimInProcess([
      'run',
      scenario,
      '--members',
      roster,
      '--draws',
      '2000',
      '--seed',
      '1',
      '--format',
      'md',
      '-o',
      roster,
    ]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/refusing/);
    const b = await feesimInProcess(['export', scenario, '--format', 'md', '-o', scenario]);
    expect(b.code).toBe(2);
    expect(b.err).toContain("refusing to overwrite this run's scenario");
    expect(compiled.count).toBe(0);
    expect(compiled.runs).toBe(0);
    expect(readFileSync(roster, 'utf8')).toBe(rosterText);
  });
  test('export and brief of two scenarios whose second one is named by -o: the first is opened, not run', async () => {
    const { scenario } = fixture();
    const r = await feesimInProcess([
      'export',
      'scenarios/pp18-options.yaml',
      scenario,
      '--draws',
      '2000',
      '--format',
      'md',
      '-o',
      scenario,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("refusing to overwrite this run's scenario");
    const b = await feesimInProcess(['brief', 'scenarios/pp18-options.yaml', scenario, '--draws', '2000', '-o', scenario]);
    expect(b.code).toBe(2);
    expect(b.err).toContain("refusing to overwrite this run's scenario");
    expect(compiled.runs).toBe(0);
  });
  test('brief -o and chart -o onto an input, check --junit onto a roster: refused uncomputed', async () => {
    const { dir, roster } = fixture();
    const svg = join(dir, 'roster.svg');
    copyFileSync(roster, svg);
    const brief = await feesimInProcess(['brief', 'scenarios/option-cease-pilot.yaml', '--members', roster, '-o', roster]);
    expect(brief.code).toBe(2);
    expect(brief.err).toMatch(/^-o .*refusing to overwrite this run's/m);
    const chart = await feesimInProcess(['chart', 'tornado', 'scenarios/option-cease-pilot.yaml', '--members', svg, '-o', svg]);
    expect(chart.code).toBe(2);
    expect(chart.err).toMatch(/^-o .*refusing to overwrite this run's/m);
    const check = await feesimInProcess([
      'check',
      'scenarios/option-cease-pilot.yaml',
      'scenarios/pp18-options.yaml',
      '--expected',
      'test/expected',
      '--members',
      roster,
      '--junit',
      roster,
    ]);
    expect(check.code).toBe(2);
    expect(check.err).toMatch(/^--junit .*refusing to overwrite this run's/m);
    expect(compiled.count).toBe(0);
    expect(readFileSync(roster, 'utf8')).toBe(readFileSync(resolve(ROOT, 'data/roster-synthetic.csv'), 'utf8'));
  });
});
