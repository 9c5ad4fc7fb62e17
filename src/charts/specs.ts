/**
 * Vega-Lite specifications of the five chart kinds, in one style. Pure data in, a JSON spec out: this
 * file imports neither vega nor vega-lite (they are loaded lazily by charts/render.ts, only by the
 * commands that draw). `feesim chart --spec` writes these specs so that users can restyle them.
 */

/** A Vega-Lite specification (JSON). Kept loose: the specs are data, checked by vega-lite when compiled. */
export type VlSpec = Record<string, unknown>;

export const CHART_KINDS = ['threshold', 'options', 'tornado', 'heatmap', 'yearly'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** A chart ready to render: its spec, generated description, caption and how many marks it draws. */
export interface Chart {
  kind: ChartKind;
  title: string;
  /** Generated from the data: what the chart shows, in one or two sentences (alt text, figure text). */
  description: string;
  /** Caveats under the figure: the roster (SYNTHETIC or user-supplied), the method, the seed. */
  caption: string[];
  spec: VlSpec;
  /** Named marks and how many items each draws (one per data point or bar), for tests and readers. */
  marks: Record<string, number>;
}

/** One style for every chart: readable fonts, CHF axes with thousands separators, white background. */
export const STYLE = {
  width: 640,
  height: 320,
  font: 'DejaVu Sans, Arial, Helvetica, sans-serif',
  /** d3-format for CHF axis labels and tooltips: thousands separators, whole francs. */
  chf: ',.0f',
  /** Colour-blind-safe categorical scheme. */
  scheme: 'tableau10',
  loss: '#c0392b',
  gain: '#2c7fb8',
} as const;

function config(): VlSpec {
  return {
    font: STYLE.font,
    background: 'white',
    padding: 12,
    view: { stroke: null },
    title: { fontSize: 16, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 12, subtitleColor: '#444', offset: 12 },
    axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', gridColor: '#e6e6e6', labelLimit: 1000, tickCount: 6 },
    legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', direction: 'vertical', labelLimit: 480 },
    range: { category: { scheme: STYLE.scheme } },
  };
}

/** Greedy word wrap: lines of at most `width` characters (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The frame every chart shares: schema, title with the caption as subtitle, size, description, style. */
function frame(title: string, description: string, caption: string[], body: VlSpec, size: { width?: number; height?: number } = {}) {
  const chars = Math.max(60, Math.round(((size.width ?? STYLE.width) + 120) / 6.6));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description,
    title: { text: wrap(title, Math.round(chars * 0.75)), subtitle: caption.flatMap((c) => wrap(c, chars)) },
    width: size.width ?? STYLE.width,
    height: size.height ?? STYLE.height,
    config: config(),
    ...body,
  };
}

const chfAxis = (title: string) => ({ title, format: STYLE.chf });

// ---------------------------------------------------------------- threshold curve

export interface ThresholdPointData {
  threshold: number;
  /** Net impact over the horizon (expected values, or the Monte Carlo mean with draws). */
  net: number;
  p5?: number;
  p95?: number;
  /** Series name when several curves are drawn (several scenarios). */
  series: string;
}

