import { compareText } from '../domain/compare-text.js';
import type { InputIssue } from '../domain/issues.js';
import type { McResult } from '../engine/montecarlo.js';
import type { RunResult } from '../engine/run.js';

/**
 * The reviewed expected-results format of `feesim check`: one metric per line,
 *   <metric>  <value>  [abs=<a>] [rel=<r>]
 * with `#` header lines that record the scenario, seed and draws. A metric passes when
 * |actual − expected| ≤ max(abs, rel × |expected|).
 */
export interface ExpectedLine {
  metric: string;
  value: number;
  abs?: number;
  rel?: number;
  line: number;
}
export interface ExpectedFile {
  draws: number;
  seed: number | null;
  /** The `# scenario:` line: the scenario the file was recorded for (absent in a hand-written file). */
  scenario?: { path: string; line: number };
  lines: ExpectedLine[];
}
export const DEFAULT_TOLERANCE = { abs: 0.01, rel: 1e-9 };

/** Every metric of a run, keyed by a stable name. */
/** The comparison against a further baseline (baseline.alsoAgainst), keyed `against.<pilot>.<option>.…`. */
export interface AlsoAgainst {
  baseline: string;
  run: RunResult;
  mc?: McResult;
}

export function metricsOf(run: RunResult, mc?: McResult, also: AlsoAgainst[] = []): Map<string, number> {
  const m = new Map<string, number>();
  for (const b of run.baseline) m.set(`baseline.feeIncome.${b.year}`, b.feeIncome);
  for (const a of [...run.arms].sort((x, y) => compareText(x.id, y.id))) {
    const last = a.years[a.years.length - 1]!;
    m.set(`${a.id}.total.net`, a.total.net);
    m.set(`${a.id}.total.gained`, a.total.gained);
    m.set(`${a.id}.total.lost`, a.total.lost);
    m.set(`${a.id}.total.adminCosts`, a.total.adminCosts);
    m.set(`${a.id}.discountedNet`, a.discountedNet);
    for (const y of a.years) m.set(`${a.id}.net.${y.year}`, y.net);
    m.set(`${a.id}.smeParticipants.${last.year}`, last.smeParticipants);
    m.set(`${a.id}.incumbentsSwitched.${last.year}`, last.incumbentsSwitched);
    m.set(`${a.id}.newEntrants.${last.year}`, last.newEntrants);
    for (const x of a.attribution ?? []) m.set(`${a.id}.attribution.${x.option}`, x.net);
    const r = mc?.arms.find((x) => x.id === a.id);
    if (r) {
      m.set(`${a.id}.mc.net.mean`, r.total.mean);
      m.set(`${a.id}.mc.net.p5`, r.total.p5);
      m.set(`${a.id}.mc.net.p50`, r.total.p50);
      m.set(`${a.id}.mc.net.p95`, r.total.p95);
      m.set(`${a.id}.mc.net.probLoss`, r.total.probLoss);
      m.set(`${a.id}.mc.probBest`, r.probBest);
    }
  }
  for (const alt of also) {
    const key = `against.${alt.baseline.replace(/\s+/g, '-')}`;
    for (const a of [...alt.run.arms].sort((x, y) => compareText(x.id, y.id))) {
      m.set(`${key}.${a.id}.total.net`, a.total.net);
      const r = alt.mc?.arms.find((x) => x.id === a.id);
      if (r) {
        m.set(`${key}.${a.id}.mc.net.p5`, r.total.p5);
        m.set(`${key}.${a.id}.mc.net.p95`, r.total.p95);
      }
    }
  }
  return m;
}

