import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { dropTypedAhead } from '../src/cli/commands/explore.js';
import { overridesFromSettings } from '../src/cli/provenance.js';
import { openSession } from '../src/cli/session.js';
import { compileModel } from '../src/engine/model.js';
import { runDeterministic } from '../src/engine/run.js';
import { formatCell, type Table } from '../src/results/table.js';
import { App, type AppProps } from '../src/tui/app.js';
import { describeOption } from '../src/tui/describe.js';
import {
  applySettings,
  computeExplorer,
  crossing,
  initialSettings,
  type Settings,
  settingsOverrides,
  settingsProblem,
} from '../src/tui/explorer-model.js';
import { firstFrame } from '../src/tui/first-frame.js';
import { keysIn, PLAIN_KEY } from '../src/tui/keymap.js';
import { VIEW_TITLES } from '../src/tui/layout.js';
import { tuiParams } from '../src/tui/params.js';
import { paramValue } from '../src/tui/state.js';
import { VIEWS } from '../src/tui/views/index.js';
import { cli, ROOT, SMALL_ROSTER } from './helpers.js';
import { KEYS } from './keys.js';

const session = await openSession(resolve(ROOT, 'scenarios/pp18-options.yaml'), {});
const tick = () => new Promise((r) => setTimeout(r, 0));
/** The environment without any variable that makes Ink (and feesim) think it runs under CI. */
const noCi = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && !k.startsWith('CI_')),
);
afterEach(() => cleanup());

/** The Monte Carlo's chunks, run only when the test says so. */
function manualSchedule() {
  const queue: (() => void)[] = [];
  return {
    schedule: (task: () => void) => {
      queue.push(task);
    },
    pump(n: number) {
      for (let k = 0; k < n && queue.length; k++) queue.shift()!();
    },
  };
}

