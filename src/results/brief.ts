import { baselineWords, describeBaseline } from '../domain/baseline-pilot.js';
import { compareText } from '../domain/compare-text.js';
import { pilotYearsGained, withBaselinePilot } from '../engine/against-baseline.js';
import type { Model } from '../engine/model.js';
import { toMicro } from '../engine/money.js';
import type { McResult } from '../engine/montecarlo.js';
import type { RunResult } from '../engine/run.js';
import { tornado } from '../engine/tornado.js';
import { type ColumnChoice, selectColumns } from './columns.js';
import { type ArmDifference, type ComparedScenario, compareTable, describeDifference } from './compare.js';
import { paramName, paramValue } from './param-names.js';
import { comparisonTable, provenanceNote, type TableContext } from './run-tables.js';
import type { DiffRow } from './scenario-diff.js';
import { formatCell, type Table } from './table.js';

/**
 * The brief as a document model: headings, paragraphs, lists, tables and figures. One model, two
 * renderers: Markdown (below) and Word (export/docx.ts), so the two briefs say the same thing.
 */
export type Inline = string | { text: string; bold?: boolean; code?: boolean };
export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; content: Inline[]; small?: boolean }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'table'; table: Table }
  | { type: 'figure'; chart: 'threshold' | 'tornado' | 'options'; title: string; caption: string; file?: string }
  | { type: 'code'; text: string };

export interface BriefScenario {
  name: string;
  file: string;
  model: Model;
  ctx: TableContext;
  run: RunResult;
  mc?: McResult;
  /** What this scenario changes against the one it extends (resolved values), when it extends one. */
  changes?: { against: string; rows: DiffRow[] };
}

export interface BriefInput {
  scenarios: BriefScenario[];
  /** Several scenarios: the compared arms (with per-draw samples) and the chosen difference. */
  compared?: ComparedScenario[];
  difference?: ArmDifference;
  columns: ColumnChoice;
  /** Figures to include (DOCX always embeds them; Markdown links them when a file was written). */
  figures: { chart: 'threshold' | 'tornado' | 'options'; title: string; caption: string; file?: string }[];
  provenance: [string, string][];
  /** The provenance record itself (the Markdown brief carries it for `feesim verify`). */
  record?: unknown;
  reproduce: string;
  schedule: { sectorMemberUnit: number };
}

const chf = (x: number) => `CHF ${formatCell(x, 'chf')}`;

export interface Sensitivity {
  param: string;
  name: string;
  arm: string;
  low: string;
  high: string;
  swing: number;
}

/**
 * The largest sensitivities over every option, one per parameter: a parameter that drives several
 * options (an option and a combination containing it) is listed once, with its largest swing. Swings
 * equal to the micro-franc (the engine's unit) are a tie, which goes to the arm first in the model's
 * order (an option before a combination containing it): an option's parameter often moves the
 * combination by exactly as much, and which of the two sums came out larger in its last bit (483,258.287348
 * against 483,258.2873479999 for the SME category and 1+3) is no reason to name one or the other.
 */
export function largestSensitivities(scenarios: BriefScenario[], n = 3): Sensitivity[] {
  const all = scenarios.flatMap((s) =>
    s.model.arms.flatMap((a) =>
      tornado(s.model, a.id).bars.map((b) => {
        const [low, high] = paramValue(s.model, b.param, b.low, b.high);
        const prefix = scenarios.length > 1 ? `${s.name}: ` : '';
        return {
          param: `${prefix}${b.param}`,
          name: `${prefix}${paramName(s.model, b.param)}`,
          arm: `${prefix}${a.label}`,
          low,
          high,
          swing: b.swing,
        };
      }),
    ),
  );
  // (a stable sort: equal keys keep the arms' order)
  all.sort((a, b) => toMicro(b.swing) - toMicro(a.swing) || compareText(a.param, b.param));
  const seen = new Set<string>();
  return all.filter((x) => !seen.has(x.param) && seen.add(x.param)).slice(0, n);
}

function optionsTable(input: BriefInput): Table {
  const s0 = input.scenarios[0]!;
  const ctx = { ...s0.ctx, seed: s0.mc?.seed, draws: s0.mc?.draws };
  const t =
    input.compared && input.scenarios.length > 1
      ? compareTable(input.compared, ctx, input.difference?.b)
      : comparisonTable(s0.run, ctx, s0.mc);
  const chosen = selectColumns(t, input.columns);
  // Footnotes of a table pasted into a document: the roster caveat first, then the method.
  return {
    ...chosen,
    footnotes: [
      provenanceNote(s0.ctx),
      `Net impact = income gained − income lost − change in admin costs, against ${baselineWords(s0.ctx.baseline)}; participants: SME participants in the last year (expected).`,
      s0.mc
        ? `P5–P95 and P(net loss) from ${s0.mc.draws.toLocaleString('en-GB')} Monte Carlo draws, seed ${s0.mc.seed}; common random numbers across options${input.scenarios.length > 1 ? ' and scenarios' : ''}.`
        : 'Expected values; no intervals (run with --draws).',
    ],
  };
}

