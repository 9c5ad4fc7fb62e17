import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { tornado } from '../../engine/tornado.js';
import { formatCell } from '../../results/table.js';
import { formatPair, paramAt } from '../params.js';
import { cells, cut, fitWords, padEnd, padStart, safe } from '../text.js';
import { sensitivityTable } from '../view-tables.js';
import { focusedArm } from './overview.js';
import { act, NONE, type ViewDef, type ViewProps } from './types.js';

/** The bars' column header, from the longest wording to the shortest. */
const BAR_HEADS = ['◀ lower net · higher net ▶', '◀ lower · higher net ▶', '◀ lower · higher ▶', '◀ net ▶'];

function Body({ ex, width, height, color }: ViewProps) {
  const { model, scenario } = ex.b.data;
  const arm = focusedArm(ex);
  const { base, bars } = useMemo(() => tornado(model, arm.id), [model, arm.id]);
  const rows = bars.map((r) => {
    const p = paramAt(scenario, r.param);
    const [lo, hi] = formatPair(r.low, r.high, p.format);
    return { ...r, name: safe(p.name), lo, hi };
  });
  const nameW = Math.min(28, Math.max(10, ...rows.map((r) => r.name.length)));
  const loW = Math.max(3, ...rows.map((r) => r.lo.length));
  const hiW = Math.max(4, ...rows.map((r) => r.hi.length));
  const swingW = Math.max(5, ...rows.map((r) => formatCell(r.swing, 'chf').length));
  const barW = Math.max(8, width - 2 - nameW - loW - hiW - swingW - 4);
  const half = Math.floor(barW / 2);
  const max = Math.max(1, ...bars.flatMap((r) => [Math.abs(r.netAtLow - base), Math.abs(r.netAtHigh - base)]));
  // the bars' header in the bars' width, so that Swing keeps its place: the longest wording that fits
  const barHead = BAR_HEADS.find((h) => cells(h) <= barW) ?? '';
  const title = `Tornado: ${safe(arm.label)}`;
  const rest = `  ${fitWords(`net at P10 and P90 of each assumption, others at median (net CHF ${formatCell(base, 'chf')})`, width - cells(title) - 2)}`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{title}</Text>
        {rest}
      </Text>
      <Text bold wrap="truncate-end">
        {`  ${padEnd('Assumption', nameW)} ${padStart('P10', loW)} ${padStart('P90', hiW)} ${padEnd(barHead, barW)} ${padStart('Swing', swingW)}`}
      </Text>
      {rows.length === 0 ? <Text>No uncertain assumption moves this option.</Text> : null}
      {rows.slice(0, Math.max(1, height - 3)).map((r) => {
        const lo = Math.round(((Math.min(r.netAtLow, r.netAtHigh) - base) / max) * half);
        const hi = Math.round(((Math.max(r.netAtLow, r.netAtHigh) - base) / max) * half);
        const left = Array.from({ length: half }, (_, k) => (k - half >= lo ? '◀' : ' ')).join('');
        const right = Array.from({ length: barW - half - 1 }, (_, k) => (k + 1 <= hi ? '▶' : ' ')).join('');
        return (
          <Text key={r.param} wrap="truncate-end">
            {`  ${padEnd(cut(r.name, nameW), nameW)} ${padStart(r.lo, loW)} ${padStart(r.hi, hiW)} `}
            <Text color={color ? 'red' : undefined}>{left}</Text>|<Text color={color ? 'green' : undefined}>{right}</Text>
            {` ${padStart(formatCell(r.swing, 'chf'), swingW)}`}
          </Text>
        );
      })}
      {rows.length > height - 3 ? (
        <Text dimColor>{`  ${rows.length - (height - 3)} smaller swings not shown (export for all)`}</Text>
      ) : null}
    </Box>
  );
}

export const sensitivity: ViewDef = {
  id: 'sensitivity',
  title: 'Sensitivity',
  keys: [{ keys: '←→', short: 'option', long: "previous / next option's tornado" }],
  onKey(_input, key, { ex }) {
    if (key.leftArrow || key.rightArrow) return act({ type: 'arm', delta: key.leftArrow ? -1 : 1, count: ex.b.data.model.arms.length });
    return NONE;
  },
  Body,
  table: (ex) => sensitivityTable(ex.b.data, ex.st, ex.b.ctx),
  focus: (ex) => focusedArm(ex).id,
};
