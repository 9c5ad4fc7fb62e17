import { baselineWords } from '../domain/baseline-pilot.js';
import type { McResult, McSamples } from '../engine/montecarlo.js';
import type { RunResult } from '../engine/run.js';
import { summarizeSamples } from '../engine/summarize-samples.js';
import { provenanceNote, type TableContext } from './run-tables.js';
import { formatCell, type Table } from './table.js';

/**
 * Several scenarios in one table. Each scenario's Monte Carlo runs at the same seed: parameter draws
 * are keyed by (seed, parameter path) and member uniforms by (seed, member id, draw), so draw d of
 * every scenario sees the same random numbers (common random numbers) and the per-draw difference
 * between two arms of different scenarios is estimated precisely.
 */
export interface ComparedScenario {
  /** Short name labelling its arms (the file name without extension). */
  name: string;
  title: string;
  /** The baseline in words ("the pilot continuing as today"). */
  baseline?: string;
  run: RunResult;
  mc?: McResult;
  /** Per-draw results (arm order = the model's arms), needed for differences with intervals. */
  samples?: McSamples;
  /** The model's arm ids in sample order. */
  armIds: string[];
}

export interface ArmRef {
  scenario: number;
  arm: string;
}

export interface ArmDifference {
  a: ArmRef & { label: string };
  b: ArmRef & { label: string };
  /** Deterministic (expected-value) net of A minus net of B over the horizon. */
  net: number;
  /** Per-draw difference A − B: mean, P5, P95; P(A better than B) = share of draws with A's net > B's. */
  mc?: { mean: number; p5: number; p50: number; p95: number; pABetter: number; draws: number; seed: number };
}

export function armLabelOf(scenarios: ComparedScenario[], ref: ArmRef): string {
  const s = scenarios[ref.scenario]!;
  const a = s.run.arms.find((x) => x.id === ref.arm)!;
  return `${s.name}: ${a.label}`;
}

/** "name:arm", "arm" (unique among the scenarios) or "k:arm" (k = 1-based scenario position). */
export function parseArmRef(scenarios: ComparedScenario[], text: string): ArmRef {
  const colon = text.lastIndexOf(':');
  const scen = colon >= 0 ? text.slice(0, colon) : undefined;
  const arm = colon >= 0 ? text.slice(colon + 1) : text;
  const candidates: ArmRef[] = [];
  scenarios.forEach((s, k) => {
    if (scen !== undefined && scen !== s.name && scen !== String(k + 1)) return;
    if (s.run.arms.some((a) => a.id === arm)) candidates.push({ scenario: k, arm });
  });
  const all = scenarios.flatMap((s, k) =>
    s.run.arms.map((a) => `${s.name}:${a.id}${scenarios.length > 1 ? ` (or ${k + 1}:${a.id})` : ''}`),
  );
  if (!candidates.length) throw new Error(`no arm "${text}"; arms are ${all.join(', ')}`);
  if (candidates.length > 1)
    throw new Error(`"${text}" is in several scenarios; say which, e.g. ${scenarios[candidates[0]!.scenario]!.name}:${arm}`);
  return candidates[0]!;
}

/** A − B, deterministic and per draw (the draws of both are aligned: same seed, same draw index). */
export function armDifference(scenarios: ComparedScenario[], a: ArmRef, b: ArmRef): ArmDifference {
  const sa = scenarios[a.scenario]!,
    sb = scenarios[b.scenario]!;
  const netOf = (s: ComparedScenario, id: string) => s.run.arms.find((x) => x.id === id)!.total.net;
  const out: ArmDifference = {
    a: { ...a, label: armLabelOf(scenarios, a) },
    b: { ...b, label: armLabelOf(scenarios, b) },
    net: netOf(sa, a.arm) - netOf(sb, b.arm),
  };
  if (sa.samples && sb.samples && sa.mc && sb.mc) {
    if (sa.mc.seed !== sb.mc.seed || sa.samples.draws !== sb.samples.draws)
      throw new Error('the two scenarios ran different draws or seeds; differences need common random numbers');
    const xa = sa.samples.total[sa.armIds.indexOf(a.arm)]!;
    const xb = sb.samples.total[sb.armIds.indexOf(b.arm)]!;
    const d = new Float64Array(xa.length);
    let better = 0;
    for (let i = 0; i < d.length; i++) {
      d[i] = xa[i]! - xb[i]!;
      if (xa[i]! > xb[i]!) better++;
    }
    const s = summarizeSamples(d);
    out.mc = {
      mean: s.mean,
      p5: s.p5,
      p50: s.p50,
      p95: s.p95,
      pABetter: better / Math.max(1, d.length),
      draws: d.length,
      seed: sa.mc.seed,
    };
  }
  return out;
}

/** How often each arm (over all scenarios) ranks first, counted per draw over the aligned draws. */
function probBestAcross(scenarios: ComparedScenario[]): Map<string, number> | undefined {
  if (!scenarios.every((s) => s.samples)) return undefined;
  const draws = scenarios[0]!.samples!.draws;
  if (!scenarios.every((s) => s.samples!.draws === draws)) return undefined;
  const series = scenarios.flatMap((s, k) => s.armIds.map((id, a) => ({ key: `${k}:${id}`, x: s.samples!.total[a]! })));
  const count = new Map(series.map((s) => [s.key, 0]));
  for (let d = 0; d < draws; d++) {
    let best = -1,
      bestNet = -Infinity;
    series.forEach((s, k) => {
      if (s.x[d]! > bestNet) {
        bestNet = s.x[d]!;
        best = k;
      }
    });
    if (best >= 0) count.set(series[best]!.key, count.get(series[best]!.key)! + 1);
  }
  return new Map([...count].map(([k, v]) => [k, v / Math.max(1, draws)]));
}