export function parseExpected(text: string, file: string): { expected?: ExpectedFile; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const lines: ExpectedLine[] = [];
  let draws = 0;
  let seed: number | null = null;
  let scenario: ExpectedFile['scenario'];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, k) => {
    const line = k + 1;
    const t = raw.trim();
    if (!t) return;
    if (t.startsWith('#')) {
      const sc = /^#\s*scenario:\s*(.*?)\s*$/.exec(t);
      if (sc?.[1] && !scenario) scenario = { path: sc[1], line };
      const m = /^#\s*(draws|seed):\s*(\S+)/.exec(t);
      if (m) {
        const v = Number(m[2]);
        if (!Number.isInteger(v) || v < 0)
          issues.push({ file, line, col: 1, path: m[1]!, message: `expected a whole number, found "${m[2]}"` });
        else if (m[1] === 'draws') draws = v;
        else seed = v;
      }
      return;
    }
    const [metric, value, ...opts] = t.split(/\s+/);
    const v = Number(value);
    if (!metric || value === undefined || !Number.isFinite(v)) {
      issues.push({ file, line, col: 1, path: metric ?? '', message: `expected "<metric> <number> [abs=…] [rel=…]", found "${t}"` });
      return;
    }
    if (seen.has(metric)) issues.push({ file, line, col: 1, path: metric, message: 'metric listed twice' });
    seen.add(metric);
    const entry: ExpectedLine = { metric, value: v, line };
    for (const o of opts) {
      const m = /^(abs|rel)=(.+)$/.exec(o);
      const n = m ? Number(m[2]) : NaN;
      if (!m || !(n >= 0))
        issues.push({
          file,
          line,
          col: raw.indexOf(o) + 1,
          path: metric,
          message: `expected abs=<number ≥ 0> or rel=<number ≥ 0>, found "${o}"`,
        });
      else entry[m[1] as 'abs' | 'rel'] = n;
    }
    lines.push(entry);
  });
  if (issues.length) return { issues };
  return { expected: { draws, seed, ...(scenario ? { scenario } : {}), lines }, issues };
}

export function formatExpected(
  scenarioFile: string,
  draws: number,
  seed: number | null,
  metrics: Map<string, number>,
  keep: ExpectedLine[] = [],
): string {
  const width = Math.max(...[...metrics.keys()].map((k) => k.length)) + 2;
  const tol = new Map(keep.map((l) => [l.metric, l]));
  const out = [
    '# feesim expected results. Reviewed values: a change here is a change of the model outputs.',
    '# Rewrite with `feesim check <scenario> --expected <this file> --update` and review the diff.',
    `# scenario: ${scenarioFile}`,
    `# draws: ${draws}`,
    ...(seed === null ? [] : [`# seed: ${seed}`]),
    `# default tolerance: abs=${DEFAULT_TOLERANCE.abs} rel=${DEFAULT_TOLERANCE.rel}; per line: abs=<a> rel=<r>`,
  ];
  for (const [k, v] of metrics) {
    const t = tol.get(k);
    out.push(`${k.padEnd(width)}${String(v)}${t?.abs !== undefined ? ` abs=${t.abs}` : ''}${t?.rel !== undefined ? ` rel=${t.rel}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

export interface Comparison {
  metric: string;
  expected: number | null;
  actual: number | null;
  difference: number | null;
  tolerance: number;
  ok: boolean;
}

export function compareMetrics(expected: ExpectedFile, actual: Map<string, number>): Comparison[] {
  const out: Comparison[] = [];
  for (const e of expected.lines) {
    const a = actual.get(e.metric);
    const tolerance = Math.max(e.abs ?? DEFAULT_TOLERANCE.abs, (e.rel ?? DEFAULT_TOLERANCE.rel) * Math.abs(e.value));
    if (a === undefined) {
      out.push({ metric: e.metric, expected: e.value, actual: null, difference: null, tolerance, ok: false });
      continue;
    }
    const difference = a - e.value;
    out.push({ metric: e.metric, expected: e.value, actual: a, difference, tolerance, ok: Math.abs(difference) <= tolerance });
  }
  const known = new Set(expected.lines.map((l) => l.metric));
  for (const [k, v] of actual)
    if (!known.has(k)) out.push({ metric: k, expected: null, actual: v, difference: null, tolerance: 0, ok: false });
  return out;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junitReport(suites: { name: string; results: Comparison[] }[]): string {
  const total = suites.reduce((s, x) => s + x.results.length, 0);
  const failures = suites.reduce((s, x) => s + x.results.filter((r) => !r.ok).length, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="feesim check" tests="${total}" failures="${failures}">`];
  for (const s of suites) {
    lines.push(`  <testsuite name="${xml(s.name)}" tests="${s.results.length}" failures="${s.results.filter((r) => !r.ok).length}">`);
    for (const r of s.results) {
      lines.push(`    <testcase classname="${xml(s.name)}" name="${xml(r.metric)}">`);
      if (!r.ok) {
        const msg =
          r.expected === null
            ? `new metric ${r.metric} = ${r.actual}`
            : r.actual === null
              ? `metric ${r.metric} missing (expected ${r.expected})`
              : `${r.metric} moved: expected ${r.expected}, actual ${r.actual}, difference ${r.difference}, tolerance ${r.tolerance}`;
        lines.push(`      <failure message="${xml(msg)}">${xml(msg)}</failure>`);
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
