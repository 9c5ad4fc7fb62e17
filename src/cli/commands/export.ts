import { thresholdOptions } from '../../charts/build.js';
import type { ChartKind } from '../../charts/specs.js';
import { flagError, InputError } from '../../domain/issues.js';
import { stepValues, sweep, sweepMethod } from '../../engine/sweep.js';
import { tornado } from '../../engine/tornado.js';
import {
  CSV_SIDECAR,
  EXPORT_FORMATS,
  type ExportChart,
  type ExportDocument,
  type Exporter,
  exporterFor,
  exporterForPath,
} from '../../export/registry.js';
import { sweepTable, tornadoTable } from '../../results/analysis-tables.js';
import { type ColumnChoice, parseColumns, selectColumns } from '../../results/columns.js';
import { compareTable } from '../../results/compare.js';
import {
  attributionTable,
  baselineTable,
  breakdownTable,
  comparisonTable,
  payingLessTable,
  switchingLossTable,
  yearlyTable,
} from '../../results/run-tables.js';
import type { Table } from '../../results/table.js';
import { displayPath } from '../inputs.js';
import type { Io } from '../io.js';
import { checkSweepCells, countSteps } from '../limits.js';
import { buildProvenance, type Invocation } from '../provenance.js';
import { announceSeed, randomSeed } from '../seed.js';
import { openSession, type Session } from '../session.js';
import { checkExportTarget, exportTarget, writeExport } from '../write-export.js';
import { buildChart, chartMeta } from './chart.js';
import { compared, defaultPair, type ScenarioRun, scenarioNames } from './compare.js';
import { alsoAgainst, computeRun, type EarlyDraws, type RunOpts, startEarly } from './run.js';

/** The formats of the exporter registry (export/registry.ts). */
export const FORMATS = EXPORT_FORMATS;

export interface ExportOpts extends RunOpts {
  format?: string;
  output?: string;
  sweepParam?: string;
  /** Comparison table columns: document, all, or ids (default: document in Markdown, all elsewhere). */
  columns?: string;
  /** Add PNG charts: a Charts sheet in XLSX, PNG files next to the Markdown and linked from it. */
  charts?: boolean;
  from?: number;
  to?: number;
  step?: number;
}

/** The command that regenerates an export: `feesim export …` with every flag that shapes it. */
export function exportInvocation(
  files: string[],
  opts: ExportOpts,
  mc: { seed: number; draws: number } | null,
  format?: string,
): Invocation {
  return {
    command: 'export',
    scenarios: files,
    set: opts.set,
    members: opts.members,
    flags: [
      ...(opts.sweepParam
        ? ['--sweep-param', opts.sweepParam, '--from', String(opts.from), '--to', String(opts.to), '--step', String(opts.step)]
        : []),
      ...(opts.columns ? ['--columns', opts.columns] : []),
      ...(opts.charts ? ['--charts'] : []),
    ],
    mc,
    format,
    output: opts.output,
  };
}

/**
 * Every table of one or more scenarios, built from one run each, and the provenance they share.
 * The seed is chosen once (or taken from --seed) for all scenarios.
 */
export async function collectTables(files: string[], opts: ExportOpts, io: Io, format?: string): Promise<ExportDocument> {
  // one scenario: its Monte Carlo worker (if the run has one) loads while the scenario is read (run.ts startEarly)
  const early = files.length === 1 ? startEarly(opts) : undefined;
  try {
    return await collectTablesWith(files, opts, io, format, early);
  } finally {
    early?.worker.cancel();
  }
}

