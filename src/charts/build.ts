import type { Model } from '../engine/model.js';
import type { McResult } from '../engine/montecarlo.js';
import { kindOf } from '../engine/options/registry.js';
import type { Population } from '../engine/population.js';
import type { RunResult } from '../engine/run.js';
import { breakEvenThreshold } from '../engine/solvers.js';
import { summarizeSamples } from '../engine/summarize-samples.js';
import { scenarioAt, sweep } from '../engine/sweep.js';
import { thresholdSweep } from '../engine/threshold-sweep.js';
import { tornado } from '../engine/tornado.js';
import { paramName, paramValue } from '../results/param-names.js';
import { provenanceNote, type TableContext } from '../results/run-tables.js';
import { formatCell } from '../results/table.js';
import { getIn } from '../scenario/paths.js';
import { type Chart, heatmapSpec, optionsSpec, thresholdSpec, tornadoSpec, yearlySpec } from './specs.js';

/**
 * From engine results to chart data and generated text. Pure: no files, no clock, no vega. Every chart
 * says in its caption which roster it ran on (SYNTHETIC or user-supplied) and how it was computed.
 */

/** One scenario's run, as the charts need it. `name` labels its arms when several scenarios are drawn. */
export interface ChartInput {
  name: string;
  model: Model;
  pop: Population;
  ctx: TableContext;
  run: RunResult;
  mc?: McResult;
}

const chf = (x: number) => `CHF ${formatCell(x, 'chf')}`;

function horizonOf(model: Model): string {
  const h = model.scenario.horizon;
  return `${h.startYear}–${h.startYear + h.years - 1}`;
}

function caption(inputs: ChartInput[], method: string): string[] {
  const first = inputs[0]!;
  return [provenanceNote(first.ctx), method];
}

function mcNote(mc: McResult | undefined): string {
  return mc
    ? `Monte Carlo: ${mc.draws.toLocaleString('en-GB')} draws, seed ${mc.seed}; intervals are P5–P95.`
    : 'Expected values (no draws: run with --draws for intervals).';
}

/** Arm label, prefixed by the scenario name when several scenarios share a chart. */
export function armLabel(inputs: ChartInput[], input: ChartInput, label: string): string {
  return inputs.length > 1 ? `${input.name}: ${label}` : label;
}

/** Options with an employee threshold (the kind's threshold capability), in scenario order. */
export function thresholdOptions(model: Model): string[] {
  return Object.entries(model.scenario.options)
    .filter(([, o]) => kindOf(o).capabilities.threshold !== null)
    .map(([id]) => id);
}

export function optionsChart(inputs: ChartInput[]): Chart {
  const rows = inputs
    .flatMap((inp) =>
      inp.run.arms.map((a) => {
        const m = inp.mc?.arms.find((x) => x.id === a.id);
        return { option: armLabel(inputs, inp, a.label), net: a.total.net, ...(m ? { p5: m.total.p5, p95: m.total.p95 } : {}) };
      }),
    )
    .sort((a, b) => b.net - a.net);
  const horizon = horizonOf(inputs[0]!.model);
  const best = rows[0]!,
    worst = rows[rows.length - 1]!;
  const losers = rows.filter((r) => r.net < 0).length;
  return optionsSpec(rows, horizon, {
    title: `Net impact of each option, ${horizon}`,
    description: `${rows.length} options ranked by net impact against the baseline over ${horizon}: ${best.option} is best (${chf(best.net)}), ${worst.option} worst (${chf(worst.net)}); ${losers} of ${rows.length} lose income.${
      inputs.some((i) => i.mc) ? ' Whiskers show P5–P95.' : ''
    }`,
    caption: caption(inputs, mcNote(inputs[0]!.mc)),
  });
}

export function yearlyChart(inputs: ChartInput[]): Chart {
  const points = inputs.flatMap((inp) =>
    inp.run.arms.flatMap((a) => {
      const m = inp.mc?.arms.find((x) => x.id === a.id);
      return a.years.map((y, k) => ({
        option: armLabel(inputs, inp, a.label),
        year: y.year,
        net: y.net,
        ...(m ? { p5: m.years[k]!.p5, p95: m.years[k]!.p95 } : {}),
      }));
    }),
  );
  const horizon = horizonOf(inputs[0]!.model);
  const lastYear = Math.max(...points.map((p) => p.year));
  const last = points.filter((p) => p.year === lastYear).sort((a, b) => b.net - a.net);
  return yearlySpec(points, {
    title: `Net impact per year, ${horizon}`,
    description: `Net impact of each option in each year against the baseline. In ${lastYear}, ${last[0]!.option} is highest (${chf(last[0]!.net)}) and ${last[last.length - 1]!.option} lowest (${chf(last[last.length - 1]!.net)}).`,
    caption: caption(inputs, mcNote(inputs[0]!.mc)),
  });
}

