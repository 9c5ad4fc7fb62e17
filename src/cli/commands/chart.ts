import { extname, resolve } from 'node:path';
import {
  type ChartInput,
  defaultHeatmap,
  heatmapChart,
  optionsChart,
  thresholdChart,
  tornadoChart,
  yearlyChart,
} from '../../charts/build.js';
import type { ChartMeta } from '../../charts/render.js';
import { CHART_KINDS, type Chart, type ChartKind } from '../../charts/specs.js';
import { flagError, InputError } from '../../domain/issues.js';
import { stepValues } from '../../engine/sweep.js';
import { declareOutput, publishFile } from '../atomic-write.js';
import { displayPath } from '../inputs.js';
import type { Io } from '../io.js';
import { openRuns, type ScenarioRun } from './compare.js';
import { type RunOpts, TOOL } from './run.js';

export interface ChartOpts extends RunOpts {
  output?: string;
  spec?: boolean;
  option?: string;
  width?: number;
  from?: number;
  to?: number;
  step?: number;
  param?: string;
  param2?: string;
  from2?: number;
  to2?: number;
  step2?: number;
}

const OUT = { flag: '-o', display: displayPath };

export function chartInputs(runs: ScenarioRun[]): ChartInput[] {
  return runs.map((r) => ({ name: r.name, model: r.session.model, pop: r.session.pop, ctx: r.session.ctx, run: r.run, mc: r.mc }));
}

/** Builds one chart of the given kind from opened runs (engine errors become input errors naming the flag). */
export function buildChart(kind: ChartKind, runs: ScenarioRun[], opts: ChartOpts): Chart {
  const inputs = chartInputs(runs);
  const seed = runs[0]!.mc?.seed;
  const one = () => {
    if (inputs.length > 1) throw flagError('<scenario>', `a ${kind} chart draws one scenario; found ${inputs.length}`);
    return inputs[0]!;
  };
  try {
    switch (kind) {
      case 'options':
        return optionsChart(inputs);
      case 'yearly':
        return yearlyChart(inputs);
      case 'threshold':
        return thresholdChart(inputs, {
          option: opts.option,
          from: opts.from ?? 0,
          to: opts.to ?? 500,
          step: opts.step ?? 10,
          draws: opts.draws,
          seed,
        });
      case 'tornado':
        return tornadoChart(one(), opts.option);
      case 'heatmap': {
        const input = one();
        const d = defaultHeatmap(input.model, opts.param ? undefined : opts.option);
        const values = opts.param
          ? stepValues(opts.from ?? NaN, opts.to ?? NaN, opts.step ?? NaN)
          : opts.from !== undefined && opts.to !== undefined && opts.step
            ? stepValues(opts.from, opts.to, opts.step)
            : d.values;
        const values2 =
          opts.from2 !== undefined && opts.to2 !== undefined && opts.step2 ? stepValues(opts.from2, opts.to2, opts.step2) : d.values2;
        if (opts.param && (opts.from === undefined || opts.to === undefined || !opts.step))
          throw flagError('--param', 'a heat map over --param needs --from, --to and --step');
        if (opts.param2 && (opts.from2 === undefined || opts.to2 === undefined || !opts.step2))
          throw flagError('--param2', 'a heat map over --param2 needs --from2, --to2 and --step2');
        if (values.length * values2.length > 2500) throw flagError('--step', 'more than 2,500 cells; use larger steps');
        return heatmapChart(input, {
          option: opts.option ?? (opts.param ? undefined : d.option),
          param: opts.param ?? d.param,
          values,
          param2: opts.param2 ?? d.param2,
          values2,
          draws: opts.draws,
          seed,
        });
      }
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw flagError(kind === 'heatmap' ? '--param' : '--option', (e as Error).message);
  }
}

/** Provenance of a chart, flattened to one line, and the command that regenerates it. */
export function chartMeta(kind: ChartKind, runs: ScenarioRun[], opts: ChartOpts, output?: string): ChartMeta {
  const mc = runs[0]!.mc;
  const s0 = runs[0]!.session;
  const source = [
    `${TOOL.name} ${TOOL.version}`,
    ...runs.map((r) => `scenario ${displayPath(r.session.inputs.loaded.file)} sha256 ${r.session.inputs.scenarioHash}`),
    `roster ${s0.ctx.rosterLabel}${s0.ctx.synthetic ? ' (SYNTHETIC)' : ''} sha256 ${s0.inputs.rosterHash}`,
    mc ? `seed ${mc.seed}, draws ${mc.draws}` : 'deterministic',
  ].join('; ');
  const flag = (name: string, v: unknown) => (v === undefined || v === false ? [] : v === true ? [name] : [name, String(v)]);
  const reproduce = [
    'feesim chart',
    kind,
    ...runs.map((r) => displayPath(r.file)),
    ...(opts.set ?? []).flatMap((x) => ['--set', x]),
    ...flag('--members', opts.members),
    ...flag('--option', opts.option),
    ...flag('--draws', opts.draws),
    ...flag('--seed', mc?.seed),
    ...flag('--from', opts.from),
    ...flag('--to', opts.to),
    ...flag('--step', opts.step),
    ...flag('--param', opts.param),
    ...flag('--param2', opts.param2),
    ...flag('--from2', opts.from2),
    ...flag('--to2', opts.to2),
    ...flag('--step2', opts.step2),
    ...flag('--width', opts.width),
    ...flag('-o', output),
  ].join(' ');
  return { source, reproduce };
}

/** `feesim chart <kind> [scenario…] -o file.svg|file.png [--spec]`. */
export async function chartCommand(kind: string, files: string[], opts: ChartOpts, io: Io): Promise<number> {
  if (!(CHART_KINDS as readonly string[]).includes(kind))
    throw flagError('<kind>', `expected one of ${CHART_KINDS.join(', ')}, found "${kind}"`);
  const k = kind as ChartKind;
  const ext = opts.output ? extname(opts.output).slice(1).toLowerCase() : '';
  if (opts.spec ? opts.output && ext !== 'json' : !['svg', 'png'].includes(ext))
    throw flagError(
      '-o',
      opts.spec
        ? `--spec writes Vega-Lite JSON: give -o file.json or no -o, found "${opts.output}"`
        : `expected -o <file>.svg or <file>.png, found ${opts.output ? `"${opts.output}"` : 'no -o'}`,
    );
  if (opts.output) declareOutput(opts.output, OUT); // checked again once each scenario's inputs are read
  const runs = await openRuns(files, opts, io);
  const chart = buildChart(k, runs, opts);
  const meta = chartMeta(k, runs, opts, opts.output);
  if (opts.spec) {
    const doc = `${JSON.stringify({ ...chart.spec, usermeta: { feesim: { kind: k, caption: chart.caption, ...meta } } }, null, 2)}\n`;
    if (!opts.output) io.out(doc);
    else {
      await publishFile(resolve(opts.output), doc, OUT);
      io.err(`wrote ${opts.output}\n`);
    }
    return 0;
  }
  const { renderSvg, svgToPng } = await import('../../charts/render.js');
  const svg = await renderSvg(chart, meta);
  const data = ext === 'svg' ? svg : await svgToPng(svg, chart, meta, opts.width);
  await publishFile(resolve(opts.output!), data, OUT);
  io.err(`wrote ${opts.output}${runs[0]!.session.ctx.synthetic ? ' (SYNTHETIC roster)' : ''}\n`);
  return 0;
}