/**
 * One ranked table over every arm of every scenario, labelled by scenario; with a reference arm B,
 * a column "Δ net vs B" (deterministic) and, with draws, the per-draw difference's P5–P95 and
 * P(better than B).
 */
export function compareTable(scenarios: ComparedScenario[], ctx: TableContext, ref?: ArmRef): Table {
  const pBest = probBestAcross(scenarios);
  const mc = scenarios[0]!.mc;
  const refLabel = ref ? armLabelOf(scenarios, ref) : undefined;
  const rows = scenarios
    .flatMap((s, k) =>
      s.run.arms.map((a) => {
        const m = s.mc?.arms.find((x) => x.id === a.id);
        const last = a.years[a.years.length - 1]!;
        const diff = ref ? armDifference(scenarios, { scenario: k, arm: a.id }, ref) : undefined;
        return {
          scenario: s.name,
          option: a.label,
          net: a.total.net,
          discountedNet: a.discountedNet,
          smeParticipants: last.smeParticipants,
          ...(m ? { p5: m.total.p5, p95: m.total.p95, pLoss: m.total.probLoss } : {}),
          ...(pBest ? { pBest: pBest.get(`${k}:${a.id}`) ?? 0 } : {}),
          ...(diff ? { diff: diff.net } : {}),
          ...(diff?.mc ? { diffP5: diff.mc.p5, diffP95: diff.mc.p95, pBetter: diff.mc.pABetter } : {}),
        };
      }),
    )
    .sort((x, y) => y.net - x.net)
    .map((r, k) => ({ rank: k + 1, ...r }));
  const h = scenarios[0]!.run.baseline;
  const y0 = h[0]?.year,
    y1 = h[h.length - 1]?.year;
  return {
    id: 'compare',
    title: `Options of ${scenarios.length} scenarios ranked by net impact ${y0}–${y1} (CHF, horizon total vs baseline)`,
    columns: [
      { id: 'rank', header: 'Rank', kind: 'int' },
      { id: 'scenario', header: 'Scenario', kind: 'text' },
      { id: 'option', header: 'Option', kind: 'text' },
      { id: 'net', header: 'Net impact', kind: 'chf' },
      ...(mc
        ? [
            { id: 'p5', header: 'Net P5', kind: 'chf' as const },
            { id: 'p95', header: 'Net P95', kind: 'chf' as const },
            { id: 'pLoss', header: 'P(net loss)', kind: 'percent' as const },
          ]
        : []),
      ...(pBest ? [{ id: 'pBest', header: 'P(ranks first)', kind: 'percent' as const }] : []),
      { id: 'discountedNet', header: 'Discounted net', kind: 'chf' },
      { id: 'smeParticipants', header: `SME participants ${y1}`, kind: 'number' },
      ...(ref ? [{ id: 'diff', header: 'Δ net vs B', kind: 'chf' as const }] : []),
      ...(ref && mc
        ? [
            { id: 'diffP5', header: 'Δ P5', kind: 'chf' as const },
            { id: 'diffP95', header: 'Δ P95', kind: 'chf' as const },
            { id: 'pBetter', header: 'P(better than B)', kind: 'percent' as const },
          ]
        : []),
    ],
    rows,
    footnotes: [
      provenanceNote(ctx),
      `Scenarios: ${scenarios.map((s) => `${s.name} = ${s.title}`).join('; ')}.`,
      new Set(scenarios.map((s) => baselineWords(s.baseline))).size === 1
        ? `Impact is measured against each scenario's baseline: today's roster and fees (with its trend and churn) and ${baselineWords(scenarios[0]!.baseline)}.`
        : `Impact is measured against each scenario's own baseline, and the baselines differ: ${scenarios.map((s) => `${s.name} against ${baselineWords(s.baseline)}`).join('; ')}. Part of each difference is the baseline's (the pilot cost an option is credited with saving).`,
      ...(mc
        ? [
            `Monte Carlo: ${mc.draws.toLocaleString('en-GB')} draws, seed ${mc.seed}, the same random numbers in every scenario (common random numbers); P(ranks first) over all ${rows.length} options.`,
          ]
        : ['Deterministic run at the expected value of every uncertain assumption.']),
      ...(ref
        ? [
            `B = ${refLabel}. Δ = net impact of the option minus that of B${mc ? '; Δ P5/P95 and P(better than B) from the per-draw differences' : ''}.`,
          ]
        : []),
    ],
  };
}

/** The difference A − B as one line of text for the terminal and documents. */
export function describeDifference(d: ArmDifference): string {
  const base = `${d.a.label} − ${d.b.label}: CHF ${formatCell(d.net, 'chf')} over the horizon (expected values)`;
  if (!d.mc) return `${base}.`;
  return `${base}; per draw mean CHF ${formatCell(d.mc.mean, 'chf')}, P5–P95 CHF ${formatCell(d.mc.p5, 'chf')} to ${formatCell(d.mc.p95, 'chf')}; P(A better than B) = ${formatCell(d.mc.pABetter, 'percent')} (${d.mc.draws.toLocaleString('en-GB')} draws, seed ${d.mc.seed}, common random numbers).`;
}