async function collectTablesWith(
  files: string[],
  opts: ExportOpts,
  io: Io,
  format: string | undefined,
  early: EarlyDraws | undefined,
): Promise<ExportDocument> {
  // a seed feesim chooses is printed once the scenarios have opened (not before an input error)
  const seed = early?.seed ?? (opts.draws ? (opts.seed ?? randomSeed()) : undefined);
  const chosen = opts.draws !== undefined && opts.draws > 0 && opts.seed === undefined;
  const o: ExportOpts = { ...opts, seed };
  const tables: Table[] = [];
  const sessions: Session[] = [];
  const runs: ScenarioRun[] = [];
  const names = scenarioNames(files);
  // every scenario opened before any is computed: an -o naming one of their inputs is refused first
  for (const file of files) sessions.push(await openSession(file, o));
  for (const [k, file] of files.entries()) {
    const s = sessions[k]!;
    if (k === 0 && chosen) announceSeed(seed!, io);
    const computed = await computeRun(s, o, io, early && { ...early, chosen: false });
    const { run, mc } = computed;
    runs.push({ name: names[k]!, file, session: s, run, mc });
    const ctx = { ...s.ctx, seed: mc?.seed, draws: mc?.draws };
    const name = names[k]!;
    const add = (t: Table) => tables.push(files.length > 1 ? { ...t, id: `${name}-${t.id}`, title: `${name}: ${t.title}` } : t);
    add(comparisonTable(run, ctx, mc));
    for (const alt of alsoAgainst(s, computed)) // the same comparison against each further baseline (baseline.alsoAgainst)
      add({
        ...comparisonTable(alt.run, { ...alt.s.ctx, seed: alt.mc?.seed, draws: alt.mc?.draws }, alt.mc),
        id: `comparison-against-${alt.baseline.replace(/\s+/g, '-')}`,
      });
    add(baselineTable(run, ctx));
    add(yearlyTable(run, ctx, mc));
    add(breakdownTable(run, ctx));
    add(payingLessTable(run, ctx));
    const switching = switchingLossTable(run, ctx);
    if (switching.rows.length) add(switching); // only options that offer incumbents something have one
    if (run.arms.some((a) => a.attribution)) add(attributionTable(run, ctx));
    for (const arm of s.model.arms) {
      const t = tornado(s.model, arm.id);
      if (t.bars.length) add({ ...tornadoTable(t.base, t.bars, arm.label, ctx), id: `tornado-${arm.id}` });
    }
    if (o.sweepParam) {
      if (o.from === undefined || o.to === undefined || !(o.step! > 0))
        throw flagError('--sweep-param', 'a sweep needs --from, --to and a positive --step', o.sweepParam);
      checkSweepCells(
        countSteps(o.from, o.to, o.step!),
        1,
        s.inputs.roster.size,
        o.draws,
        '--step',
        sweepMethod(s.model.scenario, o.sweepParam) === 'threshold',
      );
      try {
        add(sweepTable(sweep(s.model.scenario, s.pop, o.sweepParam, stepValues(o.from, o.to, o.step!), { draws: o.draws, seed }), ctx));
      } catch (e) {
        // the engine's message may start with the path, which the issue shows already
        const message = (e as Error).message;
        const own = message.startsWith(`${o.sweepParam}: `) ? message.slice(o.sweepParam.length + 2) : message;
        throw flagError('--sweep-param', own, o.sweepParam);
      }
    }
  }
  if (runs.length > 1) {
    // several scenarios (one seed, so common random numbers): one table over all their options first
    const scs = compared(runs);
    const ctx = { ...runs[0]!.session.ctx, seed: runs[0]!.mc?.seed, draws: runs[0]!.mc?.draws };
    tables.unshift(compareTable(scs, ctx, defaultPair(scs)[1]));
  }
  const mc = o.draws && seed !== undefined ? { seed, draws: o.draws } : null;
  return {
    tables: chooseColumns(tables, parseColumns(opts.columns, format === 'md' ? 'document' : 'all')),
    ...(opts.charts ? { charts: await exportCharts(runs, o) } : {}),
    provenance: buildProvenance(
      sessions,
      exportInvocation(
        sessions.map((s) => s.inputs.loaded.file),
        o,
        mc,
        format,
      ),
    ),
    title: sessions.map((s) => s.inputs.loaded.scenario.title).join(' / '),
  };
}

