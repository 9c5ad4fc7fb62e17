import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { FORMATS } from '../src/export/formats.js';
import { type CsvSidecar, EXPORT_FORMATS, EXPORTERS } from '../src/export/registry.js';
import { feesimInProcess as feesim, ROOT } from './helpers.js';

const SCENARIOS = readdirSync(resolve(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Python's csv module: a strict, default-options reader, as a drafter's script would use. */
const PY_READ = `
import csv, json, sys
out = {}
for f in sys.argv[1:]:
    with open(f, newline='', encoding='utf-8') as h:
        out[f] = list(csv.reader(h))
print(json.dumps(out))
`;

/**
 * Every CSV of an export parses with Python's csv and csv-parse at default options into a rectangular
 * table (header + one row per table row) whose numeric columns (by the sidecar's units) hold numbers.
 */
function checkCsvReaders(dir: string) {
  const sidecar = JSON.parse(readFileSync(join(dir, 'out', 'provenance.json'), 'utf8')) as CsvSidecar;
  const paths = sidecar.files.map((f) => join(dir, 'out', f.file));
  const py = spawnSync('python3', ['-c', PY_READ, ...paths], { encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(py.status, py.stderr).toBe(0);
  const byPython = JSON.parse(py.stdout) as Record<string, string[][]>;
  for (const f of sidecar.files) {
    const path = join(dir, 'out', f.file);
    const text = readFileSync(path, 'utf8');
    for (const rows of [byPython[path]!, parseCsv(text) as string[][]]) {
      expect(rows[0], f.file).toEqual(f.columns.map((c) => c.header));
      for (const r of rows) expect(r, f.file).toHaveLength(f.columns.length);
      f.columns.forEach((c, j) => {
        if (c.unit === 'text') return;
        for (const r of rows.slice(1))
          if (r[j] !== '')
            expect(Number.isFinite(Number(r[j])) && /^-?[\d.]+(e[-+]?\d+)?$/i.test(r[j]!), `${f.file} ${c.header}: ${r[j]}`).toBe(true);
      });
    }
  }
}

test('the exporter registry offers exactly the formats main.ts lists (export/formats.ts, kept light for start-up)', () => {
  expect(EXPORT_FORMATS).toEqual([...FORMATS]);
});

describe('feesim verify', () => {
  test.each(SCENARIOS)(
    'every export of %s in every format, and its run --json, verify as identical',
    async (name) => {
      const dir = mkdtempSync(join(tmpdir(), 'feesim-verify-'));
      const scenario = resolve(ROOT, 'scenarios', name);
      const files: string[] = [];
      for (const format of EXPORT_FORMATS) {
        const r = await feesim(['export', scenario, '--draws', '20', '--seed', '5', '-o', join(dir, `out.${format}`)]);
        expect(r.code, r.err).toBe(0);
      }
      const run = await feesim(['run', scenario, '--draws', '20', '--seed', '5', '--json']);
      writeFileSync(join(dir, 'run.json'), run.out);
      // every file: the set folder out/, one CSV of it and its sidecar, out.md, out.xlsx, out.json, run.json
      for (const f of readdirSync(dir).filter((n) => !n.startsWith('.'))) files.push(join(dir, f));
      files.push(join(dir, 'out', 'comparison.csv'), join(dir, 'out', 'provenance.json'));
      checkCsvReaders(dir);
      const v = await feesim(['verify', ...files]);
      expect(v.err).toBe('');
      expect(v.code, v.out).toBe(0);
      expect(v.out).not.toContain('different');
      expect(v.out.match(/: identical/g)).toHaveLength(files.length);
    },
    120_000,
  );

  test('a document that was edited is different (exit 1); a file without a record is bad input (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-verify-'));
    const run = await feesim(['run', resolve(ROOT, 'scenarios/option-cease-pilot.yaml'), '--json']);
    writeFileSync(join(dir, 'run.json'), run.out.replace(/"net": (\d)/, '"net": 9$1'));
    const v = await feesim(['verify', join(dir, 'run.json')]);
    expect(v.code).toBe(1);
    expect(v.out).toContain('differs from what the command produces now');
    writeFileSync(join(dir, 'plain.json'), '{"a": 1}\n');
    const b = await feesim(['verify', join(dir, 'plain.json'), join(dir, 'nothing.md')]);
    expect(b.code).toBe(2);
    expect(b.err).toContain('plain.json');
    expect(b.err).toContain('no feesim provenance record');
    expect(b.err).toContain('nothing.md');
    expect(b.err).toContain('file not found');
  });
});

describe('provenance', () => {
  test('names every input with a project-relative path and sha256, the overrides in order and the command', async () => {
    const r = await feesim([
      'run',
      resolve(ROOT, 'scenarios/threshold-300.yaml'),
      '--set',
      'horizon.years=5',
      '--set',
      'options.sme-category.eligibility.maxEmployees=200',
      '--json',
    ]);
    const p = JSON.parse(r.out).provenance;
    expect(p.root).toBe('package');
    expect(p.overrides).toEqual(['horizon.years=5', 'options.sme-category.eligibility.maxEmployees=200']);
    expect(p.command).toBe(
      'feesim run scenarios/threshold-300.yaml --set horizon.years=5 --set options.sme-category.eligibility.maxEmployees=200 --json',
    );
    const inputs = p.scenarios[0].inputs.map((i: { role: string; path: string }) => `${i.role} ${i.path}`);
    expect(inputs).toEqual([
      'scenario scenarios/threshold-300.yaml',
      'extends scenarios/option-sme-category.yaml',
      'extends scenarios/pp18-options.yaml',
      'country-table data/countries.csv',
      'fee-schedule data/fee-schedule.yaml',
      'roster data/roster-synthetic.csv',
    ]);
    for (const i of p.scenarios[0].inputs) {
      const { createHash } = await import('node:crypto');
      expect(i.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(resolve(ROOT, i.path)))
          .digest('hex'),
      );
    }
  });

  test('changing any input file (fee schedule, countries, roster, a parent scenario) changes its hash, and verify names it', async () => {
    // a project outside the package: scenarios/ and data/ side by side
    const proj = mkdtempSync(join(tmpdir(), 'feesim-proj-'));
    mkdirSync(join(proj, 'scenarios'));
    mkdirSync(join(proj, 'data'));
    for (const f of ['pp18-options.yaml', 'option-sme-category.yaml'])
      copyFileSync(resolve(ROOT, 'scenarios', f), join(proj, 'scenarios', f));
    for (const f of ['countries.csv', 'fee-schedule.yaml', 'roster-synthetic.csv'])
      copyFileSync(resolve(ROOT, 'data', f), join(proj, 'data', f));
    const out = join(proj, 'out.md');
    const e = await feesim(['export', join(proj, 'scenarios/option-sme-category.yaml'), '-o', out]);
    expect(e.code, e.err).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('| fee schedule | ../data/fee-schedule.yaml sha256 ');
    expect(md).not.toContain(proj); // nothing of where it was run
    expect((await feesim(['verify', out, '--root', join(proj, 'scenarios')])).code).toBe(0);
    // file, its path as recorded (relative to the scenario's folder), its role, an edit
    const edits: [string, string, string, (t: string) => string][] = [
      [
        'data/fee-schedule.yaml',
        '../data/fee-schedule.yaml',
        'fee-schedule',
        (t) => t.replace(/sectorMemberUnit: *\d+/, 'sectorMemberUnit: 64000'),
      ],
      ['data/countries.csv', '../data/countries.csv', 'country-table', (t) => t.replace(/\n$/, '\n\n')],
      ['data/roster-synthetic.csv', '../data/roster-synthetic.csv', 'roster', (t) => `${t.trimEnd()}\n`.replace(/\n([^\n]*)\n$/, '\n')],
      ['scenarios/pp18-options.yaml', 'pp18-options.yaml', 'extends', (t) => t.replace('discountRate: 0.', 'discountRate: 0.0')],
    ];
    for (const [file, recorded, role, edit] of edits) {
      const path = join(proj, file);
      const before = readFileSync(path, 'utf8');
      const after = edit(before);
      expect(after, file).not.toBe(before);
      writeFileSync(path, after);
      const v = await feesim(['verify', out, '--root', join(proj, 'scenarios')]);
      expect(v.code, `${file}: ${v.out}${v.err}`).toBe(1);
      expect(v.out).toContain(`input changed: ${recorded} (${role})`);
      writeFileSync(path, before);
    }
    expect((await feesim(['verify', out, '--root', join(proj, 'scenarios')])).code).toBe(0);
  }, 120_000);
});

