import { baselineWords, describeBaseline } from '../domain/baseline-pilot.js';
import { compareText } from '../domain/compare-text.js';
import type { PayingLessRow } from '../engine/run.js';
import type { Interval } from '../engine/summarize-samples.js';
import { tornado } from '../engine/tornado.js';
import { tornadoTable } from '../results/analysis-tables.js';
import { keyAssumptions } from '../results/key-assumptions.js';
import { comparisonTable, payingLessTable, provenanceNote, type TableContext } from '../results/run-tables.js';
import type { Table } from '../results/table.js';
import { optionName } from '../scenario/option-parts.js';
import type { Scenario } from '../scenario/schema.js';
import { abFigures } from './components/ab-panel.js';
import { CURVE_MAX, type Curve, type ExplorerData, smeOptionId, thresholdOption } from './explorer-model.js';
import { asMcResult, type McSummary } from './mc-store.js';
import { tuiParams } from './params.js';
import type { MemberSort, UiState } from './state.js';
import type { Explorer, Side } from './use-explorer.js';

/**
 * The table context of one computed setting: the session's (roster, title) with the baseline and the
 * options' rules and assumptions of the scenario actually computed, so that an export's footnotes
 * describe the figures above them (a threshold moved, a preset, a fee or a parameter edited).
 */
export function contextFor(ctx: TableContext, scenario: Scenario): TableContext {
  return { ...ctx, baseline: describeBaseline(scenario.baseline.pilot), assumptions: keyAssumptions(scenario) };
}

/** The baseline a view's figures are against, as a footnote. */
const baselineNote = (ctx: TableContext) => `Net impact against the baseline: ${baselineWords(ctx.baseline)}.`;

/** Each view as a Table: the TUI draws it and exports it with the same exporters as the CLI. */
export function overviewTable(d: ExplorerData, ctx: TableContext, mc?: McSummary): Table {
  const t = comparisonTable(d.run, ctx, mc && asMcResult(mc));
  const years = d.run.baseline.map((b) => b.year);
  // Per-year net next to the horizon total; columns ordered by what a narrow terminal should keep.
  const order = [
    'option',
    'net',
    'p5',
    'p95',
    ...years.map((y) => `net${y}`),
    'smeParticipants',
    'switched',
    'costPerSme',
    'discountedNet',
    'pLoss',
    'pBest',
    'developing',
    'entrants',
    'gained',
    'lost',
    'adminCosts',
  ];
  const cols = [...t.columns, ...years.map((y) => ({ id: `net${y}`, header: `Net ${y}`, kind: 'chf' as const }))];
  return {
    ...t,
    id: 'overview',
    columns: order.map((id) => cols.find((c) => c.id === id)).filter((c) => c !== undefined),
    rows: t.rows.map((r, k) => ({ ...r, ...Object.fromEntries(d.run.arms[k]!.years.map((y) => [`net${y.year}`, y.net])) })),
  };
}

/** The break-even threshold in words: where the curve crosses zero, or that it does not (and on which side it stays). */
export function breakEvenText(curve: Curve): string {
  if (curve.breakEven !== null) return `${curve.breakEven} employees`;
  const side = curve.sign > 0 ? ': a gain at every threshold' : curve.sign < 0 ? ': a loss at every threshold' : '';
  return `none in 0–${CURVE_MAX}${side}`;
}

