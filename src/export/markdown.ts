import { formatCell, ROUNDING_RULE, type Table } from '../results/table.js';
import { sha256Hex } from './content-digest.js';
import { type Provenance, provenanceRows } from './provenance.js';

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
    (r) => `| ${table.columns.map((c) => escapeMarkdownCell(formatCell(r[c.id] ?? null, c.kind, c.nullText))).join(' | ')} |`,
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

/** Marks the machine-readable copy of the provenance record at the end of a Markdown export. */
export const MARKDOWN_PROVENANCE_MARK = 'feesim-provenance';

/** The record as JSON in an HTML comment, the line `feesim verify` reads. */
export function provenanceComment(prov: Provenance): string {
  // JSON.stringify never emits "--", and "-->" cannot occur inside a JSON string escaped this way
  return `<!-- ${MARKDOWN_PROVENANCE_MARK} ${JSON.stringify(prov).replace(/--/g, '-\\u002d')} -->`;
}

/** The provenance section: a readable table, and the record as JSON in an HTML comment (for `feesim verify`). */
export function provenanceMarkdown(prov: Provenance, headingLevel = 2): string {
  return [
    `${'#'.repeat(headingLevel)} Provenance`,
    '',
    '| Item | Value |',
    '| :-- | :-- |',
    ...provenanceRows(prov).map(([k, v]) => `| ${escapeMarkdownCell(k)} | ${escapeMarkdownCell(v)} |`),
    '',
    provenanceComment(prov),
    '',
  ].join('\n');
}

export function tablesToMarkdown(tables: Table[], prov: Provenance, title = 'feesim results'): string {
  const content = `${[`# ${escapeMarkdownCell(title)}`, '', ...tables.map((t) => tableToMarkdown(t, { headingLevel: 2 }))].join('\n')}\n`;
  // an explorer export records its content's digest: no command regenerates its layout (feesim verify)
  return content + provenanceMarkdown(prov.view ? { ...prov, contentSha256: sha256Hex(content) } : prov);
}

/** The provenance record embedded in a Markdown export, or undefined. */
export function readMarkdownProvenance(md: string): Provenance | undefined {
  const m = new RegExp(`<!-- ${MARKDOWN_PROVENANCE_MARK} (.*) -->`).exec(md);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]!) as Provenance;
  } catch {
    return undefined;
  }
}