function mount(extra: Partial<AppProps> = {}) {
  const exports: { tables: Table[]; format: string }[] = [];
  const saves: unknown[] = [];
  const r = render(
    <App
      scenario={session.model.scenario}
      pop={session.pop}
      ctx={session.ctx}
      draws={0}
      seed={1}
      columns={80}
      rows={24}
      color={false}
      onExport={async (tables, format) => {
        exports.push({ tables, format });
        return `feesim-${tables[0]!.id}.${format}`;
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
const smeRun = (threshold: number) =>
  runDeterministic(
    compileModel(applySettings(session.model.scenario, { ...initialSettings(session.model.scenario), threshold }), session.pop),
  );
/** The engine's horizon net for the SME option at a threshold (what `feesim run --set` computes). */
const smeNetAt = (threshold: number) => smeRun(threshold).arms.find((a) => a.id === 'sme-category')!.total.net;
/** The table row of an option (below the title, tabs and description lines). */
const rowOf = (f: string, label: string) =>
  f
    .split('\n')
    .slice(3)
    .find((l) => /^[ ›★] /.test(l) && l.includes(label.slice(0, 12)))!;
const runJson = (args: string[]) => JSON.parse(cli(['run', 'scenarios/pp18-options.yaml', '--json', ...args]).stdout);

describe('layout at 80×24 without colour', () => {
  const checkFrame = (f: string) => {
    const lines = f.split('\n');
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThan(24); // one line shorter than the terminal: no full-screen repaint
    expect(lines[lines.length - 1]).toMatch(/\? help {2}q quit$/); // the key bar, at the bottom
  };
  test.each(VIEWS.map((v, k) => [k + 1, v.title] as const))(
    'view %s (%s): key bar, active tab marked, no line over 80',
    async (key, title) => {
      const r = mount();
      await tick();
      r.stdin.write(String(key));
      await vi.waitFor(() => expect(frame(r)).toContain(`›${key} ${title}`));
      checkFrame(frame(r));
    },
  );
  test('the selection shows without colour: › on the chosen row', async () => {
    const r = mount();
    await tick();
    const sel = (f: string) => f.split('\n').filter((l) => l.startsWith('› '));
    r.stdin.write('5');
    await vi.waitFor(() => expect(frame(r)).toContain('incumbents would pay less'));
    const rows = [...runDeterministic(session.model).payingLess['sme-category']!].sort(
      (a, b) => b.saving - a.saving || a.id.localeCompare(b.id),
    );
    expect(sel(frame(r))[0]).toContain(rows[0]!.id);
    for (let k = 0; k < 4; k++) r.stdin.write(KEYS.down);
    await vi.waitFor(() => expect(sel(frame(r))[0]).toContain(rows[4]!.id));
    r.stdin.write('6');
    await vi.waitFor(() => expect(sel(frame(r))[0]).toMatch(new RegExp(`^› ${tuiParams(session.model.scenario)[0]!.name}`)));
    r.stdin.write('1');
    await vi.waitFor(() => expect(sel(frame(r))[0]).toMatch(/^› 1\. SME category/));
  });
  test('help fits at 80×24 with its last line on screen; at 80×14 it scrolls to it', async () => {
    const r = mount();
    await tick();
    r.stdin.write('?');
    await vi.waitFor(() => expect(frame(r)).toContain('Press ? or Esc to close.'));
    expect(frame(r)).toContain('reset everything: threshold, fees and assumptions'); // the last key's line
    checkFrame(frame(r));
    r.stdin.write(KEYS.escape);
    await vi.waitFor(() => expect(frame(r)).not.toContain('Press ? or Esc'));
    cleanup();
    const small = mount({ rows: 14 });
    await tick();
    small.stdin.write('?');
    await vi.waitFor(() => expect(frame(small)).toContain('↑↓ scroll'));
    expect(frame(small)).not.toContain('reset everything');
    small.stdin.write(KEYS.end);
    await vi.waitFor(() => expect(frame(small)).toContain('reset everything: threshold, fees and assumptions'));
    expect(frame(small)).toContain('Press ? or Esc to close.');
  });
  test("Sensitivity's header keeps Swing whole for every option; its title is cut at a word", async () => {
    const r = mount();
    await tick();
    r.stdin.write('4');
    for (const arm of session.model.arms) {
      await vi.waitFor(() => expect(frame(r)).toContain(`Tornado: ${arm.label}`));
      const lines = frame(r).split('\n');
      const head = lines.find((l) => l.startsWith('  Assumption'))!;
      expect(head).toMatch(/ Swing$/);
      expect(head).toMatch(/◀ .* ▶/);
      const title = lines.find((l) => l.startsWith('Tornado: '))!;
      const phrase = 'net at P10 and P90 of each assumption, others at median (net CHF';
      const shown = title.slice(`Tornado: ${arm.label}  `.length).replace(/…$/, '');
      if (title.endsWith('…')) {
        expect(phrase.startsWith(shown)).toBe(true);
        expect(phrase[shown.length]).toBe(' '); // cut at a word, never "medi…"
      }
      r.stdin.write(KEYS.right);
    }
  });
  test("A/B Overview: legend for the columns shown only; the Monte Carlo column says it is B's", async () => {
    const r = mount();
    await tick();
    r.stdin.write('a');
    await vi.waitFor(() => expect(frame(r)).toContain('Net A'));
    expect(frame(r)).toMatch(/B − A +B P\(loss\)/);
    expect(frame(r)).toContain("P(loss): B's share of draws that lose money.");
    expect(frame(r)).not.toContain('P(1st)');
    expect(frame(r)).not.toContain('P5–P95: 90 %');
    for (const l of frame(r).split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
  });
  test('titles are cut at a word, never mid-word', async () => {
    const r = mount();
    const first = frame(r).split('\n')[0]!;
    const shown = /^feesim · (.*)…\s+\[SYNTHETIC roster\]$/.exec(first)?.[1] ?? '';
    const title = session.ctx.scenarioTitle;
    expect(title.startsWith(shown)).toBe(true);
    expect(title[shown.length]).toBe(' '); // cut where a word ends
  });
  test('Overview: net, P5–P95, P(loss) and P(ranks first) for every option at 80 columns; columns stay put', async () => {
    const m = manualSchedule();
    const r = mount({ draws: 400, seed: 5, schedule: m.schedule });
    await tick();
    const header = () => frame(r).split('\n')[3]!;
    const before = header();
    expect(before).toMatch(/Option\s+Net\s+P5\s+P95\s+P\(loss\)\s+P\(1st\)/);
    expect(frame(r)).toContain('Monte Carlo running');
    m.pump(10);
    r.stdin.write(KEYS.down); // a repaint after the run
    await vi.waitFor(() => expect(frame(r)).toContain('Monte Carlo: 400 draws, seed 5'));
    expect(header()).toBe(before);
    const json = runJson(['--draws', '400', '--seed', '5']);
    for (const a of json.arms as { id: string; label: string }[]) {
      const mc = json.monteCarlo.arms.find((x: { id: string }) => x.id === a.id);
      const row = rowOf(frame(r), a.label);
      expect(row).toContain(formatCell(mc.total.p5, 'chf'));
      expect(row).toContain(formatCell(mc.total.p95, 'chf'));
      expect(row).toContain(formatCell(mc.total.probLoss, 'percent'));
      expect(row).toContain(formatCell(mc.probBest, 'percent'));
    }
  });
});

describe('start-up', () => {
  test('the plain-text first frame drawn before Ink loads is the overview as the explorer draws it', async () => {
    const m = manualSchedule(); // Monte Carlo not started: "…" where its figures go, as in the first frame
    const r = mount({ draws: 2000, schedule: m.schedule });
    const d = computeExplorer(session.model.scenario, session.pop, initialSettings(session.model.scenario));
    const pre = firstFrame(d, session.ctx, { columns: 80, rows: 24, draws: 2000, focus: session.model.arms[0]!.id });
    const ink = frame(r).split('\n');
    expect(pre.length).toBe(ink.length);
    for (let k = 0; k < pre.length - 3; k++) expect(pre[k]!.trimEnd()).toBe(ink[k]!.trimEnd());
    expect(pre[pre.length - 3]).toContain('Monte Carlo running');
    for (const a of d.run.arms) expect(pre.join('\n')).toContain(formatCell(a.total.net, 'chf'));
  });
  test('the view titles that the first frame uses are those of the views', () => {
    expect(VIEWS.map((v) => v.title)).toEqual([...VIEW_TITLES]);
  });
});

describe('views', () => {
  test("overview: options ranked with the engine's figures, best marked, roster labelled synthetic", async () => {
    const r = mount({ columns: 120, rows: 40 });
    const run = runDeterministic(session.model);
    const f = frame(r);
    expect(f).toContain('[SYNTHETIC roster]');
    expect(f).toContain(`★ best: ${run.arms[0]!.label}`);
    for (const a of run.arms) expect(f).toContain(formatCell(a.total.net, 'chf'));
  });
  test('Tab and Shift+Tab cycle the views', async () => {
    const r = mount();
    await tick();
    r.stdin.write(KEYS.tab);
    await vi.waitFor(() => expect(frame(r)).toContain('›2 Threshold'));
    r.stdin.write(KEYS.shiftTab);
    r.stdin.write(KEYS.shiftTab);
    await vi.waitFor(() => expect(frame(r)).toContain('›6 Parameters'));
  });
  test('the option described on screen follows the settings', async () => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r).split('\n')[2]).toMatch(/^1\. SME category.*: SME test: at most 250 staff/));
    r.stdin.write('p');
    await vi.waitFor(() => expect(frame(r).split('\n')[2]).toMatch(/: SME test: at most 300 staff/));
  });
});

describe('keys that arrive together', () => {
  test('a paste (one read of several characters) acts key by key, as the same keys typed one at a time', async () => {
    const typed = mount();
    await tick();
    for (const c of '2pa4') {
      typed.stdin.write(c);
      await tick();
    }
    await vi.waitFor(() => expect(frame(typed)).toContain('›4 '));
    const pasted = mount();
    await tick();
    pasted.stdin.write('2pa4');
    await vi.waitFor(() => expect(frame(pasted)).toBe(frame(typed)));
    expect(frame(pasted)).toContain('›4 ');
  });
  test('keysIn splits printable characters only, with the flags Ink gives each alone', () => {
    const plain = PLAIN_KEY;
    expect(keysIn('2a1', plain).map(([c]) => c)).toEqual(['2', 'a', '1']);
    expect(keysIn('qQ', plain).map(([c, k]) => [c, k.shift])).toEqual([
      ['q', false],
      ['Q', true],
    ]);
    // one character, a control character among them, Ctrl or Meta held: as it came
    expect(keysIn('q', plain)).toEqual([['q', plain]]);
    expect(keysIn('2\r', plain)).toEqual([['2\r', plain]]);
    expect(keysIn('ab', { ...plain, ctrl: true })).toHaveLength(1);
    expect(keysIn('ab', { ...plain, meta: true })).toHaveLength(1);
    // every flag off for a split character (no arrow, Enter or Escape read into it)
    expect(Object.values(plain).every((v) => v === false)).toBe(true);
  });
});

describe('threshold explorer', () => {
  const netLine = (t: number) => `Net 2020–2023 ${chf(smeNetAt(t))}`;
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
    for (const [key, t, preset] of [
      ['e', 249, 'eu'],
      ['p', 300, 'pp18'],
      ['i', 299, 'ifc'],
      ['r', 250, 'res209'],
    ] as const) {
      r.stdin.write(key);
      await vi.waitFor(() => expect(frame(r)).toContain(`Threshold ≤ ${t} employees  (preset ${preset}`));
      const out = runJson(['--set', `options.sme-category.eligibility={preset: ${preset}, maxEmployees: ${t}}`]);
      const net = out.arms.find((a: { id: string }) => a.id === 'sme-category').total.net as number;
      expect(frame(r)).toContain(`Net 2020–2023 ${chf(net)}`);
    }
  });
  test('break-even is where the net crosses zero (a sign change or an exact zero), else none', () => {
    expect(crossing([5, 3, 1, -1, -2])).toEqual({ breakEven: 2, sign: 0 });
    expect(crossing([-3, -1, 2, 4])).toEqual({ breakEven: 2, sign: 0 });
    expect(crossing([-1, 0, -1])).toEqual({ breakEven: 1, sign: 0 });
    expect(crossing([1, 2, 3])).toEqual({ breakEven: null, sign: 1 });
    expect(crossing([-1, -2])).toEqual({ breakEven: null, sign: -1 });
  });
  test('the chart marks the current threshold and the break-even point on the zero row, labelled 0', async () => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toMatch(/Break-even: \d+ employees \(B on the zero line\)/));
    const be = Number(/Break-even: (\d+) employees/.exec(frame(r))![1]);
    // a crossing the engine confirms: no loss at it, a loss one employee above
    expect(smeNetAt(be)).toBeGreaterThanOrEqual(0);
    expect(smeNetAt(be + 1)).toBeLessThan(0);
    const zeroRow = frame(r)
      .split('\n')
      .find((l) => /B-+/.test(l))!;
    expect(zeroRow).toMatch(/^ +0 /);
    expect(frame(r)).toContain('|');
    // pay-as-you-go gains at every threshold: no break-even claimed, no B drawn
    r.stdin.write('o');
    await vi.waitFor(() => expect(frame(r)).toContain('Option 3. Pay-as-you-go'));
    await vi.waitFor(() => expect(frame(r)).toContain('Break-even: none in 0–1000: a gain at every threshold'));
    expect(frame(r)).not.toMatch(/B-/);
  });
  test('20 threshold steps during a 50,000-draw run: one frame per step, progress never goes back, no restart', async () => {
    const m = manualSchedule();
    const r = mount({ draws: 50_000, seed: 11, schedule: m.schedule });
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 250 employees'));
    const progress = (f: string) => Number(/ ([\d,]+)\/50,000/.exec(f)?.[1]?.replaceAll(',', '') ?? Number.NaN);
    const seen: number[] = [];
    for (let k = 1; k <= 20; k++) {
      m.pump(2);
      const before = r.frames.length;
      r.stdin.write(KEYS.right);
      await vi.waitFor(() => expect(frame(r)).toContain(`Threshold ≤ ${250 + k} employees`));
      await tick();
      expect(r.frames.length - before).toBe(1); // one repaint per key
      expect(frame(r)).toContain(netLine(250 + k)); // and it already carries the new figures
      seen.push(progress(frame(r)));
    }
    expect(seen[0]).toBeGreaterThan(0);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThanOrEqual(seen[k - 1]!);
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0]!); // it kept going between keys
    // the stored draws give the SME option's interval at the new threshold: the CLI's with the same draws
    const done = seen[seen.length - 1]!;
    const json = runJson(['--draws', String(done), '--seed', '11', '--set', 'options.sme-category.eligibility.maxEmployees=270']);
    const mc = json.monteCarlo.arms.find((x: { id: string }) => x.id === 'sme-category').total;
    expect(frame(r)).toContain(`P5–P95 ${formatCell(mc.p5, 'chf')} … ${formatCell(mc.p95, 'chf')}`);
  }, 120_000);
});