export interface ThresholdChartOpts {
  option?: string;
  from: number;
  to: number;
  step: number;
  draws?: number;
  seed?: number;
}

/** The option a threshold chart moves: --option, else the scenario's first option with a threshold. */
export function thresholdOptionOf(model: Model, option?: string): string {
  const ids = thresholdOptions(model);
  if (option) {
    if (!ids.includes(option))
      throw new Error(`option "${option}" has no employee threshold; options with one: ${ids.join(', ') || 'none in this scenario'}`);
    return option;
  }
  if (!ids.length) throw new Error('this scenario has no option with an employee threshold');
  return ids[0]!;
}

export function thresholdChart(inputs: ChartInput[], opts: ThresholdChartOpts): Chart {
  const values: number[] = [];
  for (let t = opts.from; t <= opts.to + 1e-9; t += opts.step) values.push(Math.round(t));
  const series = inputs.map((inp) => {
    const id = thresholdOptionOf(inp.model, opts.option);
    const spec = inp.model.scenario.options[id]!;
    const pts = thresholdSweep(inp.model.scenario, inp.pop, id, values, opts.draws ? { draws: opts.draws, seed: opts.seed } : {});
    const current = kindOf(spec).capabilities.threshold!.get(spec);
    const be = breakEvenThreshold(inp.model.scenario, inp.pop, id, 0, Math.max(opts.to, current));
    const label = armLabel(inputs, inp, inp.model.arms.find((a) => a.id === id)?.label ?? id);
    return {
      id,
      label,
      current,
      breakEven: be.threshold,
      points: pts.map((p) => {
        if (!opts.draws) return { threshold: p.threshold, net: p.net[0]!, series: label };
        const s = summarizeSamples(p.net);
        return { threshold: p.threshold, net: s.mean, p5: s.p5, p95: s.p95, series: label };
      }),
    };
  });
  const first = series[0]!;
  const horizon = horizonOf(inputs[0]!.model);
  const at = (t: number) => first.points.find((p) => p.threshold === t);
  const lo = first.points[0]!,
    hi = first.points[first.points.length - 1]!;
  const cur = at(first.current);
  return thresholdSpec(
    series.flatMap((s) => s.points),
    { current: first.current, breakEven: first.breakEven, horizon },
    {
      title: `Net impact by employee threshold — ${first.label}`,
      description: `Net impact over ${horizon} as the SME employee threshold moves from ${lo.threshold} to ${hi.threshold} staff: ${chf(lo.net)} at ${lo.threshold}, ${chf(hi.net)} at ${hi.threshold}${
        cur ? `; ${chf(cur.net)} at the current threshold of ${first.current}` : `; the current threshold is ${first.current}`
      }. ${
        first.breakEven === null
          ? 'No threshold breaks even.'
          : `The option breaks even (loses nothing) up to a threshold of ${first.breakEven} staff.`
      }${opts.draws ? ' The band is P5–P95.' : ''}`,
      caption: caption(
        inputs,
        opts.draws
          ? `Monte Carlo: ${opts.draws.toLocaleString('en-GB')} draws, seed ${opts.seed}, the same at every threshold; curve = mean, band = P5–P95; break-even on expected values.`
          : 'Expected values at every threshold (run with --draws for the P5–P95 band).',
      ),
    },
  );
}

export function tornadoChart(input: ChartInput, armId?: string): Chart {
  const arm = armId ? input.model.arms.find((a) => a.id === armId) : input.model.arms.find((a) => a.id === input.run.arms[0]!.id);
  if (!arm) throw new Error(`unknown option "${armId}"; options are ${input.model.arms.map((a) => a.id).join(', ')}`);
  const t = tornado(input.model, arm.id);
  const bars = t.bars.map((b) => {
    const [lowLabel, highLabel] = paramValue(input.model, b.param, b.low, b.high);
    return { name: paramName(input.model, b.param, { option: false }), netAtLow: b.netAtLow, netAtHigh: b.netAtHigh, lowLabel, highLabel };
  });
  const horizon = horizonOf(input.model);
  const top = t.bars[0];
  return tornadoSpec(t.base, bars, horizon, {
    title: `What drives the net impact of ${arm.label}`,
    description: top
      ? `Each uncertain assumption moved to its P10 and P90 with the others at their median (net ${chf(t.base)}). The largest swing is ${bars[0]!.name}: ${chf(top.netAtLow)} at ${bars[0]!.lowLabel} to ${chf(top.netAtHigh)} at ${bars[0]!.highLabel}.`
      : 'No uncertain assumption moves the net impact of this option.',
    caption: caption([input], 'One assumption at a time at its P10 and P90, others at median; expected member outcomes.'),
  });
}

