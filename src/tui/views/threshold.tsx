import { Box, Text } from 'ink';
import { formatCell } from '../../results/table.js';
import { optionName } from '../../scenario/option-parts.js';
import { thresholdChart } from '../chart.js';
import { THRESHOLD_PRESETS, thresholdOptions } from '../explorer-model.js';
import { safe } from '../text.js';
import { breakEvenText, thresholdTable } from '../view-tables.js';
import { act, NONE, type ViewDef, type ViewProps } from './types.js';

const chf = (v: number) => `CHF ${formatCell(v, 'chf')}`;

function Body({ ex, width, height, color }: ViewProps) {
  const { data } = ex.b;
  const curve = ex.curve();
  if (!curve || !ex.smeId) return <Text>No option in this scenario has an employee threshold: nothing to move here.</Text>;
  const sme = ex.smeId;
  const all = thresholdOptions(data.scenario).map((o) => o.id);
  const arm = data.run.arms.find((a) => a.id === sme)!;
  const t = ex.st.settings.threshold;
  const i = ex.curveMc();
  const stale = ex.b.mc.stale;
  const last = arm.years[arm.years.length - 1]!;
  const preset = ex.st.settings.preset;
  const y0 = data.scenario.horizon.startYear;
  const y1 = y0 + data.scenario.horizon.years - 1;
  const chart = thresholdChart(curve.net, t, curve.breakEven, width, Math.max(3, height - 6));
  const red = (v: number) => (color && v < 0 ? 'red' : undefined);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {'Option '}
        <Text bold>{safe(optionName(data.scenario.options[sme]!, sme))}</Text>
        {all.length > 1 ? `  (${all.indexOf(sme) + 1} of ${all.length} with a threshold; o: next)` : ''}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>{`Threshold ≤ ${t} employees`}</Text>
        {preset ? `  (preset ${preset}: its whole rule)` : ''}
        {`  eligible incumbents ${ex.b.eligible(sme)}`}
      </Text>
      <Text wrap="truncate-end">{`Switching loss ${chf(arm.years[0]!.lost)}/yr · new entrants ${formatCell(last.newEntrants, 'number')}/yr · SME participants ${formatCell(last.smeParticipants, 'number')}`}</Text>
      <Text wrap="truncate-end">
        {`Net ${y0}–${y1} `}
        <Text bold color={red(arm.total.net)}>
          {chf(arm.total.net)}
        </Text>
        {i ? (
          <Text dimColor={stale}>
            {`  P5–P95 ${formatCell(i.p5, 'chf')} … ${formatCell(i.p95, 'chf')}  P(loss) ${formatCell(i.probLoss, 'percent')}`}
          </Text>
        ) : null}
      </Text>
      <Text wrap="truncate-end">
        {`Break-even: ${breakEvenText(curve)}${curve.breakEven === null ? '' : ' (B on the zero line)'}; | the threshold`}
      </Text>
      {chart.map((l, k) => (
        <Text key={k} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}

export const threshold: ViewDef = {
  id: 'threshold',
  title: 'Threshold',
  keys: [
    { keys: '←→ PgDn PgUp', short: '±1 ±10', long: 'threshold ±1 / ±10 employees (Home End: ±100)' },
    { keys: 'o', short: 'option', long: 'move another option’s threshold (cycles through them)' },
    {
      keys: THRESHOLD_PRESETS.map((p) => p.key).join(' '),
      short: 'presets',
      long: `presets with their whole rule: ${THRESHOLD_PRESETS.map((p) => p.label).join(', ')}`,
    },
  ],
  onKey(input, key) {
    if (input === 'o') return act({ type: 'thresholdOption' });
    const preset = THRESHOLD_PRESETS.find((p) => p.key === input);
    if (preset) return act({ type: 'threshold', value: preset.threshold, preset: preset.preset });
    const delta = key.leftArrow ? -1 : key.rightArrow ? 1 : key.pageDown ? -10 : key.pageUp ? 10 : key.home ? -100 : key.end ? 100 : 0;
    return delta ? act({ type: 'threshold', delta }) : NONE;
  },
  Body,
  table: (ex) => {
    const curve = ex.curve();
    return curve
      ? thresholdTable(
          ex.b.data,
          curve,
          ex.st,
          ex.b.ctx,
          ex.b.mc.done ? { draws: ex.b.mc.done, seed: ex.props.seed, at: ex.curveMcAt } : undefined,
        )
      : null;
  },
  focus: (ex) => ex.smeId,
};