describe('threshold explorer: which option', () => {
  /** An option's horizon net in a `feesim run --json` document. */
  const netOf = (doc: { arms: { id: string; total: { net: number } }[] }, id: string) => doc.arms.find((a) => a.id === id)!.total.net;
  test('o cycles the option whose threshold moves; each keeps its own threshold; figures equal `feesim run --set` for both', async () => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toMatch(/Option 1\. SME category {2}\(1 of 2 with a threshold; o: next\)/));
    r.stdin.write(KEYS.right); // the SME category at 251
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 251 employees'));
    r.stdin.write('o');
    // pay-as-you-go's threshold is its preset's (Res. 209: 250); the SME category's 251 stays applied
    await vi.waitFor(() => expect(frame(r)).toMatch(/Option 3\. Pay-as-you-go.* {2}\(2 of 2 with a threshold; o: next\)/));
    expect(frame(r)).toContain('Threshold ≤ 250 employees');
    expect(frame(r).split('\n')[2]).toMatch(/^3\. Pay-as-you-go/); // the description is the chosen option's
    for (let k = 0; k < 2; k++) r.stdin.write(KEYS.pageUp); // pay-as-you-go at 270
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 270 employees'));
    const doc = runJson([
      '--set',
      'options.sme-category.eligibility.maxEmployees=251',
      '--set',
      'options.pay-as-you-go.eligibility.maxEmployees=270',
    ]);
    expect(frame(r)).toContain(`Net 2020–2023 ${chf(netOf(doc, 'pay-as-you-go'))}`);
    r.stdin.write('o'); // back to the SME category, where it was left
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 251 employees'));
    expect(frame(r)).toContain(`Net 2020–2023 ${chf(netOf(doc, 'sme-category'))}`);
    r.stdin.write('1'); // the combination sees both thresholds
    await vi.waitFor(() => expect(frame(r)).toContain('›1 Overview'));
    expect(rowOf(frame(r), '1+3. SME category')).toContain(formatCell(netOf(doc, 'sme-plus-payg'), 'chf'));
  });
  test("with the graduated fee beside the SME category: o moves the graduated fee's top band; 80×24, NO_COLOR, key bar", async () => {
    const g = await openSession(resolve(ROOT, 'scenarios/option-graduated-fee.yaml'), {});
    const r = mount({ scenario: g.model.scenario, pop: g.pop, ctx: g.ctx });
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toContain('(1 of 2 with a threshold; o: next)'));
    r.stdin.write('o');
    await vi.waitFor(() => expect(frame(r)).toMatch(/Option 5\. Graduated fee by size {2}\(2 of 2/));
    expect(frame(r)).toContain('Threshold ≤ 250 employees'); // the top band's maxEmployees
    r.stdin.write(KEYS.right);
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 251 employees'));
    const doc = JSON.parse(
      cli(['run', 'scenarios/option-graduated-fee.yaml', '--json', '--set', 'options.graduated-fee.bands.medium.maxEmployees=251']).stdout,
    );
    expect(frame(r)).toContain(`Net 2020–2023 ${chf(netOf(doc, 'graduated-fee'))}`);
    const lines = frame(r).split('\n');
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThan(24);
    expect(lines[lines.length - 1]).toMatch(/ o option .*\? help {2}q quit$/);
    expect(frame(r)).not.toMatch(/\u001B\[/);
  });
  test('a preset on the graduated fee (no eligibility rule) sets only the top band: exportable, saved file validates; a refused save leaves no file', async () => {
    const g = await openSession(resolve(ROOT, 'scenarios/option-graduated-fee.yaml'), {});
    const r = mount({ scenario: g.model.scenario, pop: g.pop, ctx: g.ctx });
    await tick();
    r.stdin.write('2');
    r.stdin.write('o');
    await vi.waitFor(() => expect(frame(r)).toMatch(/Option 5\. Graduated fee by size/));
    r.stdin.write('p');
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 300 employees'));
    expect(frame(r)).not.toContain('preset pp18: its whole rule');
    expect(frame(r)).toContain('this option has no eligibility rule: preset pp18 sets only its 300 employees');
    const doc = JSON.parse(
      cli(['run', 'scenarios/option-graduated-fee.yaml', '--json', '--set', 'options.graduated-fee.bands.medium.maxEmployees=300']).stdout,
    );
    expect(frame(r)).toContain(`Net 2020–2023 ${chf(netOf(doc, 'graduated-fee'))}`);
    r.stdin.write('6');
    r.stdin.write('w');
    await vi.waitFor(() => expect(r.saves).toHaveLength(1));
    const st = r.saves[0] as Settings;
    expect(settingsOverrides(g.model.scenario, st)).toEqual({ 'options.graduated-fee.bands.medium.maxEmployees': 300 });
    // the real save: the file validates; the export's provenance loads (no unknown key)
    const { saveExploredScenario, explorerProvenance } = await import('../src/cli/commands/explore.js');
    const dir = mkdtempSync(join(tmpdir(), 'feesim-gf-'));
    const saved = await saveExploredScenario(g.inputs.loaded.file, g.model.scenario, st, dir);
    expect(cli(['validate', resolve(saved)]).code).toBe(0);
    expect(explorerProvenance([g], settingsOverrides(g.model.scenario, st), null, 'threshold-curve').overrides).toEqual([
      'options.graduated-fee.bands.medium.maxEmployees=300',
    ]);
    // settings the scenario format refuses: the save fails and leaves nothing behind
    const bad = { ...st, params: { 'options.graduated-fee.bands.medium.maxEmployees': -5 } };
    const empty = mkdtempSync(join(tmpdir(), 'feesim-gf-'));
    await expect(saveExploredScenario(g.inputs.loaded.file, g.model.scenario, bad, empty)).rejects.toThrow();
    expect(readdirSync(empty)).toEqual([]);
  });
  test("with Monte Carlo, the chosen option's P5–P95 at its threshold equal `feesim run --draws --seed --set`", async () => {
    const r = mount({ draws: 200, seed: 3 });
    await tick();
    r.stdin.write('2');
    r.stdin.write('o');
    await vi.waitFor(() => expect(frame(r)).toContain('(2 of 2 with a threshold; o: next)'));
    for (let k = 0; k < 2; k++) r.stdin.write(KEYS.pageUp);
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 270 employees'));
    await vi.waitFor(() => expect(frame(r)).toContain('Monte Carlo: 200 draws, seed 3'), { timeout: 60_000 });
    const doc = runJson(['--draws', '200', '--seed', '3', '--set', 'options.pay-as-you-go.eligibility.maxEmployees=270']);
    const mc = doc.monteCarlo.arms.find((x: { id: string }) => x.id === 'pay-as-you-go').total;
    expect(frame(r)).toContain(
      `P5–P95 ${formatCell(mc.p5, 'chf')} … ${formatCell(mc.p95, 'chf')}  P(loss) ${formatCell(mc.probLoss, 'percent')}`,
    );
  }, 90_000);
  test('the help lists o', async () => {
    const r = mount();
    await tick();
    r.stdin.write('?');
    await vi.waitFor(() => expect(frame(r)).toMatch(/Threshold\s+o\s+move another option’s threshold \(cycles through them\)/));
  });
});

