import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { openSession } from '../src/cli/session.js';
import { compileModel } from '../src/engine/model.js';
import { runDeterministic } from '../src/engine/run.js';
import { formatCell, type Table } from '../src/results/table.js';
import { App, type AppProps } from '../src/tui/app.js';
import { applySettings, initialSettings } from '../src/tui/explorer-model.js';
import { cli, ROOT } from './helpers.js';
import { KEYS } from './keys.js';

const session = await openSession(resolve(ROOT, 'scenarios/pp18-options.yaml'), {});
const tick = () => new Promise((r) => setTimeout(r, 0));
/** The environment without any variable that makes Ink (and feesim) think it runs under CI. */
const noCi = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && !k.startsWith('CI_')),
);
afterEach(() => cleanup());

function mount(extra: Partial<AppProps> = {}) {
  const exports: { table: Table; format: string }[] = [];
  const saves: unknown[] = [];
  const r = render(
    <App
      scenario={session.model.scenario}
      pop={session.pop}
      ctx={session.ctx}
      draws={0}
      seed={1}
      columns={120}
      rows={40}
      color={false}
      onExport={async (table, format) => {
        exports.push({ table, format });
        return `feesim-${table.id}.${format}`;
      }}
      onSave={async (s) => {
        saves.push(s);
        return 'saved.yaml';
      }}
      {...extra}
    />,
  );
  return { ...r, exports, saves };
}
const frame = (r: { lastFrame(): string | undefined }) => r.lastFrame() ?? '';
const chf = (v: number) => `CHF ${formatCell(v, 'chf')}`;
/** The engine's horizon net for the SME option at a threshold (what `feesim run --set` computes). */
const smeNetAt = (threshold: number) =>
  runDeterministic(
    compileModel(applySettings(session.model.scenario, { ...initialSettings(session.model.scenario), threshold }), session.pop),
  ).arms.find((a) => a.id === 'sme-category')!.total.net;

describe('views', () => {
  test("overview: options ranked with the engine's figures, best marked, roster labelled synthetic", async () => {
    const r = mount();
    const run = runDeterministic(session.model);
    const f = frame(r);
    expect(f).toContain('[SYNTHETIC roster (seed 2018)]');
    expect(f).toContain(`★ ${run.arms[0]!.label}`);
    for (const a of run.arms) expect(f).toContain(formatCell(a.total.net, 'chf'));
  });
  test.each([
    ['1', 'Overview'],
    ['2', 'Threshold'],
    ['3', 'Fees'],
    ['4', 'Sensitivity'],
    ['5', 'Members'],
    ['6', 'Parameters'],
  ])('key %s opens %s', async (key, title) => {
    const r = mount();
    await tick();
    if (key !== '1') r.stdin.write('2');
    r.stdin.write(key);
    await vi.waitFor(() => expect(frame(r)).toContain(`[${key} ${title}]`));
  });
  test('Tab and Shift+Tab cycle the views', async () => {
    const r = mount();
    await tick();
    r.stdin.write(KEYS.tab);
    await vi.waitFor(() => expect(frame(r)).toContain('[2 Threshold]'));
    r.stdin.write(KEYS.shiftTab);
    r.stdin.write(KEYS.shiftTab);
    await vi.waitFor(() => expect(frame(r)).toContain('[6 Parameters]'));
  });
  test('? shows every key and closes again', async () => {
    const r = mount();
    await tick();
    r.stdin.write('?');
    await vi.waitFor(() => expect(frame(r)).toContain('Press ? or Esc to close.'));
    expect(frame(r)).toContain('save as a scenario file');
    r.stdin.write(KEYS.escape);
    await vi.waitFor(() => expect(frame(r)).not.toContain('Press ? or Esc'));
  });
});