export function thresholdTable(
  d: ExplorerData,
  curve: Curve,
  st: UiState,
  ctx: TableContext,
  mcCurve?: { draws: number; seed: number; at: (t: number) => Interval | undefined },
): Table {
  const sme = thresholdOption(d.scenario, st.settings.thresholdOption)!.id;
  const ts = [
    ...new Set([...Array.from({ length: CURVE_MAX / 10 + 1 }, (_, k) => k * 10), Math.min(CURVE_MAX, st.settings.threshold)]),
  ].sort((a, b) => a - b);
  const withMc = mcCurve && mcCurve.draws > 0;
  return {
    id: 'threshold-curve',
    title: `${ctx.scenarioTitle} — ${optionName(d.scenario.options[sme]!, sme)}: net impact by employee threshold (CHF, horizon)`,
    columns: [
      { id: 'threshold', header: 'Threshold', kind: 'int' },
      { id: 'eligible', header: 'Eligible incumbents', kind: 'int' },
      { id: 'net', header: 'Net impact', kind: 'chf' },
      ...(withMc
        ? [
            { id: 'p5', header: 'P5', kind: 'chf' as const },
            { id: 'p95', header: 'P95', kind: 'chf' as const },
          ]
        : []),
    ],
    rows: ts.map((t) => {
      const i = withMc ? mcCurve!.at(t) : undefined;
      return { threshold: t, eligible: curve.eligibleIncumbents[t]!, net: curve.net[t]!, ...(i ? { p5: i.p5, p95: i.p95 } : {}) };
    }),
    footnotes: [
      provenanceNote(ctx),
      baselineNote(ctx),
      `Break-even (largest threshold where the net impact crosses zero): ${breakEvenText(curve)}.`,
      ...(withMc ? [`Monte Carlo: ${mcCurve!.draws} draws, seed ${mcCurve!.seed}.`] : []),
    ],
  };
}

export function feesTable(d: ExplorerData, ctx: TableContext): Table {
  return { ...comparisonTable(d.run, ctx), id: 'fees', title: `${ctx.scenarioTitle} — options at the current fees (CHF, horizon)` };
}

export function sensitivityTable(d: ExplorerData, st: UiState, ctx: TableContext): Table {
  const arm = d.model.arms[st.armIndex % d.model.arms.length]!;
  const t = tornado(d.model, arm.id);
  const table = tornadoTable(t.base, t.bars, arm.label, ctx);
  return { ...table, footnotes: [table.footnotes[0]!, baselineNote(ctx), ...table.footnotes.slice(1)] };
}

export function sortMembers(rows: readonly PayingLessRow[], sort: MemberSort): PayingLessRow[] {
  const by: Record<MemberSort, (a: PayingLessRow, b: PayingLessRow) => number> = {
    saving: (a, b) => b.saving - a.saving,
    employees: (a, b) => a.employees - b.employees,
    name: (a, b) => compareText(a.name, b.name),
    expectedLoss: (a, b) => b.expectedLoss - a.expectedLoss,
  };
  return [...rows].sort((a, b) => by[sort](a, b) || compareText(a.id, b.id));
}

export function membersTable(d: ExplorerData, st: UiState, ctx: TableContext): Table {
  const sme = st.settings.thresholdOption ?? smeOptionId(d.scenario) ?? d.model.arms[0]!.id;
  const t = payingLessTable(d.run, ctx, sme);
  const sorted = sortMembers(d.run.payingLess[sme]?.rows() ?? [], st.memberSort);
  // one option here: its label goes in the title rather than in a column on every row
  // the saving first: a narrow terminal drops columns from the right
  const order = ['id', 'saving', 'employees', 'feeToday', 'feeUnderOption', 'expectedLoss', 'propensity', 'sector', 'category', 'name'];
  return {
    ...t,
    columns: order.map((id) => t.columns.find((c) => c.id === id)!),
    rows: sorted.map((r) => ({ ...r })),
    title: `${t.title}: ${d.scenario.options[sme] ? optionName(d.scenario.options[sme]!, sme) : sme}, sorted by ${st.memberSort}`,
  };
}