describe('Monte Carlo figures agree with the CLI', () => {
  test('after a fee change (new draws) and a threshold step (stored draws): P5, P95, P(loss), P(1st) equal `feesim run --draws --seed`', async () => {
    const r = mount({ draws: 300, seed: 9 });
    await tick();
    r.stdin.write('3');
    await vi.waitFor(() => expect(frame(r)).toContain('›3 Fees'));
    r.stdin.write(KEYS.right); // SME fee table +5 %: a new run, at threshold 250
    await vi.waitFor(() => expect(frame(r)).toContain('×1.05'));
    r.stdin.write('2');
    for (let k = 0; k < 3; k++) r.stdin.write(KEYS.pageUp); // threshold 280: the combination follows, the SME option is read from its curve
    r.stdin.write('6');
    r.stdin.write('w'); // the settings on screen, as the explorer holds them
    r.stdin.write('1');
    await vi.waitFor(() => expect(r.saves).toHaveLength(1));
    const settings = r.saves[0] as Settings;
    expect(settings).toMatchObject({ threshold: 280, smeFeeFactor: 1.05 });
    await vi.waitFor(() => expect(frame(r)).toContain('Monte Carlo: 300 draws, seed 9'), { timeout: 60_000 });
    const set = overridesFromSettings(settingsOverrides(session.model.scenario, settings)).flatMap((o) => ['--set', o]);
    const json = runJson(['--draws', '300', '--seed', '9', ...set]);
    // keys are handled asynchronously: under load the Overview may be drawn a few frames after the status line
    await vi.waitFor(
      () => {
        for (const a of json.arms as { id: string; label: string }[]) {
          const mc = json.monteCarlo.arms.find((x: { id: string }) => x.id === a.id);
          const row = rowOf(frame(r), a.label);
          expect(row).toContain(formatCell(mc.total.p5, 'chf'));
          expect(row).toContain(formatCell(mc.total.p95, 'chf'));
          expect(row).toContain(formatCell(mc.total.probLoss, 'percent'));
          expect(row).toContain(formatCell(mc.probBest, 'percent'));
        }
      },
      { timeout: 30_000 },
    );
  }, 90_000);
  test('a change that needs new draws keeps the earlier figures on screen, marked updating, until the new run ends', async () => {
    const m = manualSchedule();
    const r = mount({ draws: 400, seed: 5, schedule: m.schedule });
    await tick();
    m.pump(10);
    r.stdin.write(KEYS.down); // a repaint after the run
    await vi.waitFor(() => expect(frame(r)).toContain('Monte Carlo: 400 draws, seed 5'));
    const before = rowOf(frame(r), '2. Extend the pilot');
    r.stdin.write('3');
    await vi.waitFor(() => expect(frame(r)).toContain('›3 Fees'));
    r.stdin.write(KEYS.down); // the meeting fee −5 %: new draws for every option
    await vi.waitFor(() => expect(frame(r)).toContain('×0.95'));
    r.stdin.write('1');
    await vi.waitFor(() => expect(frame(r)).toContain('›1 Overview'));
    expect(frame(r)).toContain('Monte Carlo updating for the new settings');
    expect(rowOf(frame(r), '2. Extend the pilot').replace(/^›/, ' ')).toBe(before.replace(/^›/, ' ')); // the earlier figures, not blanks
    m.pump(10);
    r.stdin.write(KEYS.up);
    await vi.waitFor(() => expect(frame(r)).toContain('Monte Carlo: 400 draws, seed 5'));
    expect(frame(r)).not.toContain('updating');
  });
});

describe('fee explorer', () => {
  test('←/→ change the SME fee, ↓/↑ the meeting fee; the revenue-neutral fee is shown', async () => {
    const r = mount();
    await tick();
    r.stdin.write('3');
    await vi.waitFor(() => expect(frame(r)).toContain('Revenue-neutral at threshold 250'));
    r.stdin.write(KEYS.right);
    // 3,975 × 1.05 = 4,173.75 developed, half of it (2,086.9) developing
    await vi.waitFor(() => expect(frame(r)).toMatch(/1\. SME category.* ×1\.05 \(←→\): .*ITU-T 4,174\/2,087/));
    r.stdin.write(KEYS.left);
    r.stdin.write(KEYS.left);
    await vi.waitFor(() => expect(frame(r)).toContain('×0.95 (←→)'));
    r.stdin.write(KEYS.down);
    await vi.waitFor(() => expect(frame(r)).toMatch(/3\. Pay-as-you-go.* ×0\.95 \(↓↑\): .*ITU-T 5,035/)); // 5,300 × 0.95
    r.stdin.write(KEYS.up);
    await vi.waitFor(() => expect(frame(r)).toContain('×1.00 (↓↑)'));
  });
});