describe('threshold explorer', () => {
  const netLine = (t: number) => `Net impact 2020-2023: ${chf(smeNetAt(t))}`;
  test('arrows, PgUp/PgDn and Home/End move the threshold; figures follow the engine', async () => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 250 employees'));
    const steps: [string, number][] = [
      [KEYS.right, 251],
      [KEYS.left, 250],
      [KEYS.pageUp, 260],
      [KEYS.pageDown, 250],
      [KEYS.end, 350],
      [KEYS.home, 250],
      [KEYS.home, 150],
    ];
    for (const [key, t] of steps) {
      r.stdin.write(key);
      await vi.waitFor(() => expect(frame(r)).toContain(`Threshold ≤ ${t} employees`));
      expect(frame(r)).toContain(netLine(t));
    }
  });
  test('presets match `feesim run --set` at the same threshold', async () => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    for (const [key, t] of [
      ['e', 249],
      ['p', 300],
      ['j', 300],
      ['i', 299],
      ['r', 250],
    ] as const) {
      r.stdin.write(key);
      await vi.waitFor(() => {
        expect(frame(r)).toContain(`Threshold ≤ ${t} employees`);
        expect(frame(r)).toContain(`Rule: preset ${{ e: 'eu', p: 'pp18', j: 'japan', i: 'ifc', r: 'res209' }[key]}`);
      });
      const preset = { e: 'eu', p: 'pp18', j: 'japan', i: 'ifc', r: 'res209' }[key];
      const out = cli([
        'run',
        'scenarios/pp18-options.yaml',
        '--json',
        '--set',
        `options.sme-category.eligibility={preset: ${preset}, maxEmployees: ${t}}`,
      ]);
      const net = JSON.parse(out.stdout).arms.find((a: { id: string }) => a.id === 'sme-category').total.net as number;
      expect(frame(r)).toContain(`Net impact 2020-2023: ${chf(net)}`);
    }
  });
  test('the chart marks the current threshold and the break-even point', async () => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toMatch(/Break-even threshold \(net ≥ 0\): \d+/));
    expect(frame(r)).toMatch(/B-+/);
    expect(frame(r)).toContain('|');
  });
});

describe('fee explorer', () => {
  test('←/→ change the SME fee, ↓/↑ the meeting fee; the revenue-neutral fee is shown', async () => {
    const r = mount();
    await tick();
    r.stdin.write('3');
    await vi.waitFor(() => expect(frame(r)).toContain('Revenue-neutral SME fee at threshold 250'));
    r.stdin.write(KEYS.right);
    await vi.waitFor(() => expect(frame(r)).toContain('SME fee ×1.05: ITU-T CHF 4,174 developed')); // 3,975 × 1.05 = 4,173.75
    r.stdin.write(KEYS.left);
    r.stdin.write(KEYS.left);
    await vi.waitFor(() => expect(frame(r)).toContain('SME fee ×0.95'));
    r.stdin.write(KEYS.down);
    await vi.waitFor(() => expect(frame(r)).toContain('Pay-as-you-go ×0.95: CHF 5,035 per ITU-T meeting')); // 5,300 × 0.95
    r.stdin.write(KEYS.up);
    await vi.waitFor(() => expect(frame(r)).toContain('Pay-as-you-go ×1.00'));
  });
});

describe('sensitivity', () => {
  test('←/→ switch the option whose tornado is shown', async () => {
    const r = mount();
    await tick();
    r.stdin.write('4');
    const labels = session.model.arms.map((a) => a.label);
    await vi.waitFor(() => expect(frame(r)).toContain(`Tornado: ${labels[0]}`));
    expect(frame(r)).toContain('switchPropensity');
    r.stdin.write(KEYS.right);
    await vi.waitFor(() => expect(frame(r)).toContain(`Tornado: ${labels[1]}`));
    r.stdin.write(KEYS.left);
    r.stdin.write(KEYS.left);
    await vi.waitFor(() => expect(frame(r)).toContain(`Tornado: ${labels[labels.length - 1]}`));
  });
});

