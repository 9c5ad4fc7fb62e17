import { basename, extname, resolve } from 'node:path';
import { InputError } from '../../domain/issues.js';
import { stepValues, sweep } from '../../engine/sweep.js';
import { tornado } from '../../engine/tornado.js';
import { tableToCsv } from '../../export/csv.js';
import { FORMATS, type Format } from '../../export/formats.js';
import { tablesToMarkdown } from '../../export/markdown.js';
import type { ExportProvenance } from '../../export/provenance.js';
import { tablesToXlsx } from '../../export/xlsx.js';
import { sweepTable, tornadoTable } from '../../results/analysis-tables.js';
import {
  attributionTable,
  baselineTable,
  breakdownTable,
  comparisonTable,
  payingLessTable,
  yearlyTable,
} from '../../results/run-tables.js';
import type { Table } from '../../results/table.js';
import { checkOutputTarget, csvSetPath, publishFile, publishSet } from '../atomic-write.js';
import { displayPath } from '../inputs.js';
import type { Io } from '../io.js';
import { openSession } from '../session.js';
import { computeRun, type RunOpts, TOOL } from './run.js';

export { FORMATS, type Format };

export interface ExportOpts extends RunOpts {
  format?: Format;
  output?: string;
  sweepParam?: string;
  from?: number;
  to?: number;
  step?: number;
}

/** Every table of one or more scenarios, built from one run each, and the provenance they share. */
export async function collectTables(
  files: string[],
  opts: ExportOpts,
  io: Io,
): Promise<{ tables: Table[]; prov: ExportProvenance; title: string }> {
  const tables: Table[] = [];
  const scenarios: ExportProvenance['scenarios'] = [];
  let roster: ExportProvenance['roster'] | undefined;
  let seed: number | null = null;
  for (const file of files) {
    const s = await openSession(file, opts);
    const { run, mc } = await computeRun(s, opts, io);
    if (mc) seed = mc.seed;
    const ctx = { ...s.ctx, seed: mc?.seed, draws: mc?.draws };
    const prefix = files.length > 1 ? `${basename(file, extname(file))}-` : '';
    const add = (t: Table) => tables.push({ ...t, id: prefix + t.id });
    add(comparisonTable(run, ctx, mc));
    add(baselineTable(run, ctx));
    add(yearlyTable(run, ctx, mc));
    add(breakdownTable(run, ctx));
    add(payingLessTable(run, ctx));
    if (run.arms.some((a) => a.attribution)) add(attributionTable(run, ctx));
    for (const arm of s.model.arms) {
      const t = tornado(s.model, arm.id);
      if (t.bars.length) add({ ...tornadoTable(t.base, t.bars, arm.label, ctx), id: `tornado-${arm.id}` });
    }
    if (opts.sweepParam) {
      if (opts.from === undefined || opts.to === undefined || !(opts.step! > 0))
        throw new InputError([
          { file: '--sweep-param', path: '--sweep-param', message: 'a sweep needs --from, --to and a positive --step' },
        ]);
      try {
        add(
          sweepTable(
            sweep(s.model.scenario, s.pop, opts.sweepParam, stepValues(opts.from, opts.to, opts.step!), {
              draws: opts.draws,
              seed: mc?.seed,
            }),
            ctx,
          ),
        );
      } catch (e) {
        throw new InputError([{ file: '--sweep-param', path: opts.sweepParam, message: (e as Error).message }]);
      }
    }
    scenarios.push({ file: displayPath(s.inputs.loaded.file), title: s.inputs.loaded.scenario.title, sha256: s.inputs.scenarioHash });
    roster = { label: s.ctx.rosterLabel, synthetic: s.ctx.synthetic, sha256: s.inputs.rosterHash };
  }
  return {
    tables,
    prov: { tool: TOOL, scenarios, roster: roster!, seed, draws: opts.draws ?? null },
    title: scenarios.map((x) => x.title).join(' / '),
  };
}

function formatOf(opts: ExportOpts): Format {
  if (opts.format) return opts.format;
  const ext = opts.output ? extname(opts.output).slice(1).toLowerCase() : '';
  if ((FORMATS as readonly string[]).includes(ext)) return ext as Format;
  throw new InputError([
    {
      file: '--format',
      path: '--format',
      message: `expected --format csv|md|xlsx|json or an -o file ending in one of them, found ${opts.output ? `"${opts.output}"` : 'neither'}`,
    },
  ]);
}

/**
 * `feesim export`: writes the tables in one format. CSV holds one table per file, so several tables
 * become <name>-<table>.csv next to -o. Every file is written atomically.
 */
export async function exportCommand(files: string[], opts: ExportOpts, io: Io): Promise<number> {
  const format = formatOf(opts);
  const out = { flag: '-o', display: displayPath };
  // a bad -o fails before the computation
  if (opts.output)
    checkOutputTarget(format === 'csv' ? csvSetPath(opts.output) : opts.output, { ...out, kind: format === 'csv' ? 'set' : 'file' });
  const { tables, prov, title } = await collectTables(files, opts, io);
  const written: string[] = [];
  const write = async (path: string, data: string | Uint8Array) => {
    if (!path) {
      io.out(typeof data === 'string' ? data : '');
      return;
    }
    await publishFile(resolve(path), data, out);
    written.push(path);
  };
  if (format === 'xlsx') {
    if (!opts.output)
      throw new InputError([{ file: '-o', path: '-o', message: 'XLSX is binary: give an output file with -o results.xlsx' }]);
    await write(opts.output, await tablesToXlsx(tables, prov));
  } else if (format === 'md') await write(opts.output ?? '', tablesToMarkdown(tables, prov, title));
  else if (format === 'json')
    await write(opts.output ?? '', `${JSON.stringify({ schemaVersion: 1, provenance: prov, tables }, null, 2)}\n`);
  else if (!opts.output) io.out(tables.map((t) => tableToCsv(t, prov)).join('\n'));
  else {
    // one file per table, published as a whole: <set>/<table>.csv (docs/outputs.md)
    const set = csvSetPath(opts.output);
    await publishSet(
      set,
      tables.map((t) => ({ name: `${t.id}.csv`, data: tableToCsv(t, prov) })),
      out,
    );
    io.err(`wrote ${tables.length} tables to ${set}/${prov.roster.synthetic ? ' (SYNTHETIC roster)' : ''}\n`);
  }
  if (written.length) io.err(`wrote ${written[0]}${prov.roster.synthetic ? ' (SYNTHETIC roster)' : ''}\n`);
  return 0;
}
