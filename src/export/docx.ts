import type { Block, Inline } from '../results/brief.js';
import { formatCell, ROUNDING_RULE, type Table } from '../results/table.js';

/**
 * The Word brief: the brief's document model (results/brief.ts) as a .docx, with the charts as
 * figures. The one file that knows the `docx` package; it is imported lazily (only `brief -o x.docx`
 * loads it). Output is deterministic: the package stamps the clock into docProps/core.xml and the zip
 * entries, so both are rewritten with a fixed date.
 */
export interface DocxFigure {
  chart: string;
  png: Uint8Array;
  /** Pixel size of the PNG, to keep its aspect ratio. */
  width: number;
  height: number;
  /** Alt text: the chart's generated description. */
  description: string;
}

const FIXED_DATE = new Date(Date.UTC(2018, 9, 29)); // PP-18 opened 29 Oct 2018 (as the XLSX export)
const FONT = 'Calibri';
const PAGE_WIDTH_PX = 620; // A4 text width at 96 dpi with 2 cm margins

export async function briefToDocx(
  blocks: Block[],
  figures: DocxFigure[],
  meta: { title: string; creator: string; description: string },
): Promise<Uint8Array> {
  const d = await import('docx');
  const {
    AlignmentType,
    BorderStyle,
    Document,
    FootnoteReferenceRun,
    HeadingLevel,
    ImageRun,
    LevelFormat,
    Packer,
    Paragraph,
    Table: DocTable,
    TableCell,
    TableRow,
    TextRun,
    WidthType,
  } = d;
  const runs = (content: Inline[], size?: number) =>
    content.map((c) =>
      typeof c === 'string'
        ? new TextRun({ text: c, size })
        : new TextRun({ text: c.text, bold: c.bold, font: c.code ? 'Consolas' : undefined, size }),
    );
  const footnotes: Record<string, { children: InstanceType<typeof Paragraph>[] }> = {};
  let footnoteId = 0;
  let figureNo = 0;
  let tableNo = 0;
  const border = { style: BorderStyle.SINGLE, size: 4, color: 'A0A0A0' };
  const cellBorders = { top: border, bottom: border, left: border, right: border };

  const table = (t: Table, numbered: boolean) => {
    const out: (InstanceType<typeof Paragraph> | InstanceType<typeof DocTable>)[] = [];
    if (numbered) {
      tableNo++;
      // The roster caveat is the table's first footnote; in Word it is a real footnote on the caption.
      const roster = t.footnotes.find((f) => f.startsWith('Roster:'));
      const children: (InstanceType<typeof TextRun> | InstanceType<typeof FootnoteReferenceRun>)[] = [
        new TextRun({ text: `Table ${tableNo}: ${t.title}`, bold: true }),
      ];
      if (roster) {
        footnoteId++;
        footnotes[String(footnoteId)] = { children: [new Paragraph({ children: [new TextRun(roster)] })] };
        children.push(new FootnoteReferenceRun(footnoteId));
      }
      out.push(new Paragraph({ children, keepNext: true, spacing: { before: 120, after: 60 } }));
    }
    const header = new TableRow({
      tableHeader: true,
      children: t.columns.map(
        (c) =>
          new TableCell({
            borders: cellBorders,
            shading: { fill: 'E8EEF4' },
            children: [
              new Paragraph({
                alignment: c.kind === 'text' ? AlignmentType.LEFT : AlignmentType.RIGHT,
                children: [new TextRun({ text: c.header, bold: true, size: 18 })],
              }),
            ],
          }),
      ),
    });
    const body = t.rows.map(
      (r) =>
        new TableRow({
          cantSplit: true,
          children: t.columns.map(
            (c) =>
              new TableCell({
                borders: cellBorders,
                children: [
                  new Paragraph({
                    alignment: c.kind === 'text' ? AlignmentType.LEFT : AlignmentType.RIGHT,
                    children: [new TextRun({ text: formatCell(r[c.id] ?? null, c.kind), size: 18 })],
                  }),
                ],
              }),
          ),
        }),
    );
    out.push(new DocTable({ rows: [header, ...body], width: { size: 100, type: WidthType.PERCENTAGE } }));
    if (numbered) {
      out.push(
        ...t.footnotes.map(
          (f, i) => new Paragraph({ children: [new TextRun({ text: `${i + 1}. ${f}`, size: 16 })], spacing: { before: i ? 0 : 80 } }),
        ),
        new Paragraph({ children: [new TextRun({ text: `Amounts in CHF. ${ROUNDING_RULE}`, size: 16, italics: true })] }),
      );
    }
    return out;
  };

  const children: (InstanceType<typeof Paragraph> | InstanceType<typeof DocTable>)[] = [];
  const headings = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
        children.push(new Paragraph({ heading: headings[b.level - 1], children: [new TextRun(b.text)] }));
        break;
      case 'paragraph':
        children.push(new Paragraph({ children: runs(b.content, b.small ? 16 : undefined), spacing: { after: 120 } }));
        break;
      case 'list':
        for (const item of b.items)
          children.push(
            new Paragraph({
              children: runs(item),
              ...(b.ordered ? { numbering: { reference: 'ordered', level: 0 } } : { bullet: { level: 0 } }),
            }),
          );
        break;
      case 'table':
        children.push(...table(b.table, b.table.id !== 'provenance' && !b.table.id.startsWith('changes-')));
        break;
      case 'figure': {
        const f = figures.find((x) => x.chart === b.chart);
        if (!f) break;
        figureNo++;
        const w = Math.min(PAGE_WIDTH_PX, f.width);
        children.push(
          new Paragraph({
            alignment: AlignmentType.CENTER,
            keepNext: true,
            children: [
              new ImageRun({
                type: 'png',
                data: f.png,
                transformation: { width: w, height: Math.round((f.height * w) / f.width) },
                altText: { name: `Figure ${figureNo}`, title: b.title, description: f.description },
              }),
            ],
          }),
          new Paragraph({
            children: [
              new TextRun({ text: `Figure ${figureNo}: ${b.title}. `, bold: true, size: 18 }),
              new TextRun({ text: b.caption, size: 18 }),
            ],
            spacing: { after: 200 },
          }),
        );
        break;
      }
      case 'code':
        children.push(new Paragraph({ children: [new TextRun({ text: b.text, font: 'Consolas', size: 17 })] }));
        break;
    }
  }
  const doc = new Document({
    title: meta.title,
    creator: meta.creator,
    lastModifiedBy: meta.creator,
    description: meta.description,
    revision: 1,
    styles: { default: { document: { run: { font: FONT, size: 21 } } } },
    numbering: {
      config: [
        {
          reference: 'ordered',
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 560, hanging: 280 } } },
            },
          ],
        },
      ],
    },
    footnotes,
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        children,
      },
    ],
  });
  return normalizeZip(await Packer.toBuffer(doc));
}

/** Rewrites the package with fixed timestamps (zip entries and docProps/core.xml), so reruns are byte-identical. */
async function normalizeZip(buf: Uint8Array): Promise<Uint8Array> {
  const { default: JSZip } = await import('jszip');
  const zin = await JSZip.loadAsync(buf);
  const zout = new JSZip();
  const stamp = FIXED_DATE.toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const name of Object.keys(zin.files)) {
    const entry = zin.files[name]!;
    if (entry.dir) continue;
    let data: Uint8Array | string = await entry.async('uint8array');
    if (name === 'docProps/core.xml')
      data = new TextDecoder().decode(data).replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${stamp}$2`);
    zout.file(name, data, { date: FIXED_DATE, createFolders: false });
  }
  return zout.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
}