/**
 * One sentence per further baseline of the scenario (baseline.alsoAgainst): against another pilot every
 * option's net moves by the same amount, the pilot cost it is credited with saving (docs/model.md §1).
 */
function otherBaselines(model: Model): string[] {
  const { baseline, horizon } = model.scenario;
  const primary = baseline.pilot ?? 'continues';
  const cost = model.pop.pilotRows.length * model.params.means()[model.baseline.pilotCostParam]!; // P a year, at its mean
  return [...new Set(baseline.alsoAgainst ?? [])]
    .filter((b) => b !== primary)
    .map((b) => {
      // the net gains P in each year only the other baseline's pilot runs, and loses it in each year only this one's does
      const shift = pilotYearsGained(model, withBaselinePilot(model, b)).reduce((s, k) => s + k, 0) * cost;
      return shift === 0
        ? `Against ${describeBaseline(b)} every option's net impact is the same.`
        : `Against ${describeBaseline(b)} every option's net impact is ${chf(Math.abs(shift))} ${shift < 0 ? 'lower' : 'higher'} over ${horizon.years} years (the pilot's admin cost it is credited with saving changes by that much), so the ranking is the same.`;
    });
}

/** The brief's blocks, from question to annex. */
export function buildBrief(input: BriefInput): Block[] {
  const s0 = input.scenarios[0]!;
  const sc = s0.model.scenario;
  const y0 = sc.horizon.startYear,
    y1 = y0 + sc.horizon.years - 1;
  const several = input.scenarios.length > 1;
  const arms = input.scenarios
    .flatMap((s) => s.run.arms.map((a) => ({ label: several ? `${s.name}: ${a.label}` : a.label, net: a.total.net })))
    .sort((a, b) => b.net - a.net);
  const best = arms[0]!;
  const losers = arms.filter((a) => a.net < 0);
  const sens = largestSensitivities(input.scenarios);
  const uncertain = input.scenarios.flatMap((s) =>
    s.model.params.uncertainIndices().map((k) => `${several ? `${s.name}: ` : ''}${paramName(s.model, s.model.params.paths[k]!)}`),
  );
  const blocks: Block[] = [
    { type: 'heading', level: 1, text: several ? `Brief: ${input.scenarios.length} scenarios compared` : `Brief: ${sc.title}` },
    { type: 'heading', level: 2, text: 'Question' },
    {
      type: 'paragraph',
      content: [
        `After the SME pilot, the report to PP-18 (§5.1) put four options: (1) a new category of participation for start-ups and SMEs, (2) extending the pilot, (3) reviewing other options — membership and non-membership approaches, pay-as-you-go among them — or (4) ceasing the pilot. What does each do to ITU's fee income from ${y0} to ${y1}, against ${baselineWords(s0.ctx.baseline)}?`,
      ],
    },
    ...(several
      ? ([
          {
            type: 'paragraph',
            content: [
              'Scenarios: ',
              ...input.scenarios.flatMap((s, k): Inline[] => [k ? '; ' : '', { text: s.name, bold: true }, ` — ${s.ctx.scenarioTitle}`]),
              '.',
            ],
          },
        ] as Block[])
      : []),
    { type: 'heading', level: 2, text: 'Options compared' },
    { type: 'table', table: optionsTable(input) },
    {
      type: 'paragraph',
      content: [
        'On these assumptions ',
        { text: best.label, bold: true },
        ` has the best net impact (${chf(best.net)} over ${sc.horizon.years} years). `,
        losers.length
          ? `${losers.map((a) => a.label).join('; ')} ${losers.length === 1 ? 'loses' : 'lose'} income.`
          : 'No option loses income.',
      ],
    },
    ...otherBaselines(s0.model).map((text): Block => ({ type: 'paragraph', content: [text] })),
    ...(input.difference
      ? ([{ type: 'paragraph', content: [{ text: 'Difference: ', bold: true }, describeDifference(input.difference)] }] as Block[])
      : []),
    ...input.figures.map((f): Block => ({ type: 'figure', ...f })),
    { type: 'heading', level: 2, text: 'Key assumptions' },
    {
      type: 'list',
      ordered: false,
      items: [
        [
          `Roster: ${s0.ctx.rosterLabel}`,
          ...(s0.ctx.synthetic
            ? [' — ', { text: 'synthetic', bold: true }, ', calibrated to published totals; counts of individual members are illustrative.']
            : ['.']),
        ],
        [
          `Fees: the ITU fee schedule (Sector Member contributory unit ${chf(input.schedule.sectorMemberUnit)}); horizon ${y0}–${y1}; discount rate ${(sc.horizon.discountRate * 100).toFixed(1)} % a year.`,
        ],
        ...input.scenarios.flatMap((s) => s.ctx.assumptions.map((a): Inline[] => [several ? `${s.name}: ${a}` : a])),
        [
          `Uncertain assumptions (${uncertain.length}), each drawn from a range stated and sourced in the scenario file: ${uncertain.join('; ') || 'none'}.`,
        ],
      ],
    },
    ...input.scenarios.flatMap((s): Block[] =>
      s.changes?.rows.length
        ? [
            { type: 'paragraph', content: [{ text: `${several ? `${s.name}: c` : 'C'}hanges against ${s.changes.against}`, bold: true }] },
            {
              type: 'table',
              table: {
                id: `changes-${s.name}`,
                title: `What ${s.name} changes against ${s.changes.against}`,
                columns: [
                  { id: 'path', header: 'Setting', kind: 'text' },
                  { id: 'before', header: s.changes.against, kind: 'text' },
                  { id: 'after', header: s.name, kind: 'text' },
                ],
                rows: s.changes.rows.map((r) => ({ path: r.path, before: r.before ?? '(not set)', after: r.after ?? '(removed)' })),
                footnotes: [],
              },
            },
          ]
        : [],
    ),
    { type: 'heading', level: 2, text: 'Largest sensitivities' },
    sens.length
      ? {
          type: 'list',
          ordered: true,
          items: sens.map((b) => [
            { text: b.name, bold: true },
            `: from ${b.low} (P10) to ${b.high} (P90) the net impact of ${b.arm} moves by ${chf(b.swing)}.`,
          ]),
        }
      : { type: 'paragraph', content: ['No assumption is uncertain in this scenario.'] },
    { type: 'heading', level: 2, text: 'Caveats' },
    {
      type: 'list',
      ordered: false,
      items: [
        ...(s0.ctx.synthetic
          ? [
              [
                'The roster is synthetic: ITU does not publish its members with headcounts; totals are calibrated to published figures, individual members are invented.',
              ],
            ]
          : []),
        ['Behavioural responses (switching, take-up, demand elasticity) are assumptions without ITU data; see docs/model.md.'],
        [
          'The fee for an SME category and its eligibility criteria after PP-18 are unverified (docs/sources.md, facts 5.6–5.7); eligibility uses headcount, turnover and independence only.',
        ],
        [
          s0.mc
            ? `Intervals: ${s0.mc.draws.toLocaleString('en-GB')} Monte Carlo draws, seed ${s0.mc.seed}.`
            : 'Figures are expected values; run with --draws for intervals.',
        ],
      ],
    },
    { type: 'heading', level: 2, text: 'Annex: provenance' },
    {
      type: 'table',
      table: {
        id: 'provenance',
        title: 'Provenance',
        columns: [
          { id: 'item', header: 'Item', kind: 'text' },
          { id: 'value', header: 'Value', kind: 'text' },
        ],
        rows: input.provenance.map(([item, value]) => ({ item, value })),
        footnotes: [],
      },
    },
    { type: 'paragraph', content: ['Reproduce:'] },
    { type: 'code', text: input.reproduce },
  ];
  return blocks;
}