export interface HeatmapOpts {
  option?: string;
  param: string;
  values: number[];
  param2: string;
  values2: number[];
  draws?: number;
  seed?: number;
}

/**
 * Default heat map: the option's employee threshold 0–300 (step 50) × its ITU-T fee (the developed-country
 * fee where the table has one) at ½, 1, 2 and 4 times the scenario's value — for an SME category at
 * 1/16 of the unit: 1/32, 1/16, 1/8, 1/4.
 */
export function defaultHeatmap(model: Model, option?: string): Omit<HeatmapOpts, 'draws' | 'seed'> {
  const id = thresholdOptionOf(model, option);
  const o = model.scenario.options[id]!;
  const k = kindOf(o);
  const fees = k
    .parameters(o)
    .map((p) => p.path)
    .filter((p) => p.startsWith('fee.'));
  const fee = fees.find((p) => p === 'fee.T.developed') ?? fees.find((p) => p.startsWith('fee.T')) ?? fees[0];
  if (!fee) throw new Error(`option "${id}" has no fee to vary; give --param2`);
  const current = Number(getIn(o, fee));
  return {
    option: id,
    param: `options.${id}.${k.capabilities.threshold!.path(o)}`,
    values: [0, 50, 100, 150, 200, 250, 300],
    param2: `options.${id}.${fee}`,
    values2: [0.5, 1, 2, 4].map((f) => Number((current * f).toPrecision(12))),
  };
}

export function heatmapChart(input: ChartInput, opts: HeatmapOpts): Chart {
  const grid = opts.values2.map((c) =>
    sweep(scenarioAt(input.model.scenario, opts.param2, c), input.pop, opts.param, opts.values, {
      draws: opts.draws,
      seed: opts.seed,
      rememberUniforms: true,
    }),
  );
  const armId = opts.option ?? grid[0]!.rows[0]!.arm;
  const rowName = paramName(input.model, opts.param, { option: false });
  const colName = paramName(input.model, opts.param2, { option: false });
  const fmtRow = (v: number) => paramValue(input.model, opts.param, v, v)[0];
  const fmtCol = (v: number) => paramValue(input.model, opts.param2, v, v)[0];
  const cells = opts.values.flatMap((r) =>
    opts.values2.map((c, k) => {
      const row = grid[k]!.rows.find((x) => x.arm === armId && x.value === r);
      if (!row) throw new Error(`option "${armId}" is not in the sweep of ${opts.param}`);
      return { row: fmtRow(r), col: fmtCol(c), net: row.net };
    }),
  );
  const label = input.model.arms.find((a) => a.id === armId)?.label ?? armId;
  const best = cells.reduce((a, b) => (b.net > a.net ? b : a));
  const worst = cells.reduce((a, b) => (b.net < a.net ? b : a));
  const horizon = horizonOf(input.model);
  return heatmapSpec(
    cells,
    { rowTitle: rowName, colTitle: colName, rows: opts.values.map(fmtRow), cols: opts.values2.map(fmtCol), horizon },
    {
      title: `Net impact of ${label} by ${lowerFirst(rowName)} and ${lowerFirst(colName)}`,
      description: `Net impact over ${horizon} on a grid of ${opts.values.length} × ${opts.values2.length} settings: best ${chf(best.net)} at ${best.row} and ${best.col}, worst ${chf(worst.net)} at ${worst.row} and ${worst.col}. Blue: gain; red: loss.`,
      caption: caption(
        [input],
        opts.draws
          ? `Monte Carlo mean of ${opts.draws.toLocaleString('en-GB')} draws per cell, seed ${opts.seed}.`
          : 'Expected values in every cell.',
      ),
    },
  );
}

/** Lower-cases a leading capital unless it starts an acronym ("SME fee" stays). */
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
