import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { formatCell } from '../../results/table.js';
import { Grid, type GridRow, money } from '../components/grid.js';
import { neutralFee, paygOptionId } from '../explorer-model.js';
import { safe } from '../text.js';
import { feesTable } from '../view-tables.js';
import { act, NONE, type ViewDef, type ViewProps } from './types.js';

const chf = (v: number) => `CHF ${formatCell(v, 'chf')}`;

function Body({ ex, width, height, color }: ViewProps) {
  const { data } = ex.b;
  const { scenario, pop, ctx: _ } = { ...ex.props };
  const st = ex.st.settings;
  const sme = ex.smeId;
  const payg = paygOptionId(data.scenario);
  const so = sme ? data.scenario.options[sme] : undefined;
  const po = payg ? data.scenario.options[payg] : undefined;
  const unit = pop.schedule.sectorMemberUnit;
  // the revenue-neutral fee does not depend on the SME fee being edited: against the scenario's table
  const neutral = useMemo(
    () => (sme ? neutralFee(scenario, pop, { ...st, smeFeeFactor: 1 }) : null),
    [scenario, pop, st.threshold, st.preset, st.paygFeeFactor, st.params, sme],
  );
  const inChf = (v: number) => (so && so.kind === 'sme-category' && so.fee.basis === 'unit-fraction' ? v * unit : v);
  const smeLine =
    so && so.kind === 'sme-category'
      ? `SME fee ×${st.smeFeeFactor.toFixed(2)}: ITU-T ${chf(inChf(so.fee.T.developed))} developed, ${chf(inChf(so.fee.T.developing))} developing; ITU-D ${chf(inChf(so.fee.D.developed))}`
      : 'No SME-category option in this scenario.';
  const paygLine =
    po && po.kind === 'pay-as-you-go'
      ? `Pay-as-you-go ×${st.paygFeeFactor.toFixed(2)}: ${chf(po.fee.T)} per ITU-T ${po.basis}, ${chf(po.fee.D)} per ITU-D ${po.basis}`
      : 'No pay-as-you-go option in this scenario.';
  const neutralLine = !neutral
    ? ''
    : neutral.factor === null
      ? `Revenue-neutral SME fee: none up to 64× (${neutral.method})`
      : `Revenue-neutral SME fee at threshold ${st.threshold}: ITU-T developed ${chf(neutral.feeChf!['T.developed']!)} (×${neutral.factor.toFixed(3)})`;
  const rows: GridRow[] = data.run.arms.map((a, k) => ({
    key: a.id,
    mark: k === 0 ? '★' : ' ',
    cells: [
      { text: safe(a.label), bold: k === 0, color: k === 0 ? 'green' : undefined },
      money(formatCell(a.total.net, 'chf'), a.total.net),
      formatCell(a.total.gained, 'chf'),
      formatCell(a.total.lost, 'chf'),
      money(formatCell(a.total.adminCosts, 'chf'), -a.total.adminCosts),
    ],
  }));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">{smeLine}</Text>
      <Text wrap="truncate-end">{paygLine}</Text>
      <Text wrap="truncate-end" bold>
        {neutralLine || ' '}
      </Text>
      <Grid
        columns={[
          { header: 'Option', flex: true },
          { header: 'Net', width: 11, align: 'right' },
          { header: 'Gained', width: 10, align: 'right' },
          { header: 'Lost', width: 10, align: 'right' },
          { header: 'Admin Δ', width: 9, align: 'right' },
        ]}
        rows={rows}
        width={width}
        maxRows={Math.max(2, height - 3)}
        color={color}
      />
    </Box>
  );
}

export const fees: ViewDef = {
  id: 'fees',
  title: 'Fees',
  keys: [{ keys: '←→ ↓↑', short: 'SME / meeting fee', long: 'SME fee table / meeting fee −5 % / +5 %' }],
  onKey(_input, key) {
    if (key.leftArrow || key.rightArrow) return act({ type: 'smeFee', delta: key.leftArrow ? -0.05 : 0.05 });
    if (key.upArrow || key.downArrow) return act({ type: 'paygFee', delta: key.downArrow ? -0.05 : 0.05 });
    return NONE;
  },
  Body,
  table: (ex) => feesTable(ex.b.data, ex.props.ctx),
  focus: (ex) => ex.smeId ?? paygOptionId(ex.b.data.scenario),
};
