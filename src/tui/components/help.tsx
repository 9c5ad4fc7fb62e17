import { Box, Text } from 'ink';
import { helpLines } from '../keymap.js';
import { cells, padEnd, wrapWords } from '../text.js';

/** Rows of the help above its last line (the close hint). */
export const helpRowsFor = (height: number) => Math.max(1, height - 2);

/** Every key, as lines of at most `width` cells (long explanations wrap under themselves). */
export function helpText(width: number): string[] {
  const items = helpLines();
  const whereW = Math.max(...items.map((i) => cells(i.where))) + 1;
  const keysW = Math.max(...items.map((i) => cells(i.keys))) + 2;
  return items.flatMap((i) => {
    const what = wrapWords(i.what, Math.max(10, width - whereW - keysW));
    return what.map((w, k) => (k === 0 ? `${padEnd(i.where, whereW)}${padEnd(i.keys, keysW)}${w}` : `${' '.repeat(whereW + keysW)}${w}`));
  });
}

/** The help screen: fits when it can, scrolls with ↑↓ when it cannot; its last line always says how to close it. */
export function Help({ width, height, scroll }: { width: number; height: number; scroll: number }) {
  const lines = helpText(width);
  const room = helpRowsFor(height);
  const top = Math.min(scroll, Math.max(0, lines.length - room));
  const more = lines.length > room;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {`Keys${more ? ` (lines ${top + 1}–${top + Math.min(room, lines.length)} of ${lines.length}, ↑↓ scroll)` : ''}`}
      </Text>
      {lines.slice(top, top + room).map((l, k) => (
        <Text key={k} wrap="truncate-end">
          {l}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        Press ? or Esc to close.
      </Text>
    </Box>
  );
}