describe('byte-identical outputs', () => {
  test('XLSX exported twice, from another working directory, locale and time zone, is byte-identical', () => {
    const a = mkdtempSync(join(tmpdir(), 'feesim-a-'));
    const b = mkdtempSync(join(tmpdir(), 'feesim-b-'));
    const run = (cwd: string, env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [
          resolve(ROOT, 'bin/feesim.mjs'),
          'export',
          resolve(ROOT, 'scenarios/option-extend-pilot.yaml'),
          '--draws',
          '30',
          '--seed',
          '3',
          '-o',
          'x.xlsx',
        ],
        { cwd, env: { ...process.env, CI: 'true', ...env }, encoding: 'utf8' },
      );
    expect(run(a, { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }).status).toBe(0);
    const first = readFileSync(join(a, 'x.xlsx'));
    expect(run(a, { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }).status).toBe(0);
    expect(readFileSync(join(a, 'x.xlsx')).equals(first)).toBe(true);
    expect(run(b, { TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }).status).toBe(0);
    expect(readFileSync(join(b, 'x.xlsx')).equals(first)).toBe(true);
  }, 60_000);
});

describe('explorer exports', () => {
  test('edits are recorded as --set overrides; the record equals that of `feesim run` with those overrides', async () => {
    const { openSession } = await import('../src/cli/session.js');
    const { explorerProvenance } = await import('../src/cli/commands/explore.js');
    const file = resolve(ROOT, 'scenarios/option-sme-category.yaml');
    const s = await openSession(file, {});
    const p = explorerProvenance(
      [s],
      { 'options.sme-category.eligibility': { preset: 'pp18', maxEmployees: 120 } },
      { seed: 4, draws: 50 },
      'overview',
    );
    expect(p.overrides).toEqual(['options.sme-category.eligibility={"preset":"pp18","maxEmployees":120}']);
    expect(p.view).toBe('overview');
    const cli = JSON.parse((await feesim([...p.argv.filter((a) => a !== 'scenarios/option-sme-category.yaml'), file, '--json'])).out);
    const { view: _, ...rest } = p;
    expect({ ...cli.provenance, argv: rest.argv, command: rest.command }).toEqual(rest);
  });

  test('verify checks an explorer export\'s figures against the digest it recorded: md, xlsx and a CSV set; a changed figure is "different"', async () => {
    const { openSession } = await import('../src/cli/session.js');
    const { explorerProvenance } = await import('../src/cli/commands/explore.js');
    const s = await openSession(resolve(ROOT, 'scenarios/option-sme-category.yaml'), {});
    const provenance = explorerProvenance([s], {}, { seed: 4, draws: 50 }, 'overview');
    const table = {
      id: 'overview',
      title: 'Overview',
      columns: [
        { id: 'option', header: 'Option', kind: 'text' as const },
        { id: 'net', header: 'Net', kind: 'chf' as const },
      ],
      rows: [{ option: '1. SME category', net: -508_848 }],
      footnotes: ['a footnote'],
    };
    const dir = mkdtempSync(join(tmpdir(), 'feesim-view-'));
    const write = async (format: string) => {
      const exporter = EXPORTERS.find((e) => e.id === format)!;
      const files = await exporter.render({ title: 'Explorer view', tables: [table], provenance }, 'view');
      const base = exporter.output === 'set' ? join(dir, 'view') : dir;
      mkdirSync(base, { recursive: true });
      for (const f of files) writeFileSync(join(base, f.name), f.data);
      return exporter.output === 'set' ? base : join(base, files[0]!.name);
    };
    for (const format of ['md', 'xlsx', 'csv']) {
      const out = await write(format);
      const ok = await feesim(['verify', out]);
      expect(ok.code, `${format}: ${ok.out}${ok.err}`).toBe(0);
      expect(ok.out).toContain('its figures as written');
    }
    // one figure changed by hand: md and the CSV set
    const md = join(dir, 'view.md');
    writeFileSync(md, readFileSync(md, 'utf8').replace('-508,848', '-999,999'));
    const csv = join(dir, 'view', 'overview.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('-508848', '-999999'));
    for (const file of [md, join(dir, 'view')]) {
      const bad = await feesim(['verify', file]);
      expect(bad.code, bad.out).toBe(1);
      expect(bad.out).toContain('changed since it was written');
    }
  });
});

describe('explorer A/B exports', () => {
  test("record A's and B's reproducing commands, no --set restating the scenario's own value; verify reads it", async () => {
    const { openSession } = await import('../src/cli/session.js');
    const { explorerProvenance } = await import('../src/cli/commands/explore.js');
    const { initialSettings, settingsOverrides } = await import('../src/tui/explorer-model.js');
    const { tablesToMarkdown } = await import('../src/export/markdown.js');
    const aFile = resolve(ROOT, 'scenarios/threshold-300.yaml');
    const bFile = resolve(ROOT, 'scenarios/option-sme-category.yaml');
    const [a, b] = [await openSession(aFile, {}), await openSession(bFile, {})];
    // each scenario at its own settings: nothing to override (`feesim explore a.yaml b.yaml` as opened)
    expect(settingsOverrides(a.model.scenario, initialSettings(a.model.scenario))).toEqual({});
    expect(settingsOverrides(b.model.scenario, initialSettings(b.model.scenario))).toEqual({});
    // an assumption edited back to the scenario's own number is no override either
    const { tuiParams } = await import('../src/tui/params.js');
    const { getIn } = await import('../src/scenario/paths.js');
    const num = tuiParams(b.model.scenario).find((x) => typeof getIn(b.model.scenario, x.path) === 'number')!;
    const own = getIn(b.model.scenario, num.path) as number;
    const initB = initialSettings(b.model.scenario);
    expect(settingsOverrides(b.model.scenario, { ...initB, params: { [num.path]: own } })).toEqual({});
    expect(settingsOverrides(b.model.scenario, { ...initB, params: { [num.path]: own + 1 } })).toEqual({ [num.path]: own + 1 });
    const p = explorerProvenance([b, a], {}, { seed: 7, draws: 50 }, 'overview', {
      a: { session: a, edits: {}, name: 'threshold-300.yaml' },
      bName: 'option-sme-category.yaml',
    });
    expect(p.overrides).toEqual([]);
    expect(p.sides?.map((x) => [x.side, x.command])).toEqual([
      ['A', 'feesim run scenarios/threshold-300.yaml --draws 50 --seed 7'],
      ['B', 'feesim run scenarios/option-sme-category.yaml --draws 50 --seed 7'],
    ]);
    // settings pinned on the scenario explored: A's edits are its own overrides
    const s = await openSession(bFile, {});
    const st = initialSettings(s.model.scenario);
    const q = explorerProvenance([s], settingsOverrides(s.model.scenario, { ...st, threshold: 340 }), null, 'overview', {
      a: { session: s, edits: settingsOverrides(s.model.scenario, { ...st, threshold: 240 }), name: 'pinned' },
      bName: 'now',
    });
    expect(q.sides?.map((x) => x.command)).toEqual([
      'feesim run scenarios/option-sme-category.yaml --set options.sme-category.eligibility.maxEmployees=240',
      'feesim run scenarios/option-sme-category.yaml --set options.sme-category.eligibility.maxEmployees=340',
    ]);
    // the A side's command computes A: its net equals the explorer's at 240
    const out = JSON.parse((await feesim([...q.sides![0]!.argv.map((x) => (x.endsWith('.yaml') ? bFile : x)), '--json'])).out);
    const { applySettings } = await import('../src/tui/explorer-model.js');
    const { compileModel } = await import('../src/engine/model.js');
    const { runDeterministic } = await import('../src/engine/run.js');
    const at240 = runDeterministic(compileModel(applySettings(s.model.scenario, { ...st, threshold: 240 }), s.pop));
    const net = (arms: { id: string; total: { net: number } }[]) => arms.find((x) => x.id === 'sme-category')!.total.net;
    expect(net(out.arms)).toBeCloseTo(net(at240.arms), 6);
    // the Markdown shows both commands and feesim verify reads the record
    const md = tablesToMarkdown([], q);
    expect(md).toContain('| reproduce A (pinned) | feesim run scenarios/option-sme-category.yaml --set');
    expect(md).toContain('| reproduce B (now) |');
    const dir = mkdtempSync(join(tmpdir(), 'feesim-ab-'));
    writeFileSync(join(dir, 'ab.md'), md);
    const v = await feesim(['verify', join(dir, 'ab.md')]);
    expect(v.code).toBe(0);
    expect(v.out).toContain('maxEmployees=240` (A) and `feesim run');
  });
});
