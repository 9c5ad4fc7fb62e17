import { extname, resolve } from 'node:path';
import { thresholdOptions } from '../../charts/build.js';
import type { Chart } from '../../charts/specs.js';
import { flagError, InputError } from '../../domain/issues.js';
import { provenanceComment } from '../../export/markdown.js';
import { type Provenance, provenanceRows } from '../../export/provenance.js';
import { type BriefInput, type BriefScenario, briefToMarkdown, buildBrief } from '../../results/brief.js';
import { parseColumns } from '../../results/columns.js';
import { type ArmDifference, armDifference, parseArmRef } from '../../results/compare.js';
import { declareOutput, publishFile } from '../atomic-write.js';
import { displayPath } from '../inputs.js';
import type { Io } from '../io.js';
import { buildProvenance, type Invocation } from '../provenance.js';
import { buildChart, chartMeta } from './chart.js';
import { compared, defaultPair, openRuns, type ScenarioRun } from './compare.js';
import { scenarioDiff } from './diff.js';
import { type RunOpts, TOOL } from './run.js';

export interface BriefOpts extends RunOpts {
  output?: string;
  columns?: string;
  a?: string;
  b?: string;
}

const OUT = { flag: '-o', display: displayPath };

/** The invocation that regenerates this brief (the one provenance builder, cli/provenance.ts). */
export function briefInvocation(files: string[], opts: BriefOpts, mc: { seed: number; draws: number } | null, output?: string): Invocation {
  const flag = (name: string, v: unknown) => (v === undefined ? [] : [name, String(v)]);
  return {
    command: 'brief',
    scenarios: files.map((f) => resolve(f)),
    set: opts.set,
    members: opts.members ? resolve(opts.members) : undefined,
    flags: [...flag('--columns', opts.columns), ...flag('--a', opts.a), ...flag('--b', opts.b)],
    mc,
    output,
  };
}

/** The brief's inputs from opened runs: tables, the difference (several scenarios), changes against parents. */
export function briefInput(files: string[], runs: ScenarioRun[], opts: BriefOpts, output?: string): BriefInput {
  const several = runs.length > 1;
  let difference: ArmDifference | undefined;
  const scs = compared(runs);
  if (several) {
    const [da, db] = defaultPair(scs);
    const ref = (t: string | undefined, d: typeof da, flag: string) => {
      if (!t) return d;
      try {
        return parseArmRef(scs, t);
      } catch (e) {
        throw flagError(flag, (e as Error).message);
      }
    };
    difference = armDifference(scs, ref(opts.a, da, '--a'), ref(opts.b, db, '--b'));
  }
  const scenarios: BriefScenario[] = runs.map((r) => {
    const parent = r.session.inputs.loaded.chain[1];
    const changes = parent ? scenarioDiff(r.file, parent, opts.set) : undefined;
    return {
      name: r.name,
      file: r.file,
      model: r.session.model,
      ctx: r.session.ctx,
      run: r.run,
      mc: r.mc,
      ...(changes ? { changes: { against: displayPath(parent!), rows: changes.rows } } : {}),
    };
  });
  const columns = parseColumns(opts.columns, 'document');
  const mc = runs[0]!.mc ? { seed: runs[0]!.mc.seed, draws: runs[0]!.mc.draws } : null;
  const prov = buildProvenance(
    runs.map((r) => r.session),
    briefInvocation(files, opts, mc, output),
  );
  const reproduce = prov.command;
  return {
    scenarios,
    compared: several ? scs : undefined,
    difference,
    columns,
    figures: [],
    provenance: provenanceRows(prov),
    record: prov,
    reproduce,
    schedule: { sectorMemberUnit: runs[0]!.session.inputs.schedule.sectorMemberUnit },
  };
}

/** The figures of the Word brief: the threshold curve (when an option has a threshold) and the tornado. */
export function briefCharts(runs: ScenarioRun[], opts: BriefOpts): Chart[] {
  const charts: Chart[] = [];
  if (runs.every((r) => thresholdOptions(r.session.model).length))
    charts.push(buildChart('threshold', runs, { ...opts, seed: runs[0]!.mc?.seed }));
  charts.push(buildChart('tornado', runs.slice(0, 1), { ...opts, option: undefined }));
  return charts;
}

/**
 * `feesim brief [scenario…] [-o brief.md|brief.docx]`: the question, the options table (document
 * columns), key assumptions in plain language, the three largest sensitivities, caveats, provenance and
 * the reproduce command. The Word brief adds the threshold curve and the tornado as figures.
 */
export async function briefCommand(files: string[], opts: BriefOpts, io: Io): Promise<number> {
  // -o x.docx: Word; any other -o (or none): Markdown
  const ext = opts.output && extname(opts.output).toLowerCase() === '.docx' ? 'docx' : 'md';
  if (opts.output) declareOutput(opts.output, OUT); // checked again once each scenario's inputs are read
  const runs = await openRuns(files, opts, io, { samples: files.length > 1 });
  const input = briefInput(files, runs, opts, opts.output);
  try {
    buildBrief(input); // an unknown --columns id is found here, before anything is drawn or written
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw flagError('--columns', (e as Error).message);
  }
  if (ext === 'md') {
    // the record as the last line, so that `feesim verify brief.md` re-runs the brief and compares
    const md = `${briefToMarkdown(buildBrief(input))}\n${provenanceComment(input.record as Provenance)}\n`;
    if (opts.output) {
      await publishFile(resolve(opts.output), md, OUT);
      io.err(`wrote ${opts.output}\n`);
    } else io.out(md);
    return 0;
  }
  const charts = briefCharts(runs, opts);
  const [{ renderSvg, svgToPng, pngSize }, { briefToDocx }] = await Promise.all([
    import('../../charts/render.js'),
    import('../../export/docx.js'),
  ]);
  const figures = [];
  for (const c of charts) {
    const meta = chartMeta(c.kind, runs, { ...opts, option: undefined });
    const png = await svgToPng(await renderSvg(c, meta), c, meta);
    figures.push({ chart: c.kind, png, ...pngSize(png), description: c.description });
  }
  const blocks = buildBrief({
    ...input,
    figures: charts.map((c) => ({
      chart: c.kind as 'threshold' | 'tornado',
      title: c.title,
      caption: [c.description, ...c.caption].join(' '),
    })),
  });
  const title = blocks[0]!.type === 'heading' ? blocks[0]!.text : 'Brief';
  const docx = await briefToDocx(blocks, figures, {
    title,
    creator: `${TOOL.name} ${TOOL.version}`,
    description: input.reproduce,
  });
  await publishFile(resolve(opts.output!), docx, OUT);
  io.err(`wrote ${opts.output}${runs[0]!.session.ctx.synthetic ? ' (SYNTHETIC roster)' : ''}\n`);
  return 0;
}
