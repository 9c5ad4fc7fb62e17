import { createHash } from 'node:crypto';
import type { Workbook } from 'exceljs';

/**
 * What `contentSha256` covers in an explorer export (export/provenance.ts): the figures as written,
 * computed once when the file is written and again by `feesim verify`.
 */

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const MARKDOWN_PROVENANCE_HEADING = '\n## Provenance\n';

/**
 * The text of a Markdown export before its Provenance section (the title and the tables), or
 * undefined when there is none.
 *
 * @example markdownContent('# T\n\n| a |\n\n## Provenance\n…') // '# T\n\n| a |\n\n'
 */
export function markdownContent(md: string): string | undefined {
  const k = md.lastIndexOf(MARKDOWN_PROVENANCE_HEADING);
  return k < 0 ? undefined : md.slice(0, k + 1);
}

/** sha256 of the cell values of every sheet of a workbook but Provenance, sheet by sheet, row by row. */
export function workbookContentSha256(wb: Workbook): string {
  const h = createHash('sha256');
  wb.eachSheet((ws) => {
    if (ws.name === 'Provenance') return;
    h.update(`sheet\t${ws.name}\n`);
    ws.eachRow((row, n) => {
      const cells: string[] = [];
      row.eachCell((cell, col) => {
        cells.push(`${col}=${JSON.stringify(cell.value)}`);
      });
      h.update(`${n}\t${cells.join('\t')}\n`);
    });
  });
  return h.digest('hex');
}