export function thresholdSpec(
  points: ThresholdPointData[],
  markers: { current?: number; breakEven?: number | null; horizon: string },
  text: { title: string; description: string; caption: string[] },
): Chart {
  const band = points.some((p) => p.p5 !== undefined);
  const series = [...new Set(points.map((p) => p.series))];
  const colour = series.length > 1 ? { color: { field: 'series', type: 'nominal', title: null } } : {};
  const x = { field: 'threshold', type: 'quantitative', title: 'Employee threshold (staff)' };
  const layers: VlSpec[] = [];
  if (band)
    layers.push({
      name: 'band',
      mark: { type: 'area', opacity: 0.2, color: series.length > 1 ? undefined : STYLE.gain },
      encoding: { x, y: { field: 'p5', type: 'quantitative' }, y2: { field: 'p95' }, ...colour },
    });
  layers.push({
    name: 'curve',
    mark: { type: 'line', point: false, color: series.length > 1 ? undefined : STYLE.gain, strokeWidth: 2 },
    encoding: { x, y: { field: 'net', type: 'quantitative', axis: chfAxis(`Net impact ${markers.horizon} (CHF)`) }, ...colour },
  });
  layers.push({
    name: 'points',
    mark: { type: 'point', filled: true, size: 18, color: series.length > 1 ? undefined : STYLE.gain },
    encoding: {
      x,
      y: { field: 'net', type: 'quantitative' },
      ...colour,
      tooltip: [
        { field: 'series', title: 'Scenario' },
        { field: 'threshold', title: 'Threshold' },
        { field: 'net', title: 'Net (CHF)', format: STYLE.chf },
      ],
    },
  });
  layers.push({
    name: 'zero',
    data: { values: [{ y: 0 }] },
    mark: { type: 'rule', color: '#888' },
    encoding: { y: { field: 'y', type: 'quantitative' } },
  });
  const rules: { x: number; label: string }[] = [];
  if (markers.current !== undefined) rules.push({ x: markers.current, label: `current: ${markers.current}` });
  if (markers.breakEven !== undefined && markers.breakEven !== null)
    rules.push({ x: markers.breakEven, label: `break-even: ${markers.breakEven}` });
  if (rules.length)
    layers.push(
      {
        name: 'markers',
        data: { values: rules },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#333' },
        encoding: { x: { field: 'x', type: 'quantitative' } },
      },
      {
        name: 'marker_labels',
        data: { values: rules },
        mark: { type: 'text', align: 'left', dx: 4, dy: -4, baseline: 'bottom', fontSize: 12, y: 0 },
        encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  return {
    kind: 'threshold',
    ...text,
    spec: frame(text.title, text.description, text.caption, { data: { values: points }, layer: layers }),
    marks: { points: points.length, markers: rules.length },
  };
}

// ---------------------------------------------------------------- options compared

export interface OptionBarData {
  option: string;
  net: number;
  p5?: number;
  p95?: number;
}

export function optionsSpec(
  rows: OptionBarData[],
  horizon: string,
  text: { title: string; description: string; caption: string[] },
): Chart {
  const whiskers = rows.filter((r) => r.p5 !== undefined);
  const y = { field: 'option', type: 'nominal', sort: null, title: null, axis: { labelLimit: 1000 } };
  const layers: VlSpec[] = [
    {
      name: 'bars',
      mark: { type: 'bar', height: { band: 0.6 } },
      encoding: {
        y,
        x: { field: 'net', type: 'quantitative', axis: chfAxis(`Net impact ${horizon} (CHF)`) },
        color: {
          condition: { test: 'datum.net < 0', value: STYLE.loss },
          value: STYLE.gain,
        },
        tooltip: [
          { field: 'option', title: 'Option' },
          { field: 'net', title: 'Net (CHF)', format: STYLE.chf },
          { field: 'p5', title: 'P5', format: STYLE.chf },
          { field: 'p95', title: 'P95', format: STYLE.chf },
        ],
      },
    },
    {
      name: 'zero',
      data: { values: [{ x: 0 }] },
      mark: { type: 'rule', color: '#555' },
      encoding: { x: { field: 'x', type: 'quantitative' } },
    },
  ];
  if (whiskers.length)
    layers.push({
      name: 'whiskers',
      transform: [{ filter: 'isValid(datum.p5)' }],
      mark: { type: 'rule', strokeWidth: 2, color: '#222' },
      encoding: { y, x: { field: 'p5', type: 'quantitative' }, x2: { field: 'p95' } },
    });
  return {
    kind: 'options',
    ...text,
    spec: frame(
      text.title,
      text.description,
      text.caption,
      { data: { values: rows }, layer: layers },
      { height: Math.max(160, rows.length * 40) },
    ),
    marks: { bars: rows.length, whiskers: whiskers.length },
  };
}

// ---------------------------------------------------------------- tornado

export interface TornadoBarData {
  /** Human name of the assumption. */
  name: string;
  netAtLow: number;
  netAtHigh: number;
  lowLabel: string;
  highLabel: string;
}

export function tornadoSpec(
  base: number,
  bars: TornadoBarData[],
  horizon: string,
  text: { title: string; description: string; caption: string[] },
): Chart {
  const values = bars.flatMap((b, k) => [
    { name: b.name, order: k, end: 'at P10', from: base, to: b.netAtLow, value: b.lowLabel },
    { name: b.name, order: k, end: 'at P90', from: base, to: b.netAtHigh, value: b.highLabel },
  ]);
  const y = { field: 'name', type: 'nominal', sort: { field: 'order' }, title: null, axis: { labelLimit: 1000 } };
  return {
    kind: 'tornado',
    ...text,
    spec: frame(
      text.title,
      text.description,
      text.caption,
      {
        data: { values },
        layer: [
          {
            name: 'bars',
            mark: { type: 'bar', height: { band: 0.7 } },
            encoding: {
              y,
              x: { field: 'from', type: 'quantitative', axis: chfAxis(`Net impact ${horizon} (CHF)`), scale: { zero: false } },
              x2: { field: 'to' },
              color: { field: 'end', type: 'nominal', title: 'Assumption at', scale: { range: [STYLE.loss, STYLE.gain] } },
              tooltip: [
                { field: 'name', title: 'Assumption' },
                { field: 'end', title: 'At' },
                { field: 'value', title: 'Value' },
                { field: 'to', title: 'Net (CHF)', format: STYLE.chf },
              ],
            },
          },
          {
            name: 'base',
            data: { values: [{ x: base }] },
            mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
            encoding: { x: { field: 'x', type: 'quantitative' } },
          },
        ],
      },
      { height: Math.max(120, bars.length * 34) },
    ),
    marks: { bars: values.length },
  };
}

// ---------------------------------------------------------------- heat map

export interface HeatCellData {
  row: string;
  col: string;
  net: number;
}

export function heatmapSpec(
  cells: HeatCellData[],
  axes: { rowTitle: string; colTitle: string; rows: string[]; cols: string[]; horizon: string },
  text: { title: string; description: string; caption: string[] },
): Chart {
  const maxAbs = Math.max(1, ...cells.map((c) => Math.abs(c.net)));
  return {
    kind: 'heatmap',
    ...text,
    spec: frame(
      text.title,
      text.description,
      text.caption,
      {
        data: { values: cells },
        encoding: {
          y: { field: 'row', type: 'ordinal', sort: axes.rows, title: axes.rowTitle },
          x: { field: 'col', type: 'ordinal', sort: axes.cols, title: axes.colTitle, axis: { labelAngle: 0, labelLimit: 1000 } },
        },
        layer: [
          {
            name: 'cells',
            mark: { type: 'rect', stroke: 'white' },
            encoding: {
              color: {
                field: 'net',
                type: 'quantitative',
                title: `Net ${axes.horizon} (CHF)`,
                scale: { scheme: 'redblue', domain: [-maxAbs, maxAbs] },
                legend: { format: STYLE.chf, orient: 'right', gradientLength: 200, titleLimit: 1000 },
              },
              tooltip: [
                { field: 'row', title: axes.rowTitle },
                { field: 'col', title: axes.colTitle },
                { field: 'net', title: 'Net (CHF)', format: STYLE.chf },
              ],
            },
          },
          {
            name: 'labels',
            transform: [{ calculate: "format(datum.net / 1000, ',.0f') + ' k'", as: 'label' }],
            mark: { type: 'text', fontSize: 11 },
            encoding: {
              text: { field: 'label' },
              color: { condition: { test: `abs(datum.net) > ${maxAbs * 0.6}`, value: 'white' }, value: 'black' },
            },
          },
        ],
      },
      { width: Math.min(STYLE.width, Math.max(240, axes.cols.length * 130)), height: Math.max(160, axes.rows.length * 30) },
    ),
    marks: { cells: cells.length },
  };
}

// ---------------------------------------------------------------- net impact per year

export interface YearPointData {
  option: string;
  year: number;
  net: number;
  p5?: number;
  p95?: number;
}

export function yearlySpec(points: YearPointData[], text: { title: string; description: string; caption: string[] }): Chart {
  const whiskers = points.filter((p) => p.p5 !== undefined);
  const x = { field: 'year', type: 'ordinal', title: 'Year', axis: { labelAngle: 0 } };
  const color = { field: 'option', type: 'nominal', title: null, sort: null };
  const layers: VlSpec[] = [
    {
      name: 'lines',
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y: { field: 'net', type: 'quantitative', axis: chfAxis('Net impact in the year (CHF)') }, color },
    },
    {
      name: 'points',
      mark: { type: 'point', filled: true, size: 50 },
      encoding: {
        x,
        y: { field: 'net', type: 'quantitative' },
        color,
        tooltip: [
          { field: 'option', title: 'Option' },
          { field: 'year', title: 'Year' },
          { field: 'net', title: 'Net (CHF)', format: STYLE.chf },
        ],
      },
    },
    {
      name: 'zero',
      data: { values: [{ y: 0 }] },
      mark: { type: 'rule', color: '#888' },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    },
  ];
  if (whiskers.length)
    layers.push({
      name: 'whiskers',
      transform: [{ filter: 'isValid(datum.p5)' }],
      mark: { type: 'rule', opacity: 0.6, xOffset: 0 },
      encoding: { x, y: { field: 'p5', type: 'quantitative' }, y2: { field: 'p95' }, color },
    });
  return {
    kind: 'yearly',
    ...text,
    spec: frame(text.title, text.description, text.caption, { data: { values: points }, layer: layers }),
    marks: { points: points.length, whiskers: whiskers.length },
  };
}
