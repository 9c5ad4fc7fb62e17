import { resolve } from 'node:path';
import { tornado } from '../../engine/tornado.js';
import { escapeMarkdownCell, tableToMarkdown } from '../../export/markdown.js';
import { comparisonTable } from '../../results/run-tables.js';
import { formatCell } from '../../results/table.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Io } from '../io.js';
import { openSession } from '../session.js';
import { computeRun, provenance, type RunOpts } from './run.js';

/** `feesim brief`: a one-page Markdown brief for a Council or Conference document. */
export async function briefCommand(file: string, opts: RunOpts & { output?: string }, io: Io): Promise<number> {
  const s = await openSession(file, opts);
  const { run, mc } = await computeRun(s, opts, io);
  const sc = s.model.scenario;
  const best = run.arms[0]!;
  const sens = s.model.arms.flatMap((a) => tornado(s.model, a.id).bars.map((b) => ({ ...b, arm: a.label })));
  sens.sort((a, b) => b.swing - a.swing);
  const uncertain = s.model.params.uncertainIndices().map((k) => s.model.params.paths[k]!);
  const p = provenance(s, mc ? { seed: mc.seed, draws: mc.draws } : undefined, { command: 'brief', output: opts.output });
  const y0 = sc.horizon.startYear,
    y1 = y0 + sc.horizon.years - 1;
  const md = [
    `# Brief: ${escapeMarkdownCell(sc.title)}`,
    '',
    '## Question',
    '',
    `After the SME pilot, PP-18 was asked to choose between a new SME membership category, extending the pilot, other approaches such as pay-as-you-go, or ceasing the pilot (report to PP-18, §5.1). What does each option do to ITU's fee income from ${y0} to ${y1}, against the pilot running as it does today?`,
    '',
    '## Options compared',
    '',
    tableToMarkdown({ ...comparisonTable(run, s.ctx, mc), footnotes: [] }, { headingLevel: 3 })
      .split('\n')
      .slice(2)
      .join('\n'),
    `On these assumptions **${escapeMarkdownCell(best.label)}** has the best net impact (CHF ${formatCell(best.total.net, 'chf')} over ${sc.horizon.years} years). ${
      run.arms
        .filter((a) => a.total.net < 0)
        .map((a) => escapeMarkdownCell(a.label))
        .join('; ') || 'No option'
    } ${run.arms.filter((a) => a.total.net < 0).length === 1 ? 'loses' : 'lose'} income.`,
    '',
    '## Key assumptions',
    '',
    `- Roster: ${escapeMarkdownCell(s.ctx.rosterLabel)}${s.ctx.synthetic ? ' — **synthetic**, calibrated to published totals; counts of individual members are illustrative.' : '.'}`,
    `- Fees: data/fee-schedule.yaml (Sector Member unit CHF ${s.inputs.schedule.sectorMemberUnit.toLocaleString('en-GB')}); horizon ${y0}–${y1}, discount rate ${(sc.horizon.discountRate * 100).toFixed(1)} %.`,
    ...s.ctx.assumptions.map((a) => `- ${escapeMarkdownCell(a)}`),
    `- Uncertain assumptions (${uncertain.length}): ${uncertain.map((u) => `\`${u}\``).join(', ') || 'none'}; sources and ranges in the scenario file.`,
    '',
    '## Largest sensitivities',
    '',
    ...(sens.length
      ? sens
          .slice(0, 3)
          .map(
            (b, i) =>
              `${i + 1}. \`${b.param}\` (${escapeMarkdownCell(b.arm)}): from P10 ${formatCell(b.low, 'number')} to P90 ${formatCell(b.high, 'number')} the net impact moves by CHF ${formatCell(b.swing, 'chf')}.`,
          )
      : ['No assumption is uncertain in this scenario.']),
    '',
    '## Caveats',
    '',
    '- Behavioural responses (switching, take-up, demand elasticity) are assumptions without ITU data; see docs/model.md.',
    '- The fee for an SME category and its eligibility criteria after PP-18 are unverified (docs/sources.md, facts 5.6-5.7); eligibility uses headcount, turnover and independence only.',
    mc ? `- Intervals: ${mc.draws} Monte Carlo draws, seed ${mc.seed}.` : '- Figures are expected values; run with --draws for intervals.',
    '',
    `_feesim ${p.tool.version}; resolved scenario sha256 ${p.scenarios[0]!.resolvedSha256.slice(0, 12)}; reproduce with \`${p.command}\`._`,
    '',
  ].join('\n');
  if (opts.output) {
    await writeFileAtomic(resolve(opts.output), md);
    io.err(`wrote ${opts.output}\n`);
  } else io.out(md);
  return 0;
}