// ---------------------------------------------------------------- Markdown

const esc = (t: string) => t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
/** Inline Markdown: text escaped for tables and emphasis; bold and code spans. */
function inline(content: Inline[]): string {
  return content
    .map((c) => {
      if (typeof c === 'string') return esc(c).replace(/([*_`])/g, '\\$1');
      if (c.code) return `\`${c.text}\``;
      const t = esc(c.text).replace(/([*_`])/g, '\\$1');
      return c.bold ? `**${t}**` : t;
    })
    .join('');
}

function markdownTable(t: Table): string[] {
  const head = `| ${t.columns.map((c) => esc(c.header)).join(' | ')} |`;
  const align = `| ${t.columns.map((c) => (c.kind === 'text' ? ':--' : '--:')).join(' | ')} |`;
  const rows = t.rows.map((r) => `| ${t.columns.map((c) => esc(formatCell(r[c.id] ?? null, c.kind))).join(' | ')} |`);
  const notes = t.footnotes.map((f, i) => `${i + 1}. ${esc(f)}`);
  return [head, align, ...rows, '', ...(notes.length ? [...notes, ''] : [])];
}

export function briefToMarkdown(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${esc(b.text)}`, '');
        break;
      case 'paragraph':
        out.push(b.small ? `_${inline(b.content)}_` : inline(b.content), '');
        break;
      case 'list':
        out.push(...b.items.map((it, k) => `${b.ordered ? `${k + 1}.` : '-'} ${inline(it)}`), '');
        break;
      case 'table':
        out.push(...markdownTable(b.table));
        break;
      case 'figure':
        if (b.file) out.push(`![${esc(b.title)}](${encodeURI(b.file)})`, '', `_${esc(b.caption)}_`, '');
        break;
      case 'code':
        out.push('```sh', b.text, '```', '');
        break;
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
