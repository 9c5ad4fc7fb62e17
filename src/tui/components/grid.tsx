import { Box, Text } from 'ink';
import { cut, padEnd, padStart } from '../text.js';

export interface GridColumn {
  header: string;
  /** Fixed width; the one column with `flex` takes what the others leave. */
  width?: number;
  flex?: boolean;
  align?: 'left' | 'right';
}
export interface GridCell {
  text: string;
  /** Only when colour is on: colour is an addition, never the only sign. */
  color?: string;
  dim?: boolean;
  bold?: boolean;
}
export interface GridRow {
  key: string;
  cells: (GridCell | string)[];
  selected?: boolean;
  /** One character before the row (★ for the best option). */
  mark?: string;
}

/** Cell style for an amount: red when negative (colour only), dimmed when stale. */
export const money = (text: string, value: number, opts: { dim?: boolean } = {}): GridCell => ({
  text,
  color: value < 0 ? 'red' : undefined,
  dim: opts.dim,
});

/**
 * A table with fixed columns that never move: the flexible column (a name) gets the width the others
 * leave and is cut with `…` only when it does not fit. The selected row carries `›` (and inverse
 * video with colour), so selection shows without colour. Rows are windowed around the selection.
 */
export function Grid(props: {
  columns: GridColumn[];
  rows: GridRow[];
  width: number;
  maxRows: number;
  color: boolean;
  /** Show the row window position when rows are cut. */
  windowNote?: boolean;
}) {
  const { columns, rows, width, maxRows, color } = props;
  const gap = 1;
  const fixed = columns.reduce((s, c) => s + (c.flex ? 0 : (c.width ?? 0)), 0) + gap * (columns.length - 1) + 2;
  const flexW = Math.max(4, width - fixed);
  const widths = columns.map((c) => (c.flex ? flexW : (c.width ?? 0)));
  const fmt = (text: string, j: number) => {
    const w = widths[j]!;
    const t = cut(text, w);
    return columns[j]!.align === 'right' ? padStart(t, w) : padEnd(t, w);
  };
  const sel = rows.findIndex((r) => r.selected);
  const room = Math.max(1, maxRows - 1 - (rows.length > maxRows - 1 && props.windowNote !== false ? 1 : 0));
  const start = sel < 0 ? 0 : Math.max(0, Math.min(sel - Math.floor(room / 2), rows.length - room));
  const shown = rows.slice(start, start + room);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {`  ${columns.map((c, j) => fmt(c.header, j)).join(' '.repeat(gap))}`}
      </Text>
      {shown.map((r) => (
        <Text key={r.key} wrap="truncate-end" inverse={r.selected && color}>
          {r.selected ? '› ' : `${r.mark ?? ' '} `}
          {r.cells.map((c, j) => {
            const cell = typeof c === 'string' ? { text: c } : c;
            return (
              <Text key={j} color={color ? cell.color : undefined} dimColor={cell.dim} bold={cell.bold}>
                {(j ? ' '.repeat(gap) : '') + fmt(cell.text, j)}
              </Text>
            );
          })}
        </Text>
      ))}
      {rows.length > shown.length && props.windowNote !== false ? (
        <Text dimColor wrap="truncate-end">{`  rows ${start + 1}–${start + shown.length} of ${rows.length}`}</Text>
      ) : null}
    </Box>
  );
}
