import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { kindOf, type OptionSpec } from '../../engine/options/registry.js';
import { formatCell } from '../../results/table.js';
import { optionName } from '../../scenario/option-parts.js';
import { Grid, type GridRow, money } from '../components/grid.js';
import { feeOptions, neutralFee } from '../explorer-model.js';
import { cut, safe } from '../text.js';
import { feesTable } from '../view-tables.js';
import { act, NONE, type ViewDef, type ViewProps } from './types.js';

/** An option's fee table in CHF, by Sector: "ITU-T 4,174/2,087" (developed/developing) or "ITU-T 5,035". */
function feeLine(o: OptionSpec, unit: number): string {
  const fees = kindOf(o).capabilities.feeScale?.feesChf(o, unit) ?? {};
  const bySector = new Map<string, string[]>();
  for (const [k, v] of Object.entries(fees)) {
    const sector = k.split('.')[0]!;
    bySector.set(sector, [...(bySector.get(sector) ?? []), formatCell(v, 'chf')]);
  }
  return [...bySector].map(([sector, vs]) => `ITU-${sector} ${vs.join('/')}`).join(' · ');
}

function Body({ ex, width, height, color }: ViewProps) {
  const { data } = ex.b;
  const { scenario, pop } = ex.props;
  const st = ex.st.settings;
  const [feeA, feeB] = feeOptions(data.scenario);
  const unit = pop.schedule.sectorMemberUnit;
  // the revenue-neutral fee does not depend on the fee being edited: against the scenario's table
  const neutral = useMemo(
    () => (feeA ? neutralFee(scenario, pop, { ...st, smeFeeFactor: 1 }) : null),
    [scenario, pop, st.threshold, st.preset, st.paygFeeFactor, st.params, feeA],
  );
  const line = (id: string | undefined, f: number, keys: string) => {
    if (!id) return '';
    const o = data.scenario.options[id]!;
    return `${cut(safe(optionName(o, id)), 26)} ×${f.toFixed(2)} (${keys}): ${feeLine(o as OptionSpec, unit)}`;
  };
  const neutralLine = !neutral
    ? ''
    : neutral.factor === null
      ? `Revenue-neutral fee: none up to 64× (${neutral.method})`
      : `Revenue-neutral at threshold ${st.threshold}: ×${neutral.factor.toFixed(3)} of the scenario's table (${Object.entries(
          neutral.feeChf ?? {},
        )
          .slice(0, 1)
          .map(([k, v]) => `${k.replace(/^([RTD])\.?/, 'ITU-$1 ')} CHF ${formatCell(v, 'chf')}`)
          .join('')})`;
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
      <Text wrap="truncate-end">{line(feeA, st.smeFeeFactor, '←→') || 'No option with a fee table in this scenario.'}</Text>
      <Text wrap="truncate-end">{line(feeB, st.paygFeeFactor, '↓↑') || ' '}</Text>
      <Text wrap="truncate-end" dimColor>
        CHF a year per member (developed/developing), or per meeting.
      </Text>
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
        maxRows={Math.max(2, height - 4)}
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
  table: (ex) => feesTable(ex.b.data, ex.b.ctx),
  focus: (ex) => feeOptions(ex.b.data.scenario)[0],
};