describe('sensitivity', () => {
  test('←/→ switch the option; assumptions by name with P10/P90 in their own format', async () => {
    const r = mount();
    await tick();
    r.stdin.write('4');
    const labels = session.model.arms.map((a) => a.label);
    await vi.waitFor(() => expect(frame(r)).toContain(`Tornado: ${labels[0]}`));
    expect(frame(r)).toMatch(/Switch propensity: nothing[^\n]*?\s+\d+(\.\d+)? %\s+\d+(\.\d+)? %/);
    expect(frame(r)).not.toContain('switchPropensity');
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
    await vi.waitFor(() => expect(frame(r)).toContain(`${rows.length} incumbents would pay less · sorted by saving`));
    r.stdin.write('s');
    await vi.waitFor(() => expect(frame(r)).toContain('sorted by employees'));
    const smallest = [...rows].sort((a, b) => a.employees - b.employees || a.id.localeCompare(b.id))[0]!;
    r.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(frame(r)).toContain(`${smallest.id} ${smallest.name}`));
    expect(frame(r)).toContain(`fee today: CHF ${smallest.feeToday.toLocaleString('en-GB')}`);
    r.stdin.write(KEYS.escape);
    await vi.waitFor(() => expect(frame(r)).toContain('incumbents would pay less'));
  });
  test('the explain trace scrolls with ↓/↑ and keeps its member', async () => {
    const r = mount();
    await tick();
    r.stdin.write('5');
    r.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(frame(r)).toMatch(/lines 1–\d+ of (\d+)/));
    const total = Number(/lines 1–\d+ of (\d+)/.exec(frame(r))![1]);
    const firstLine = frame(r).split('\n')[3];
    expect(total).toBeGreaterThan(17); // longer than the screen at 80×24
    r.stdin.write(KEYS.down);
    await vi.waitFor(() => expect(frame(r)).toMatch(/lines 2–\d+ of/));
    expect(frame(r).split('\n')[3]).not.toBe(firstLine);
    r.stdin.write(KEYS.pageDown);
    r.stdin.write(KEYS.pageDown);
    await vi.waitFor(() => expect(frame(r)).toMatch(new RegExp(`lines \\d+–${total} of ${total}`)));
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
    await vi.waitFor(() => expect(frame(r)).toContain('incumbents would pay less')); // Esc alone, not read as Alt+PgUp
    r.stdin.write(KEYS.pageUp);
    r.stdin.write(KEYS.up);
    r.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(frame(r)).toContain(`${sorted[0]!.id} ${sorted[0]!.name}`));
  });
});

describe('parameters', () => {
  const params = tuiParams(session.model.scenario);
  test("every option's parameters are listed with names and units", async () => {
    const r = mount({ rows: 60, columns: 120 });
    await tick();
    r.stdin.write('6');
    await vi.waitFor(() => expect(frame(r)).toContain(`› ${params[0]!.name}`));
    for (let k = 0; k < params.length; k++) {
      expect(frame(r)).toContain(params[k]!.name);
      r.stdin.write(KEYS.down);
      await vi.waitFor(() => expect(frame(r)).toContain(`› ${params[Math.min(k + 1, params.length - 1)]!.name}`));
    }
    expect(params.map((p) => p.path)).toEqual(
      expect.arrayContaining(['options.pay-as-you-go.newParticipants.referenceCount', 'options.extend-pilot.leakage.rate']),
    );
  });
  test('↑/↓ choose, ←/→ change and the results follow; w saves; z resets everything and says so', async () => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    r.stdin.write(KEYS.right); // threshold 251
    r.stdin.write('6');
    const at = params.findIndex((p) => p.path === 'options.sme-category.switchPropensity.base');
    for (let k = 0; k < at; k++) r.stdin.write(KEYS.down);
    await vi.waitFor(() => expect(frame(r)).toContain('› Switch propensity: nothing given up'));
    r.stdin.write(KEYS.down);
    await vi.waitFor(() => expect(frame(r)).toContain('› Switch propensity: Sector Member factor'));
    r.stdin.write(KEYS.up);
    // rights-aware switch propensity, base PERT(0.5, 0.85, 1): mean 0.816667; +0.05 -> 0.866667
    r.stdin.write(KEYS.right);
    await vi.waitFor(() => expect(frame(r)).toMatch(/› Switch propensity: nothing given up\s+\*\s+86\.7 % of eligible incumbents/));
    r.stdin.write('w');
    await vi.waitFor(() => expect(frame(r)).toContain('saved scenario saved.yaml'));
    expect(r.saves[0]).toMatchObject({ threshold: 251 });
    expect((r.saves[0] as { params: Record<string, number> }).params['options.sme-category.switchPropensity.base']).toBeCloseTo(
      (0.5 + 4 * 0.85 + 1) / 6 + 0.05,
      9,
    ); // PERT mean + one step
    r.stdin.write('z');
    await vi.waitFor(() => expect(frame(r)).toContain('reset: threshold 250, scenario fees, 1 edited assumption back'));
    expect(frame(r)).not.toMatch(/ \* +[\d-]/);
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 250 employees'));
    expect(frame(r)).not.toContain('reset:'); // messages belong to the view they were given in
  });
});

describe('descriptions follow edits (issue 10)', () => {
  test("every parameter an option's summary mentions: a TUI edit shows the new summary and the old one nowhere", async () => {
    const base = session.model.scenario;
    const params = tuiParams(base);
    const r = mount({ columns: 400, rows: 70 });
    await tick();
    r.stdin.write('6');
    let mentioned = 0;
    const kinds = new Set<string>();
    for (let k = 0; k < params.length; k++) {
      const p = params[k]!;
      if (k) r.stdin.write(KEYS.down);
      await vi.waitFor(() => expect(frame(r)).toContain(`› ${p.name}`));
      const before = describeOption(base, p.option);
      expect(frame(r).split('\n')[2]).toBe(before);
      const value = paramValue(base, initialSettings(base), p.path);
      const settings = { ...initialSettings(base), params: { [p.path]: Math.min(p.max, value + p.step) } };
      r.stdin.write(KEYS.right);
      if (settingsProblem(base, settings)) {
        // a step the scenario format refuses (shares summing to more than 1) is not taken, and it says why
        await vi.waitFor(() => expect(frame(r)).toContain('not changed: '));
        continue;
      }
      await vi.waitFor(() => expect(frame(r)).toMatch(new RegExp(`› ${p.name.replace(/[()]/g, '\\$&')}\\s+\\*`)));
      const edited = applySettings(base, settings);
      const after = describeOption(edited, p.option);
      if (after !== before) {
        mentioned++;
        kinds.add(base.options[p.option]!.kind);
        expect(frame(r).split('\n')[2]).toBe(after);
        expect(frame(r)).not.toContain(before);
      }
      r.stdin.write('z');
      await vi.waitFor(() => expect(frame(r)).not.toMatch(/› [^\n]* \* /)); // on the selected line only (the legend below starts with *)
    }
    expect(mentioned).toBeGreaterThan(10);
    // every kind: cease-pilot's three shares must sum to 1 so that none moves alone, but its Dirichlet concentration does
    expect(kinds.size).toBe(4);
  }, 180_000);
});

