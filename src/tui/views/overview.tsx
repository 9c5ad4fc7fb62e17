import { Box, Text } from 'ink';
import { formatCell } from '../../results/table.js';
import { Grid, type GridRow, money } from '../components/grid.js';
import { overviewNotes } from '../first-frame.js';
import { safe } from '../text.js';
import { overviewTable } from '../view-tables.js';
import { act, type KeyContext, NONE, type ViewDef, type ViewProps } from './types.js';

const chf = (v: number) => formatCell(v, 'chf');
const pct = (v: number) => (Number.isFinite(v) ? formatCell(v, 'percent') : '…');

/** The option selected in the overview and the sensitivity view (an index into the model's options). */
export function focusedArm(ex: ViewProps['ex']) {
  const arms = ex.b.data.model.arms;
  return arms[ex.st.armIndex % arms.length]!;
}

function Body({ ex, width, height, color }: ViewProps) {
  const { run } = ex.b.data;
  const mc = ex.b.mc;
  const focus = focusedArm(ex).id;
  // 11 characters hold "-99,999,999", so the columns do not move when the Monte Carlo intervals arrive.
  const numW = Math.max(
    11,
    ...run.arms.map((a) => chf(a.total.net).length),
    ...(mc.summary?.arms ?? []).flatMap((m) => [chf(m.total.p5).length, chf(m.total.p95).length]),
  );
  const pinnedA = ex.a;
  const rows: GridRow[] = run.arms.map((arm, k) => {
    const m = mc.summary?.arms.find((x) => x.id === arm.id);
    const dim = mc.stale || (m?.updating ?? false);
    const best = k === 0;
    const label = { text: safe(arm.label), color: best ? 'green' : undefined, bold: best };
    if (pinnedA) {
      const aNet = pinnedA.data.run.arms.find((x) => x.id === arm.id)?.total.net ?? Number.NaN;
      const d = arm.total.net - aNet;
      return {
        key: arm.id,
        selected: arm.id === focus,
        mark: best ? '★' : ' ',
        cells: [
          label,
          money(chf(aNet), aNet),
          money(chf(arm.total.net), arm.total.net),
          money(`${d > 0 ? '+' : ''}${chf(d)}`, d),
          { text: pct(m?.total.probLoss ?? Number.NaN), dim },
        ],
      };
    }
    return {
      key: arm.id,
      selected: arm.id === focus,
      mark: best ? '★' : ' ',
      cells: [
        label,
        money(chf(arm.total.net), arm.total.net),
        m ? money(chf(m.total.p5), m.total.p5, { dim }) : { text: '…', dim: true },
        m ? money(chf(m.total.p95), m.total.p95, { dim }) : { text: '…', dim: true },
        { text: pct(m?.total.probLoss ?? Number.NaN), dim },
        { text: pct(m?.probBest ?? Number.NaN), dim },
      ],
    };
  });
  const columns = pinnedA
    ? [
        { header: 'Option', flex: true },
        { header: 'Net A', width: numW, align: 'right' as const },
        { header: 'Net B', width: numW, align: 'right' as const },
        { header: 'B − A', width: numW + 1, align: 'right' as const },
        // the Monte Carlo column is B's (the settings being explored); the legend below says so too
        { header: 'B P(loss)', width: 9, align: 'right' as const },
      ]
    : [
        { header: 'Option', flex: true },
        { header: 'Net', width: numW, align: 'right' as const },
        { header: 'P5', width: numW, align: 'right' as const },
        { header: 'P95', width: numW, align: 'right' as const },
        { header: 'P(loss)', width: 7, align: 'right' as const },
        { header: 'P(1st)', width: 7, align: 'right' as const },
      ];
  return (
    <Box flexDirection="column">
      <Grid columns={columns} rows={rows} width={width} maxRows={Math.max(2, height - 5)} color={color} />
      {overviewNotes(ex.b.data, width, pinnedA?.data).map((l) => (
        <Text key={l} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}

export const overview: ViewDef = {
  id: 'overview',
  title: 'Overview',
  keys: [{ keys: '↑↓', short: 'option', long: 'choose the option described and compared' }],
  onKey(_input, key, { st, ex }: KeyContext) {
    if (!key.upArrow && !key.downArrow) return NONE;
    // moves in ranked order; the state keeps the option's index in the scenario
    const ranked = ex.b.data.run.arms.map((a) => a.id);
    const model = ex.b.data.model.arms.map((a) => a.id);
    const now = ranked.indexOf(model[st.armIndex % model.length]!);
    const next = Math.max(0, Math.min(ranked.length - 1, now + (key.upArrow ? -1 : 1)));
    return act({ type: 'arm', delta: model.indexOf(ranked[next]!) - (st.armIndex % model.length), count: model.length });
  },
  Body,
  table: (ex) => overviewTable(ex.b.data, ex.b.ctx, ex.b.mc.summary),
  focus: (ex) => focusedArm(ex).id,
};
