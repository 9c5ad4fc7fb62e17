import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { explainMember } from '../../engine/explain.js';
import { formatCell } from '../../results/table.js';
import { Grid, type GridRow } from '../components/grid.js';
import { safe, wrapWords } from '../text.js';
import type { Explorer } from '../use-explorer.js';
import { membersTable } from '../view-tables.js';
import { act, type KeyContext, NONE, type ViewDef, type ViewProps } from './types.js';

/** The explain trace of the selected member, as lines of at most `width` cells. */
function explainLines(ex: Explorer, width: number): string[] {
  const m = ex.members[ex.st.memberIndex];
  if (!m) return [];
  const { model } = ex.b.data;
  const row = model.pop.roster.id.indexOf(m.id);
  const e = explainMember(model, row);
  const raw = [...e.header, '', ...e.steps.flatMap((x) => [`${x.option}:`, ...x.lines.map((l) => `  - ${l}`)])];
  return raw.flatMap((l) => {
    const indent = l.match(/^\s*(- )?/)?.[0].length ?? 0;
    const w = wrapWords(safe(l), width - indent);
    return w.length ? w.map((x, k) => (k === 0 ? x : ' '.repeat(indent) + x)) : [''];
  });
}

function Explain({ ex, width, height }: ViewProps) {
  const lines = useMemo(() => explainLines(ex, width), [ex.b.data, ex.members, ex.st.memberIndex, width]);
  const room = Math.max(1, height - 1);
  const top = Math.min(ex.st.explainScroll, Math.max(0, lines.length - room));
  return (
    <Box flexDirection="column">
      {lines.slice(top, top + room).map((l, k) => (
        <Text key={k} wrap="truncate-end">
          {l || ' '}
        </Text>
      ))}
      <Text
        dimColor
        wrap="truncate-end"
      >{`lines ${top + 1}–${Math.min(lines.length, top + room)} of ${lines.length} · ↑↓ PgUp PgDn scroll · Esc back`}</Text>
    </Box>
  );
}

function Body(p: ViewProps) {
  const { ex, width, height, color } = p;
  if (ex.st.explain && ex.members[ex.st.memberIndex]) return <Explain {...p} />;
  const rows: GridRow[] = ex.members.map((m, k) => ({
    key: m.id,
    selected: k === ex.st.memberIndex,
    cells: [
      safe(m.id),
      formatCell(m.saving, 'chf'),
      formatCell(m.employees, 'int'),
      formatCell(m.feeToday, 'chf'),
      formatCell(m.feeUnderOption, 'chf'),
      { text: formatCell(m.expectedLoss, 'chf'), color: 'red' },
      safe(m.name),
    ],
  }));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">{`${ex.members.length} incumbents would pay less · sorted by ${ex.st.memberSort}`}</Text>
      <Grid
        columns={[
          { header: 'Member', width: 8 },
          { header: 'Saving', width: 7, align: 'right' },
          { header: 'Staff', width: 6, align: 'right' },
          { header: 'Fee now', width: 7, align: 'right' },
          { header: 'Option', width: 7, align: 'right' },
          { header: 'Exp. loss', width: 9, align: 'right' },
          { header: 'Name', flex: true },
        ]}
        rows={rows}
        width={width}
        maxRows={Math.max(2, height - 1)}
        color={color}
      />
    </Box>
  );
}

function explainMax(k: KeyContext) {
  return Math.max(0, explainLines(k.ex, k.width).length - (k.bodyRows - 1));
}

export const members: ViewDef = {
  id: 'members',
  title: 'Members',
  keys: [
    { keys: '↑↓ PgUp PgDn', short: 'move', long: 'move 1 / 10 (explain trace: scroll)' },
    { keys: 's', short: 'sort', long: 'sort: saving, headcount, name, expected loss' },
    { keys: 'Enter Esc', short: 'explain', long: "open / close the member's explain trace" },
  ],
  onKey(input, key, k) {
    const { st, ex } = k;
    if (st.explain) {
      if (key.escape || key.backspace) return act({ type: 'explain', open: false });
      const delta = key.upArrow ? -1 : key.downArrow ? 1 : key.pageUp ? -(k.bodyRows - 2) : key.pageDown ? k.bodyRows - 2 : 0;
      return delta ? act({ type: 'explainScroll', delta, max: explainMax(k) }) : NONE;
    }
    if (key.return) return act({ type: 'explain', open: true });
    if (input === 's') return act({ type: 'memberSort' });
    if (key.upArrow || key.downArrow || key.pageUp || key.pageDown) {
      const delta = key.upArrow ? -1 : key.downArrow ? 1 : key.pageUp ? -10 : 10;
      return act({ type: 'memberMove', delta, count: ex.members.length });
    }
    return NONE;
  },
  Body,
  table: (ex) => membersTable(ex.b.data, ex.st, ex.b.ctx),
  focus: (ex) => ex.smeId,
};
