import { formatCell, ROUNDING_RULE, type Table } from '../results/table.js';
import { type ExportProvenance, provenanceRows } from './provenance.js';

/** markdown-table does not escape; neither would a naive join. `|` breaks a GFM row, a newline ends it. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A GFM table ready to paste: title, units, the table, footnotes and rounding rule. */
export function tableToMarkdown(table: Table, opts: { headingLevel?: number } = {}): string {
  const h = '#'.repeat(opts.headingLevel ?? 3);
  const head = `| ${table.columns.map((c) => escapeMarkdownCell(c.header)).join(' | ')} |`;
  const align = `| ${table.columns.map((c) => (c.kind === 'text' ? ':--' : '--:')).join(' | ')} |`;
  const rows = table.rows.map(
    (r) => `| ${table.columns.map((c) => escapeMarkdownCell(formatCell(r[c.id] ?? null, c.kind))).join(' | ')} |`,
  );
  const notes = table.footnotes.map((f, i) => `${i + 1}. ${escapeMarkdownCell(f)}`);
  return [
    `${h} ${escapeMarkdownCell(table.title)}`,
    '',
    'Amounts in CHF.',
    '',
    head,
    align,
    ...rows,
    '',
    ...notes,
    '',
    `_Rounding: ${ROUNDING_RULE}_`,
    '',
  ].join('\n');
}

export function tablesToMarkdown(tables: Table[], prov: ExportProvenance, title = 'feesim results'): string {
  return [
    `# ${escapeMarkdownCell(title)}`,
    '',
    ...tables.map((t) => tableToMarkdown(t, { headingLevel: 2 })),
    '## Provenance',
    '',
    '| Item | Value |',
    '| :-- | :-- |',
    ...provenanceRows(prov).map(([k, v]) => `| ${escapeMarkdownCell(k)} | ${escapeMarkdownCell(v)} |`),
    '',
  ].join('\n');
}
