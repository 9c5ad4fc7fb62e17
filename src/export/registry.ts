import { createHash } from 'node:crypto';
import { RESULT_SCHEMA_VERSION } from '../results/schema-version.js';
import { columnUnit, ROUNDING_RULE, type Table } from '../results/table.js';
import { tableToCsv } from './csv.js';
import { tablesToMarkdown } from './markdown.js';
import type { Provenance } from './provenance.js';
import { tablesToXlsx } from './xlsx.js';

/** What every exporter receives: titled tables and the one provenance record they share. */
export interface ExportDocument {
  title: string;
  tables: Table[];
  provenance: Provenance;
  /** PNG charts (`export --charts`): a Charts sheet in XLSX, files linked from the Markdown. */
  charts?: ExportChart[];
}

export interface ExportChart {
  kind: string;
  title: string;
  /** Generated description and caption (alt text, the text under the image). */
  description: string;
  png: Uint8Array;
  width: number;
  height: number;
}

/** The Markdown section linking the chart files written next to the document. */
function chartsMarkdown(charts: ExportChart[], stem: string): string {
  if (!charts.length) return '';
  const esc = (t: string) => t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [
    '## Charts',
    '',
    ...charts.flatMap((c) => [
      `### ${esc(c.title)}`,
      '',
      `![${esc(c.title)}](${encodeURI(`${stem}-${c.kind}.png`)})`,
      '',
      `_${esc(c.description)}_`,
      '',
    ]),
  ].join('\n');
}

/** One output file: for a single-file format, named relative to the folder of -o; for a set, inside the set. */
export interface ExportFile {
  name: string;
  data: string | Uint8Array;
}

/**
 * An output format. `render` is pure (no file system): it returns the files of one export named
 * after `stem` (the -o file name without its extension); cli/write-export.ts publishes them as a set.
 * `feesim export`, `feesim run -o` and the explorer's export keys all go through this registry.
 */
export interface Exporter {
  id: string;
  extension: string;
  description: string;
  /** Binary formats need -o; text formats may go to stdout. */
  binary: boolean;
  /** `file`: one file at -o; `set`: several files published together as the folder `<stem>/` (cli/atomic-write.ts). */
  output: 'file' | 'set';
  render(doc: ExportDocument, stem: string): Promise<ExportFile[]>;
}

/** The CSV set's sidecar file name. */
export const CSV_SIDECAR = 'provenance.json';

/** The CSV sidecar: provenance, units, rounding and each file's title, columns and footnotes. */
export interface CsvSidecar {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  document: 'feesim-csv-export';
  provenance: Provenance;
  rounding: string;
  files: {
    file: string;
    sha256: string;
    table: string;
    title: string;
    columns: { header: string; id: string; unit: string }[];
    footnotes: string[];
  }[];
}

export function csvSidecar(doc: ExportDocument): { files: ExportFile[]; sidecar: CsvSidecar } {
  const files = doc.tables.map((t) => ({ name: `${t.id}.csv`, data: tableToCsv(t) }));
  const sidecar: CsvSidecar = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    document: 'feesim-csv-export',
    provenance: doc.provenance,
    rounding: ROUNDING_RULE,
    files: doc.tables.map((t, k) => ({
      file: files[k]!.name,
      sha256: createHash('sha256').update(files[k]!.data).digest('hex'),
      table: t.id,
      title: t.title,
      columns: t.columns.map((c) => ({ header: c.header, id: c.id, unit: columnUnit(c) })),
      footnotes: t.footnotes,
    })),
  };
  return { files, sidecar };
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

const csv: Exporter = {
  id: 'csv',
  extension: 'csv',
  description:
    'the folder <name>/: one plain CSV file per table (<table>.csv) and provenance.json with titles, units, footnotes and provenance',
  binary: false,
  output: 'set',
  async render(doc) {
    const { files, sidecar } = csvSidecar(doc);
    return [...files, { name: CSV_SIDECAR, data: json(sidecar) }];
  },
};

const md: Exporter = {
  id: 'md',
  extension: 'md',
  description: 'one GFM Markdown document: a heading, table and footnotes per table, and a provenance section',
  binary: false,
  output: 'file',
  async render(doc, stem) {
    const charts = doc.charts ?? [];
    // the PNGs first, so the Markdown never links to a missing file
    return [
      ...charts.map((c) => ({ name: `${stem}-${c.kind}.png`, data: c.png })),
      { name: `${stem}.md`, data: tablesToMarkdown(doc.tables, doc.provenance, doc.title) + chartsMarkdown(charts, stem) },
    ];
  },
};

const xlsx: Exporter = {
  id: 'xlsx',
  extension: 'xlsx',
  description: 'one workbook: a sheet per table (numbers as numbers, with formats) and a Provenance sheet',
  binary: true,
  output: 'file',
  async render(doc, stem) {
    return [{ name: `${stem}.xlsx`, data: await tablesToXlsx(doc.tables, doc.provenance, doc.charts) }];
  },
};

const jsonExporter: Exporter = {
  id: 'json',
  extension: 'json',
  description: 'one JSON document {schemaVersion, document, provenance, tables}',
  binary: false,
  output: 'file',
  async render(doc, stem) {
    return [
      {
        name: `${stem}.json`,
        data: json({
          schemaVersion: RESULT_SCHEMA_VERSION,
          document: 'feesim-export',
          provenance: doc.provenance,
          title: doc.title,
          tables: doc.tables,
        }),
      },
    ];
  },
};

/** Every format, by id. Add a format here and `export`, `run -o` and the explorer offer it. */
export const EXPORTERS: readonly Exporter[] = [csv, md, xlsx, jsonExporter];
export const EXPORT_FORMATS: string[] = EXPORTERS.map((e) => e.id);

export function exporterFor(id: string): Exporter | undefined {
  return EXPORTERS.find((e) => e.id === id);
}

/** The format an output path implies by its extension (`results.xlsx` → xlsx), if any. */
export function exporterForPath(path: string): Exporter | undefined {
  const lower = path.toLowerCase();
  return EXPORTERS.find((e) => lower.endsWith(`.${e.extension}`));
}
