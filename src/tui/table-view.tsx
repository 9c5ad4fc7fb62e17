import { Box, Text } from 'ink';
import { formatCell, type Table } from '../results/table.js';

/**
 * A Table drawn in the terminal: columns are taken left to right while they fit the width (larger
 * terminals show more of them), the first text column is truncated, rows are windowed to `maxRows`
 * around `selected` so the live region never outgrows the screen.
 */
export function TableView(props: {
  table: Table;
  width: number;
  maxRows: number;
  selected?: number;
  mark?: (row: number) => string;
  color: boolean;
}) {
  const { table, width, maxRows, selected } = props;
  const cells = table.rows.map((r) => table.columns.map((c) => formatCell(r[c.id] ?? null, c.kind)));
  const widths = table.columns.map((c, j) => Math.max(c.header.length, ...cells.map((r) => r[j]!.length)));
  const markW = props.mark ? 2 : 0;
  // The first text column is the label: it is always shown, capped at 36 characters and truncated.
  const label = Math.max(
    0,
    table.columns.findIndex((c) => c.kind === 'text'),
  );
  const capped = widths.map((w, j) => (j === label ? Math.min(w, 36) : w));
  const shown: number[] = [];
  let used = markW;
  capped.forEach((w, j) => {
    const need = (shown.length ? 2 : 0) + w;
    if (used + need <= width || j === label) {
      shown.push(j);
      used += need;
    }
  });
  const spare = width - used;
  const w = shown.map((j) => (j === label ? Math.max(8, capped[j]! + Math.min(0, spare)) : capped[j]!));
  const line = (vals: string[]) =>
    shown
      .map((j, k) => {
        const v = vals[j]!;
        const cut = v.length > w[k]! ? `${v.slice(0, w[k]! - 1)}…` : v;
        return table.columns[j]!.kind === 'text' ? cut.padEnd(w[k]!) : cut.padStart(w[k]!);
      })
      .join('  ');
  const start = selected === undefined ? 0 : Math.max(0, Math.min(selected - Math.floor(maxRows / 2), cells.length - maxRows));
  const rows = cells.slice(start, start + maxRows);
  return (
    <Box flexDirection="column">
      <Text bold>
        {' '.repeat(markW)}
        {line(table.columns.map((c) => c.header))}
      </Text>
      {rows.map((r, k) => {
        const i = start + k;
        const isSel = selected === i;
        return (
          <Text key={i} inverse={isSel && !props.color} color={isSel && props.color ? 'cyan' : undefined}>
            {props.mark ? (props.mark(i) || ' ').padEnd(2) : ''}
            {line(r)}
          </Text>
        );
      })}
      {cells.length > rows.length ? <Text dimColor>{`  rows ${start + 1}-${start + rows.length} of ${cells.length}`}</Text> : null}
    </Box>
  );
}