describe('A/B comparison', () => {
  test('a pins A; after a threshold change every view shows B beside A, the difference equal to two `feesim run --json`', async () => {
    const r = mount();
    await tick();
    r.stdin.write('a');
    await vi.waitFor(() => expect(frame(r)).toContain('pinned these settings as A'));
    r.stdin.write('2');
    r.stdin.write('p'); // PP-18 report rule, 300 employees
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 300 employees'));
    const a = runJson([]);
    const b = runJson(['--set', 'options.sme-category.eligibility={preset: pp18, maxEmployees: 300}']);
    const net = (doc: typeof a, id: string) => doc.arms.find((x: { id: string }) => x.id === id).total.net as number;
    const diff = net(b, 'sme-category') - net(a, 'sme-category');
    const signed = (v: number) => `${v > 0 ? '+' : ''}${formatCell(v, 'chf')}`;
    for (const v of ['2', '3', '4', '5', '6', '1']) {
      r.stdin.write(v);
      await vi.waitFor(() => expect(frame(r)).toContain(`›${v} `));
      const f = frame(r);
      expect(f).toMatch(new RegExp(`B − A\\s+${signed(diff).replace('+', '\\+')}`));
    }
    // the overview: every option's B − A
    const f = frame(r);
    for (const arm of a.arms as { id: string; label: string }[]) {
      const row = rowOf(f, arm.label);
      expect(row).toContain(signed(net(b, arm.id) - net(a, arm.id)));
    }
    // an export while A/B is on writes A, B and B − A
    r.stdin.write('c');
    await vi.waitFor(() => expect(r.exports).toHaveLength(1));
    const t = r.exports[0]!.tables[0]!;
    expect(t.id).toBe('ab-comparison');
    const sme = t.rows.find((x) => String(x.option).startsWith('1. SME'))!;
    expect(sme.netA).toBeCloseTo(net(a, 'sme-category'), 6);
    expect(sme.netB).toBeCloseTo(net(b, 'sme-category'), 6);
    expect(sme.netDiff).toBeCloseTo(diff, 6);
    r.stdin.write('a');
    await vi.waitFor(() => expect(frame(r)).toContain('A-B comparison off'));
    expect(frame(r)).not.toContain('B − A');
  });
  test('with Monte Carlo, P5 and P95 of B − A come from the same draws as `feesim run --draws --seed`', async () => {
    const r = mount({ draws: 300, seed: 4 });
    await tick();
    r.stdin.write('a');
    r.stdin.write('2');
    for (let k = 0; k < 5; k++) r.stdin.write(KEYS.pageUp); // 300
    await vi.waitFor(() => expect(frame(r)).toContain('Monte Carlo: 300 draws, seed 4'), { timeout: 60_000 });
    const p = (doc: { monteCarlo: { arms: { id: string; total: { p5: number; p95: number } }[] } }) =>
      doc.monteCarlo.arms.find((x) => x.id === 'sme-category')!.total;
    const a = p(runJson(['--draws', '300', '--seed', '4']));
    const b = p(runJson(['--draws', '300', '--seed', '4', '--set', 'options.sme-category.eligibility.maxEmployees=300']));
    const signed = (v: number) => `${v > 0 ? '+' : ''}${formatCell(v, 'chf')}`;
    const line = frame(r)
      .split('\n')
      .find((l) => l.startsWith('  B − A'))!;
    expect(line).toContain(signed(b.p5 - a.p5));
    expect(line).toContain(signed(b.p95 - a.p95));
  }, 90_000);
});