describe('members', () => {
  const rows = runDeterministic(session.model).payingLess['sme-category']!;
  test('lists the incumbents who would pay less, sorts with s, explains with Enter, back with Esc', async () => {
    const r = mount();
    await tick();
    r.stdin.write('5');
    await vi.waitFor(() => expect(frame(r)).toContain(`${rows.length} incumbents would pay less — sorted by saving`));
    expect(frame(r)).toContain(rows[0]!.id);
    r.stdin.write('s');
    await vi.waitFor(() => expect(frame(r)).toContain('sorted by employees'));
    const smallest = [...rows].sort((a, b) => a.employees - b.employees || a.id.localeCompare(b.id))[0]!;
    r.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(frame(r)).toContain(`${smallest.id} ${smallest.name}`));
    expect(frame(r)).toContain(`fee today: CHF ${smallest.feeToday.toLocaleString('en-GB')}`);
    r.stdin.write(KEYS.escape);
    await vi.waitFor(() => expect(frame(r)).toContain('incumbents would pay less'));
  });
  test('↓/↑ and PgDn/PgUp move the selection', async () => {
    const r = mount({ rows: 20 });
    await tick();
    r.stdin.write('5');
    await vi.waitFor(() => expect(frame(r)).toContain('incumbents would pay less'));
    r.stdin.write(KEYS.pageDown);
    r.stdin.write(KEYS.down);
    r.stdin.write(KEYS.enter);
    const sorted = [...rows].sort((a, b) => b.saving - a.saving || a.id.localeCompare(b.id));
    await vi.waitFor(() => expect(frame(r)).toContain(`${sorted[11]!.id} ${sorted[11]!.name}`));
    r.stdin.write(KEYS.escape);
    r.stdin.write(KEYS.pageUp);
    r.stdin.write(KEYS.up);
    r.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(frame(r)).toContain(`${sorted[0]!.id} ${sorted[0]!.name}`));
  });
});

describe('parameters', () => {
  test('↑/↓ choose, ←/→ change and the results follow; w saves; z resets', async () => {
    const r = mount();
    await tick();
    r.stdin.write('6');
    await vi.waitFor(() => expect(frame(r)).toContain('> 1. SME category'));
    r.stdin.write(KEYS.down);
    await vi.waitFor(() => expect(frame(r)).toMatch(/> 1\. SME category.*pilot conversion rate/));
    r.stdin.write(KEYS.up);
    // switch propensity PERT(0.5, 0.85, 1): mean 0.816667; +0.05 -> 0.866667
    r.stdin.write(KEYS.right);
    await vi.waitFor(() => expect(frame(r)).toContain('0.867 (edited)'));
    r.stdin.write('w');
    await vi.waitFor(() => expect(frame(r)).toContain('saved scenario saved.yaml'));
    expect(r.saves).toHaveLength(1);
    expect(r.saves[0]).toMatchObject({ params: { 'options.sme-category.switchPropensity': 0.866667 } });
    r.stdin.write('z');
    await vi.waitFor(() => expect(frame(r)).not.toContain('(edited)'));
  });
});

