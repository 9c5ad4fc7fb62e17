import { Box, Text } from 'ink';
import { optionName } from '../../scenario/option-parts.js';
import { formatValue, type TuiParam, tuiParams, unitText } from '../params.js';
import { paramValue } from '../state.js';
import { cut, padEnd, padStart, safe } from '../text.js';
import { parametersTable } from '../view-tables.js';
import { act, NONE, type ViewDef, type ViewProps } from './types.js';

/** A value in its format, short enough for a column ("1/16 unit" for "1/16 of the unit"). */
const valueText = (v: number, p: TuiParam) => formatValue(v, p.format).replace(' of the unit', ' unit');

type Line = { kind: 'option'; text: string } | { kind: 'param'; p: TuiParam; index: number };

function Body({ ex, width, height, color }: ViewProps) {
  const base = ex.props.scenario;
  const params = tuiParams(base);
  const lines: Line[] = [];
  params.forEach((p, index) => {
    if (index === 0 || params[index - 1]!.option !== p.option)
      lines.push({ kind: 'option', text: safe(base.options[p.option] ? optionName(base.options[p.option]!, p.option) : p.option) });
    lines.push({ kind: 'param', p, index });
  });
  const sel = lines.findIndex((l) => l.kind === 'param' && l.index === ex.st.paramIndex);
  const room = Math.max(1, height - 2);
  const top = Math.max(0, Math.min(sel - Math.floor(room / 2), lines.length - room));
  const valueW = Math.max(8, ...params.map((p) => valueText(paramValue(base, ex.st.settings, p.path), p).length));
  const nameW = Math.min(width - valueW - 28, Math.max(12, ...params.map((p) => p.name.length)));
  const best = ex.b.data.run.arms[0]!;
  return (
    <Box flexDirection="column">
      {lines.slice(top, top + room).map((l) => {
        if (l.kind === 'option')
          return (
            <Text key={`o-${l.text}`} bold wrap="truncate-end">
              {l.text}
            </Text>
          );
        const v = paramValue(base, ex.st.settings, l.p.path);
        const edited = l.p.path in ex.st.settings.params;
        const selected = l.index === ex.st.paramIndex;
        const unit = unitText(l.p) ? ` ${unitText(l.p)}` : '';
        return (
          <Text key={l.p.path} wrap="truncate-end" inverse={selected && color}>
            {`${selected ? '›' : ' '} ${padEnd(cut(safe(l.p.name), nameW), nameW)} ${edited ? '*' : ' '}`}
            <Text bold={edited} color={edited && color ? 'yellow' : undefined}>
              {padStart(valueText(v, l.p), valueW)}
            </Text>
            {unit}
          </Text>
        );
      })}
      <Text
        wrap="truncate-end"
        dimColor
      >{`* edited · step ${formatValue(params[ex.st.paramIndex]?.step ?? 0, params[ex.st.paramIndex]?.format ?? 'number')} · rows ${top + 1}–${Math.min(lines.length, top + room)} of ${lines.length}`}</Text>
      <Text wrap="truncate-end">{`Best option now: ${safe(best.label)}, net CHF ${Math.round(best.total.net).toLocaleString('en-GB')}`}</Text>
    </Box>
  );
}

export const parameters: ViewDef = {
  id: 'parameters',
  title: 'Parameters',
  keys: [
    { keys: '↑↓ ←→', short: 'choose, change', long: 'choose / change an assumption (one step)' },
    { keys: 'w', short: 'save', long: 'save settings as a scenario file (validate accepts it)' },
    { keys: 'z', short: 'reset', long: 'reset everything: threshold, fees and assumptions' },
  ],
  onKey(input, key) {
    if (key.upArrow || key.downArrow) return act({ type: 'paramSelect', delta: key.upArrow ? -1 : 1 });
    if (key.leftArrow || key.rightArrow) return act({ type: 'paramAdjust', delta: key.leftArrow ? -1 : 1 });
    if (input === 'w') return { kind: 'save' };
    if (input === 'z') return act({ type: 'reset' });
    return NONE;
  },
  Body,
  table: (ex) => parametersTable(ex.b.data, (p) => paramValue(ex.props.scenario, ex.st.settings, p), ex.b.ctx),
  focus: (ex) => tuiParams(ex.props.scenario)[ex.st.paramIndex]?.option,
};