describe('the baseline is named', () => {
  test('Overview and exports say which baseline; with A and B differing only in it, both', async () => {
    const file = resolve(ROOT, 'scenarios/pp18-options.yaml');
    const ends = await openSession(file, { set: ['baseline.pilot=ends 2020'] });
    const r = mount({ scenario: ends.model.scenario, pop: ends.pop, ctx: ends.ctx });
    await tick();
    await vi.waitFor(() => expect(frame(r)).toContain('Net impact 2020–2023 in CHF against the pilot ending in January 2020.'));
    for (const l of frame(r).split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
    r.stdin.write('m');
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toContain('›2 Threshold'));
    r.stdin.write('m');
    await vi.waitFor(() => expect(r.exports).toHaveLength(2));
    for (const e of r.exports) expect(e.tables[0]!.footnotes.join('\n')).toContain('the pilot ending in January 2020');
    cleanup();
    // feesim explore a.yaml b.yaml, the two differing only in the baseline
    const b = mount({ a: { scenario: ends.model.scenario, pop: ends.pop, name: 'a.yaml', ctx: ends.ctx }, name: 'b.yaml' });
    await tick();
    await vi.waitFor(() => expect(frame(b)).toContain('A against the pilot ending in January 2020,'));
    expect(frame(b)).toContain('B against the pilot continuing as today.');
    b.stdin.write('c');
    await vi.waitFor(() => expect(b.exports).toHaveLength(1));
    expect(b.exports[0]!.tables[0]!.footnotes).toContain(
      'Baselines differ: A against the pilot ending in January 2020; B against the pilot continuing as today.',
    );
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
    expect(r.exports[0]!.tables[0]!.rows.length).toBeGreaterThan(10);
  });
  /** The CLI's own footnote lines (`[n] Assumption: …`) for a run with these overrides. */
  const cliAssumptions = (sets: string[]) =>
    cli(['run', 'scenarios/pp18-options.yaml', ...sets.flatMap((x) => ['--set', x])])
      .stdout.split('\n')
      .flatMap((l) => /^\[\d+\] (Assumption: .*)$/.exec(l)?.[1] ?? []);
  test("an export's footnotes state the rule computed (threshold moved, preset), for A and for B", async () => {
    const r = mount();
    await tick();
    r.stdin.write('2');
    r.stdin.write(KEYS.end); // 350
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 350 employees'));
    r.stdin.write('1');
    r.stdin.write('m');
    await vi.waitFor(() => expect(r.exports).toHaveLength(1));
    const at350 = cliAssumptions(['options.sme-category.eligibility.maxEmployees=350']);
    expect(at350.find((l) => l.startsWith('Assumption: 1. SME'))).toContain('at most 350 staff');
    for (const t of r.exports[0]!.tables) for (const l of at350) expect(t.footnotes).toContain(l);
    // pin A at 350, then B the PP-18 preset: A's rule and B's, each as computed
    r.stdin.write('a');
    r.stdin.write('2');
    r.stdin.write('p');
    await vi.waitFor(() => expect(frame(r)).toContain('Threshold ≤ 300 employees'));
    r.stdin.write('1');
    r.stdin.write('c');
    await vi.waitFor(() => expect(r.exports).toHaveLength(2));
    const [ab, own] = r.exports[1]!.tables;
    const pp18 = cliAssumptions(['options.sme-category.eligibility={preset: pp18, maxEmployees: 300}']);
    const sme = (ls: string[]) => ls.find((l) => l.startsWith('Assumption: 1. SME'))!;
    expect(sme(pp18)).toContain('at most 300 staff, headcount only');
    expect(ab!.id).toBe('ab-comparison');
    expect(ab!.footnotes).toContain('A: pinned, 1. SME category threshold 350; B: now, 1. SME category threshold 300 (preset pp18).');
    expect(ab!.footnotes).toContain(sme(at350).replace('Assumption:', 'Assumption (A):'));
    expect(ab!.footnotes).toContain(sme(pp18).replace('Assumption:', 'Assumption (B):'));
    for (const l of pp18) expect(own!.footnotes).toContain(l);
    for (const t of r.exports.flatMap((e) => e.tables)) expect(t.footnotes.join('\n')).not.toContain('SME category: SME test: at most 250');
  });
  test('q quits', async () => {
    const r = mount();
    await tick();
    const before = r.frames.length;
    r.stdin.write('q');
    r.stdin.write('2'); // after exit nothing reacts any more
    await new Promise((res) => setTimeout(res, 100));
    expect(r.frames.slice(before).some((f) => f.includes('›2 Threshold'))).toBe(false);
  });
  test('Monte Carlo runs in chunks with a progress line and refines the threshold interval', async () => {
    const r = mount({ draws: 600, seed: 3 });
    await tick();
    r.stdin.write('2');
    await vi.waitFor(() => expect(frame(r)).toContain('Monte Carlo: 600 draws, seed 3'), { timeout: 30_000 });
    await vi.waitFor(() => expect(frame(r)).toMatch(/P5–P95 -?[\d,]+ … -?[\d,]+ {2}P\(loss\)/));
    expect(r.frames.some((f) => /Monte Carlo running \[#*\.+\] [\d,]+\/600/.test(f))).toBe(true);
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
    expect(r.stdout).toContain('Net impact of each option, 2020–2023');
    expect(r.stdout).not.toMatch(/\u001B\[/);
    expect(r.stderr).not.toContain('Raw mode');
  });
  test('`feesim` takes the options of `feesim explore` (--seed, --draws, --out-dir)', () => {
    const r = cli(['--seed', '7', '--draws', '0', '--out-dir', '.']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SYNTHETIC');
  });
  test('`feesim explore` under CI prints the overview too', () => {
    const r = cli(['explore']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SYNTHETIC');
  });
  // A real terminal: test/pty-run.py gives the program a pseudo-terminal of its own, so the TUI mounts
  // and reads keys whatever the test runner's own stdin is (CI has none).
  const inPty = (keys: string, env: Record<string, string> = {}, pre: string[] = [], args: string[] = ['explore', '--draws', '0']) =>
    spawnSync(
      'python3',
      // keys go once the explorer's key bar is up (the plain-text first frame before it has none); ' quit',
      // not '? help': in colour the keys are drawn in inverse video, so escape codes come between them
      [resolve(ROOT, 'test/pty-run.py'), ...pre, keys, ' quit', process.execPath, 'bin/feesim.mjs', ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...noCi, TERM: 'xterm-256color', ...env },
        timeout: 60_000,
      },
    );
  test('in a terminal, q quits with 0 and Ctrl+C with 130', () => {
    const q = inPty('q', { FORCE_COLOR: '0' });
    expect(q.stdout).toContain('[SYNTHETIC roster]');
    expect(q.stdout).toContain('›1 Overview');
    expect(q.status).toBe(0);
    expect(inPty('\\x03', { FORCE_COLOR: '0' }).status).toBe(130);
  });
  test('keys typed during start-up are never echoed', () => {
    const r = inPty('q', { FORCE_COLOR: '0' }, ['--early', 'zz\\x1b[C2']);
    expect(r.stderr).toMatch(/early keys typed after 0 bytes of output/); // before the first frame
    expect(r.stdout).not.toContain('zz');
    expect(r.stdout).not.toContain('^[');
    expect(r.stdout).toContain('Monte Carlo off'); // the plain-text first frame, before Ink
    expect(r.stdout).toMatch(/›[12] (Overview|Threshold)/); // dropped before Ink reads keys, or read by it: never garbage
    expect(r.status).toBe(0);
  });
  test('in a terminal, a scenario that cannot be read: the message, exit 2, and nothing left waiting for keys', () => {
    // (the listener that drops keys typed during start-up once kept stdin flowing after the error:
    // node never exited; pty-run.py waits 40 s for the program to end, then kills it)
    for (const args of [
      ['explore', 'nosuch.yaml'],
      ['explore', 'scenarios/pp18-options.yaml', '--set', 'horizon.years=-3'],
    ]) {
      const r = inPty('', { FORCE_COLOR: '0' }, [], args);
      expect(r.stdout, args.join(' ')).toMatch(/1 problem found; nothing was run\./);
      expect(r.status, args.join(' ')).toBe(2);
    }
  });
  test('without the CommonJS bundle the bin runs the ES module bundle, without either the plain build: the explorer works in both', () => {
    // (bin/feesim.mjs: the ES module bundle is what Node 22.1+ runs, tsc's dist/cli/ what a checkout without a bundle runs)
    for (const removed of [['dist/cjs'], ['dist/cjs', 'dist/bundle']]) {
      const pkg = mkdtempSync(join(tmpdir(), 'feesim-no-bundle-'));
      try {
        for (const name of ['bin', 'dist']) cpSync(join(ROOT, name), join(pkg, name), { recursive: true });
        for (const name of ['data', 'scenarios', 'node_modules', 'package.json']) symlinkSync(join(ROOT, name), join(pkg, name));
        for (const dir of removed) rmSync(join(pkg, dir), { recursive: true });
        const r = spawnSync(
          'python3',
          [resolve(ROOT, 'test/pty-run.py'), 'q', ' quit', process.execPath, join(pkg, 'bin/feesim.mjs'), 'explore', '--draws', '0'],
          {
            cwd: pkg,
            encoding: 'utf8',
            env: { ...noCi, TERM: 'xterm-256color', FORCE_COLOR: '0', FEESIM_CODE_CACHE: 'report' },
            timeout: 60_000,
          },
        );
        expect(r.stdout, removed.join(' ')).toContain('›1 Overview');
        expect(r.stdout, removed.join(' ')).not.toContain('internal error');
        expect(r.stdout, removed.join(' ')).not.toContain('code cache:'); // not the CommonJS bundle
        expect(r.status, removed.join(' ')).toBe(0);
      } finally {
        rmSync(pkg, { recursive: true, force: true });
      }
    }
  });
  test('in a terminal, a resize redraws the explorer at the new size', () => {
    // the title, cut at a word at 80 columns, fits whole at 110
    const title = 'revenue impact of the four options in the report';
    expect(inPty('q', { FORCE_COLOR: '0' }).stdout).not.toContain(title);
    const r = inPty('q', { FORCE_COLOR: '0' }, ['--resize', '110x32']);
    expect(r.stdout).toContain(title);
    expect(r.status).toBe(0);
  });
  test('in a terminal, a switch propensity written as an expression, explored alone or pinned as A', () => {
    // (the Ink part once had its own copy of the engine, without mathjs: an internal error. It now
    // shares the session's, which loaded mathjs: cli/session.ts)
    const expr = 'min(1, 0.2 + saving_share)';
    const alone = inPty(
      'q',
      { FORCE_COLOR: '0' },
      [],
      ['explore', 'scenarios/pp18-options.yaml', '--draws', '0', '--set', `options.sme-category.switchPropensity=${expr}`],
    );
    expect(alone.stdout).not.toContain('internal error');
    expect(alone.stdout).toContain('›1 Overview');
    expect(alone.status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'feesim-expr-'));
    try {
      const a = join(dir, 'a.yaml');
      writeFileSync(
        a,
        `extends: ${resolve(ROOT, 'scenarios/pp18-options.yaml')}\noptions:\n  sme-category:\n    switchPropensity: "${expr}"\n`,
      );
      const pinned = inPty('q', { FORCE_COLOR: '0' }, [], ['explore', a, 'scenarios/pp18-options.yaml', '--draws', '0']);
      expect(pinned.stdout).not.toContain('internal error');
      expect(pinned.stdout).toContain('›1 Overview');
      expect(pinned.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('Ctrl+C typed during start-up is honoured: exit 130', () => {
    expect(inPty('', { FORCE_COLOR: '0' }, ['--early', '\\x03']).status).toBe(130);
  });
  test('without WebAssembly (node --jitless) the overview is printed, with a note, not an internal error', () => {
    // NODE_OPTIONS cannot hold --jitless; the flag is given to node itself
    const r = spawnSync(
      'python3',
      [resolve(ROOT, 'test/pty-run.py'), 'q', ' quit', process.execPath, '--jitless', 'bin/feesim.mjs', 'explore', '--draws', '0'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...noCi, TERM: 'xterm-256color', FORCE_COLOR: '0' },
        timeout: 60_000,
      },
    );
    expect(r.stdout).toContain('the explorer needs WebAssembly');
    expect(r.stdout).toContain('PP-18 SME options');
    expect(r.stdout).not.toContain('internal error');
    expect(r.status).toBe(0);
  });
  test("Ctrl+C between the plain-text first frame and Ink's: exit 130, the shell's prompt on a line of its own", () => {
    // (dropTypedAhead, with a stand-in stdin: on a real terminal that moment lasts ~0.1–0.3 s)
    const stdin = Object.assign(new EventEmitter(), { setRawMode: vi.fn(), pause: vi.fn() }) as unknown as NodeJS.ReadStream;
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((t) => {
      written.push(String(t));
      return true;
    });
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    try {
      const before = dropTypedAhead(stdin);
      expect(() => stdin.emit('data', Buffer.from('\u0003'))).toThrow('exit 130');
      expect(written).toEqual([]); // nothing drawn yet: no line to end
      before.release();
      const after = dropTypedAhead(stdin);
      after.framePrinted();
      expect(() => stdin.emit('data', Buffer.from('2\u0003'))).toThrow('exit 130');
      expect(written).toEqual(['\n']);
      after.release();
    } finally {
      write.mockRestore();
      exit.mockRestore();
    }
  });
  test('with NO_COLOR the terminal gets no colour codes, and colour otherwise', () => {
    const plain = inPty('q', { NO_COLOR: '1' });
    expect(plain.stdout).toContain('[SYNTHETIC roster]');
    expect(plain.stdout).not.toMatch(/\u001B\[3\dm/);
    const coloured = inPty('q', { FORCE_COLOR: '1' });
    expect(coloured.stdout).toMatch(/\u001B\[3\dm/);
  });
  test('`feesim explore a.yaml b.yaml` opens with A and B pinned', () => {
    const r = inPty(
      'q',
      { FORCE_COLOR: '0' },
      [],
      ['explore', '--draws', '0', 'scenarios/pp18-options.yaml', 'scenarios/threshold-300.yaml'],
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('A/B');
    expect(r.stdout).toContain('A pp18-options.yaml');
    expect(r.stdout).toContain('B threshold-300.yaml');
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
  test('a scenario saved from an explorer opened with --members names that roster: run on it gives the explored numbers (red team F3)', async () => {
    const { saveExploredScenario } = await import('../src/cli/commands/explore.js');
    const rosterDir = mkdtempSync(join(tmpdir(), 'feesim-roster-'));
    const roster = join(rosterDir, 'members.csv');
    writeFileSync(roster, `${SMALL_ROSTER}\n`);
    const explored = await openSession(resolve(ROOT, 'scenarios/pp18-options.yaml'), { members: roster });
    const dir = mkdtempSync(join(tmpdir(), 'feesim-'));
    const settings = { ...initialSettings(explored.model.scenario), threshold: 120 };
    const path = await saveExploredScenario(explored.inputs.loaded.file, explored.model.scenario, settings, dir, [], {
      members: roster,
      paths: explored.inputs.loaded.paths,
    });
    const text = readFileSync(resolve(ROOT, path), 'utf8');
    expect(text).toContain(`\nroster: ../${basename(rosterDir)}/members.csv\n`);
    expect(text).toMatch(/^# Roster: .*members\.csv, the one explored \(--members .*members\.csv\)\.$/m);
    const r = cli(['run', path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const saved = JSON.parse(r.stdout) as { arms: { id: string; total: { net: number } }[] };
    const expected = runDeterministic(compileModel(applySettings(explored.model.scenario, settings), explored.pop));
    const bundled = runDeterministic(compileModel(applySettings(session.model.scenario, settings), session.pop));
    expect(expected.arms.some((a, k) => a.total.net !== bundled.arms[k]!.total.net)).toBe(true); // the roster matters
    for (const a of expected.arms) expect(saved.arms.find((x) => x.id === a.id)!.total.net).toBeCloseTo(a.total.net, 6);
    expect(r.stderr).not.toMatch(/SYNTHETIC/);
  });
  test('a roster given with --set when the explorer was opened is saved as the file it resolved to', async () => {
    const { saveExploredScenario } = await import('../src/cli/commands/explore.js');
    const rosterDir = mkdtempSync(join(tmpdir(), 'feesim-roster-'));
    writeFileSync(join(rosterDir, 'members.csv'), `${SMALL_ROSTER}\n`);
    // --set paths resolve against the scenario explored (scenarios/), not the folder the saved file goes to
    const set = [`roster=${relative(resolve(ROOT, 'scenarios'), join(rosterDir, 'members.csv'))}`];
    const explored = await openSession(resolve(ROOT, 'scenarios/pp18-options.yaml'), { set });
    const dir = mkdtempSync(join(tmpdir(), 'feesim-'));
    const path = await saveExploredScenario(
      explored.inputs.loaded.file,
      explored.model.scenario,
      initialSettings(explored.model.scenario),
      dir,
      set,
      {
        paths: explored.inputs.loaded.paths,
      },
    );
    expect(readFileSync(resolve(ROOT, path), 'utf8')).toContain(`\nroster: ../${basename(rosterDir)}/members.csv\n`);
    const r = cli(['run', path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const expected = runDeterministic(explored.model);
    const saved = JSON.parse(r.stdout) as { arms: { id: string; total: { net: number } }[] };
    for (const a of expected.arms) expect(saved.arms.find((x) => x.id === a.id)!.total.net).toBeCloseTo(a.total.net, 6);
  });
});