export function parametersTable(d: ExplorerData, valueOf: (path: string) => number, ctx: TableContext): Table {
  return {
    id: 'parameters',
    title: `${ctx.scenarioTitle} — assumptions in use`,
    columns: [
      { id: 'option', header: 'Option', kind: 'text' },
      { id: 'label', header: 'Assumption', kind: 'text' },
      { id: 'value', header: 'Value', kind: 'number' },
      { id: 'unit', header: 'Unit', kind: 'text' },
      { id: 'path', header: 'Scenario path', kind: 'text' },
    ],
    rows: tuiParams(d.scenario).map((p) => ({
      option: d.scenario.options[p.option] ? optionName(d.scenario.options[p.option]!, p.option) : p.option,
      label: p.name,
      value: valueOf(p.path),
      unit:
        p.format === 'percent' ? `share${p.unit ? ` ${p.unit}` : ''}` : [p.format === 'chf' ? 'CHF' : '', p.unit].filter(Boolean).join(' '),
      path: p.path,
    })),
    footnotes: [provenanceNote(ctx), baselineNote(ctx)],
  };
}

/**
 * The options' rules of A and B as footnotes: one line where both computed the same rule, one for A
 * and one for B where they differ (each from the settings that side computed).
 */
function abAssumptions(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    if (a[k] === b[k]) out.push(`Assumption: ${b[k]}`);
    else {
      if (a[k] !== undefined) out.push(`Assumption (A): ${a[k]}`);
      if (b[k] !== undefined) out.push(`Assumption (B): ${b[k]}`);
    }
  }
  return out;
}

/** Which option's threshold a side moved, where, and by which preset. */
function thresholdWords(side: Side): string {
  const id = side.settings.thresholdOption;
  const spec = id ? side.data.scenario.options[id] : undefined;
  if (!id || !spec) return 'no employee threshold';
  return `${optionName(spec, id)} threshold ${side.threshold}${side.settings.preset ? ` (preset ${side.settings.preset})` : ''}`;
}

/**
 * The A-B comparison as a table: for every option, A, B and B − A of the net, P5, P95, participants
 * in the last year and eligible incumbents (what an export writes while A/B is on).
 */
export function abTable(ex: Explorer): Table {
  const a = ex.a!;
  const b = ex.b;
  const ctx = b.ctx;
  const metrics = [
    ['net', 'Net', 'chf'],
    ['p5', 'P5', 'chf'],
    ['p95', 'P95', 'chf'],
    ['participants', 'Participants', 'number'],
    ['eligible', 'Eligible incumbents', 'int'],
  ] as const;
  const y1 = b.data.scenario.horizon.startYear + b.data.scenario.horizon.years - 1;
  return {
    id: 'ab-comparison',
    title: `${ctx.scenarioTitle} — A (${a.name}) and B (${b.name}) side by side, with B − A (CHF, horizon)`,
    columns: [
      { id: 'option', header: 'Option', kind: 'text' },
      ...metrics.flatMap(([id, h, kind]) => [
        { id: `${id}A`, header: `${h} A`, kind },
        { id: `${id}B`, header: `${h} B`, kind },
        { id: `${id}Diff`, header: `${h} B − A`, kind },
      ]),
    ],
    rows: b.data.run.arms.map((arm) => {
      const fa = abFigures(a, arm.id);
      const fb = abFigures(b, arm.id);
      const cell = (v: number) => (Number.isFinite(v) ? v : null);
      return {
        option: arm.label,
        ...Object.fromEntries(
          metrics.flatMap(([id]) => [
            [`${id}A`, cell(fa[id])],
            [`${id}B`, cell(fb[id])],
            [`${id}Diff`, cell(fb[id] - fa[id])],
          ]),
        ),
      };
    }),
    footnotes: [
      provenanceNote(ctx),
      `A: ${a.name}, ${thresholdWords(a)}; B: ${b.name}, ${thresholdWords(b)}.`,
      a.ctx.baseline === b.ctx.baseline
        ? `A and B: net impact against the baseline: ${baselineWords(b.ctx.baseline)}.`
        : `Baselines differ: A against ${a.ctx.baseline}; B against ${b.ctx.baseline}.`,
      `Participants: SME participants in ${y1}. P5/P95: Monte Carlo (${ex.props.draws} draws, seed ${ex.props.seed}; the same draws for A and B); empty when not run.`,
      ...abAssumptions(a.ctx.assumptions, b.ctx.assumptions),
    ],
  };
}