describe('exports and exit', () => {
  test.each([
    ['c', 'csv'],
    ['m', 'md'],
    ['x', 'xlsx'],
  ])('%s exports the current view as %s and says where', async (key, format) => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    r.stdin.write(key);
    await vi.waitFor(() => expect(frame(r)).toContain(`exported Threshold to feesim-threshold-curve.${format}`));
    expect(r.exports[0]!.table.rows.length).toBeGreaterThan(10);
  });
  test('q quits', async () => {
    const r = mount();
    await tick();
    const before = r.frames.length;
    r.stdin.write('q');
    r.stdin.write('2'); // after exit nothing reacts any more
    await new Promise((res) => setTimeout(res, 100));
    expect(r.frames.slice(before).some((f) => f.includes('[2 Threshold]'))).toBe(false);
  });
  test('Monte Carlo runs in chunks with a progress line and refines the threshold interval', async () => {
    const r = mount({ draws: 600, seed: 3 });
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toContain('Monte Carlo: 600 draws, seed 3'), { timeout: 20_000 });
    await vi.waitFor(() => expect(frame(r)).toMatch(/P5 CHF -?[\d,]+ {2}P95 CHF -?[\d,]+/));
    expect(r.frames.some((f) => /Monte Carlo \[#*\.+\] \d+\/600 draws/.test(f))).toBe(true);
  });
});

describe('the real program', () => {
  test('through a pipe, `feesim` prints the overview table in plain text and exits 0', () => {
    const r = spawnSync(process.execPath, [resolve(ROOT, 'bin/feesim.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: noCi,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('net impact 2020–2023');
    expect(r.stdout).not.toMatch(/\u001B\[/);
    expect(r.stderr).not.toContain('Raw mode');
  });
  test('`feesim explore` under CI prints the overview too', () => {
    const r = cli(['explore']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SYNTHETIC');
  });
  // A real terminal: test/pty-run.py gives the program a pseudo-terminal of its own, so the TUI mounts
  // and reads keys whatever the test runner's own stdin is (CI has none).
  const inPty = (keys: string, env: Record<string, string> = {}) =>
    spawnSync(
      'python3',
      [resolve(ROOT, 'test/pty-run.py'), keys, 'SYNTHETIC roster', process.execPath, 'bin/feesim.mjs', 'explore', '--draws', '0'],
      { cwd: ROOT, encoding: 'utf8', env: { ...noCi, TERM: 'xterm-256color', ...env }, timeout: 40_000 },
    );
  test('in a terminal, q quits with 0 and Ctrl+C with 130', () => {
    const q = inPty('q', { FORCE_COLOR: '0' });
    expect(q.stdout).toContain('[SYNTHETIC roster (seed 2018)]');
    expect(q.stdout).toContain('[1 Overview]');
    expect(q.status).toBe(0);
    expect(inPty('\\x03', { FORCE_COLOR: '0' }).status).toBe(130);
  });
  test('with NO_COLOR the terminal gets no colour codes, and colour otherwise', () => {
    const plain = inPty('q', { NO_COLOR: '1' });
    expect(plain.stdout).toContain('[SYNTHETIC roster (seed 2018)]');
    expect(plain.stdout).not.toMatch(/\u001B\[3\dm/);
    const coloured = inPty('q', { FORCE_COLOR: '1' });
    expect(coloured.stdout).toMatch(/\u001B\[3\dm/);
  });
  test('a scenario saved from the explorer validates and reproduces the explored result', async () => {
    const { saveExploredScenario } = await import('../src/cli/commands/explore.js');
    const dir = mkdtempSync(join(tmpdir(), 'feesim-'));
    const settings = {
      ...initialSettings(session.model.scenario),
      threshold: 120,
      smeFeeFactor: 1.5,
      params: { 'options.pay-as-you-go.switchPropensity': 0.3 },
    };
    const path = await saveExploredScenario(session.inputs.loaded.file, session.model.scenario, settings, dir);
    expect(cli(['validate', path]).code).toBe(0);
    const saved = JSON.parse(cli(['run', path, '--json']).stdout) as { arms: { id: string; total: { net: number } }[] };
    const expected = runDeterministic(compileModel(applySettings(session.model.scenario, settings), session.pop));
    for (const a of expected.arms) expect(saved.arms.find((x) => x.id === a.id)!.total.net).toBeCloseTo(a.total.net, 6);
    // values set with --set when the explorer was opened are kept too
    const withSet = await saveExploredScenario(session.inputs.loaded.file, session.model.scenario, settings, dir, ['horizon.years=3']);
    expect(JSON.parse(cli(['run', withSet, '--json']).stdout).baseline).toHaveLength(3);
  });
});