function exporterOf(opts: ExportOpts): Exporter {
  const e = opts.format ? exporterFor(opts.format) : opts.output ? exporterForPath(opts.output) : undefined;
  if (e) return e;
  // named by what was given: the -o file whose ending says no format, else the missing --format
  throw new InputError([
    opts.output
      ? { file: '-o', path: opts.output, message: `expected a file ending in .${FORMATS.join('|.')}, or --format ${FORMATS.join('|')}` }
      : { file: '--format', path: '(not given)', message: `expected --format ${FORMATS.join('|')} or an -o file ending in one of them` },
  ]);
}

/**
 * `feesim export` (and `feesim run -o`): the tables in one format, through the exporter registry.
 * With -o every file of the export is written atomically next to it; without, a single-file text
 * format goes to stdout (CSV to stdout: the tables one after another, each with its header row).
 */
export async function exportCommand(files: string[], opts: ExportOpts, io: Io): Promise<number> {
  const exporter = exporterOf(opts);
  if (exporter.binary && !opts.output)
    throw flagError('-o', `${exporter.id.toUpperCase()} is binary: give an output file with -o results.${exporter.extension}`);
  if (opts.charts && exporter.id !== 'xlsx' && exporter.id !== 'md')
    throw flagError('--charts', `charts go into XLSX or next to Markdown; found ${exporter.id}`);
  if (opts.charts && !opts.output) throw flagError('--charts', 'charts are files: give -o results.md or -o results.xlsx');
  if (opts.output) checkExportTarget(exporter, opts.output);
  const doc = await collectTables(files, opts, io, exporter.id);
  if (!opts.output) {
    const out = await exporter.render(doc, 'feesim');
    const shown = exporter.id === 'csv' ? out.filter((f) => f.name.endsWith('.csv')) : out;
    io.out(shown.map((f) => (typeof f.data === 'string' ? f.data : '')).join(exporter.id === 'csv' ? '\r\n' : ''));
    return 0;
  }
  const written = await writeExport(exporter, doc, opts.output);
  const synthetic = doc.provenance.roster.synthetic ? ' (SYNTHETIC roster)' : '';
  if (exporter.output === 'set')
    io.err(
      `wrote ${written.length} files (${doc.tables.length} tables and ${CSV_SIDECAR}) to ${displayPath(exportTarget(exporter, opts.output))}/${synthetic}\n`,
    );
  else io.err(`wrote ${written.map(displayPath).join(', ')}${synthetic}\n`);
  return 0;
}

/** The comparison tables (one scenario's, several scenarios' compare table) with the chosen columns. */
function chooseColumns(tables: Table[], choice: ColumnChoice): Table[] {
  return tables.map((t) => {
    if (!/(^|-)(comparison|compare)(-against-.+)?$/.test(t.id)) return t; // the comparison against each baseline too
    try {
      return selectColumns(t, choice);
    } catch (e) {
      throw flagError('--columns', (e as Error).message);
    }
  });
}

/** The charts of an export: options compared, net impact per year, the threshold curve (when an option has one), the tornado. */
async function exportCharts(runs: ScenarioRun[], opts: ExportOpts): Promise<ExportChart[]> {
  const { renderSvg, svgToPng, pngSize } = await import('../../charts/render.js');
  const kinds: ChartKind[] = ['options', 'yearly'];
  if (runs.every((r) => thresholdOptions(r.session.model).length)) kinds.push('threshold');
  kinds.push('tornado');
  const plain = { ...opts, option: undefined, from: undefined, to: undefined, step: undefined };
  const out: ExportChart[] = [];
  for (const kind of kinds) {
    const use = kind === 'tornado' ? runs.slice(0, 1) : runs;
    const chart = buildChart(kind, use, plain);
    const meta = chartMeta(kind, use, plain);
    const png = await svgToPng(await renderSvg(chart, meta), chart, meta);
    out.push({ kind, title: chart.title, description: [chart.description, ...chart.caption].join(' '), png, ...pngSize(png) });
  }
  return out;
}
