import { describeBaseline } from '../domain/baseline-pilot.js';
import { formatGrouped } from '../domain/number-format.js';
import { roundHalfAway } from '../results/table.js';
import { describeOption } from './describe.js';
import type { ExplorerData } from './explorer-model.js';
import { bodyRowsFor, VIEW_TITLES } from './layout.js';
import { cells, cut, fitWords, padEnd, padStart, safe } from './text.js';

/**
 * A CHF amount as the overview prints it (formatCell's 'chf'), without Intl: the first Intl number
 * format of a process loads ICU's locale data, which the first frame need not wait for.
 */
const chf = (v: number) => formatGrouped(roundHalfAway(v) + 0, 0);

/**
 * The lines under the overview's table: the baseline the figures are against, what the columns mean,
 * the best option and the baseline's fee income (whole words). With A pinned (`a`): A's baseline and B's.
 */
export function overviewNotes(d: ExplorerData, width: number, a?: ExplorerData): string[] {
  const { startYear, years } = d.scenario.horizon;
  const best = d.run.arms[0]!;
  const baseline = d.run.baseline.reduce((s, b) => s + b.feeIncome, 0);
  const against = describeBaseline(d.scenario.baseline.pilot);
  const aAgainst = a && describeBaseline(a.scenario.baseline.pilot);
  const net = `Net impact ${startYear}–${startYear + years - 1} in CHF`;
  const head =
    aAgainst === undefined
      ? [`${net} against ${against}.`, 'P5–P95: 90 % of draws. P(1st): ranks first.']
      : aAgainst === against
        ? [`${net} against ${against} (A and B).`, "P(loss): B's share of draws that lose money."]
        : [`${net}: A against ${aAgainst},`, `B against ${against}. P(loss): B's.`];
  return [
    ...head.map((l) => fitWords(l, width)),
    fitWords(`★ best: ${safe(best.label)}, net CHF ${chf(best.total.net)}`, width),
    fitWords(`Baseline fee income CHF ${chf(baseline)} over ${years} years.`, width),
  ];
}

/**
 * The explorer's first frame as plain text, drawn before Ink and React have loaded (they take most of
 * the start-up): the overview's deterministic figures and "Monte Carlo running", in the same places
 * as the explorer draws them, so that the explorer's own first frame replaces it line for line.
 */
export function firstFrame(
  d: ExplorerData,
  ctx: { scenarioTitle: string; synthetic: boolean },
  opts: { columns: number; rows: number; draws: number; focus: string | undefined },
): string[] {
  const width = Math.max(20, opts.columns);
  const tag = ctx.synthetic ? '[SYNTHETIC roster]' : '[your roster]';
  const title = `feesim · ${fitWords(safe(ctx.scenarioTitle), width - cells(tag) - 11)}`;
  const lines = [padEnd(title, width - cells(tag)) + tag];
  lines.push(`${VIEW_TITLES.map((t, k) => `${k ? ' ' : '›'}${k + 1} ${t} `).join('')}`);
  lines.push(fitWords(safe(describeOption(d.scenario, opts.focus)), width) || ' ');
  // 11 characters hold "-99,999,999", as the overview reserves, so the columns match once Ink draws.
  const numW = Math.max(11, ...d.run.arms.map((a) => chf(a.total.net).length));
  const labelW = Math.max(4, width - 2 - (numW + 1) * 3 - 8 * 2);
  const row = (mark: string, label: string, vals: string[]) =>
    `${mark} ${padEnd(cut(label, labelW), labelW)}${vals.map((v, k) => ' ' + padStart(v, k < 3 ? numW : 7)).join('')}`;
  const body = [
    row(' ', 'Option', ['Net', 'P5', 'P95', 'P(loss)', 'P(1st)']),
    ...d.run.arms.map((a, k) =>
      row(a.id === opts.focus ? '›' : k === 0 ? '★' : ' ', safe(a.label), [chf(a.total.net), '…', '…', '…', '…']),
    ),
    ...overviewNotes(d, width),
  ];
  const n = bodyRowsFor(opts.rows);
  lines.push(...body.slice(0, n).map((l) => cut(l, width)), ...Array.from({ length: Math.max(0, n - body.length) }, () => ''));
  lines.push(
    opts.draws ? 'Monte Carlo running (the explorer is starting)' : 'Monte Carlo off (explore --draws N for P5–P95)',
    '',
    'starting…',
  );
  return lines;
}
