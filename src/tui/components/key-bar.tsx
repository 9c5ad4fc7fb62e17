import { Text } from 'ink';
import { Fragment } from 'react';
import { cells } from '../text.js';
import type { KeyHint } from '../views/types.js';

/**
 * The bottom key bar (htop / k9s style): the current view's keys, then the global ones, always ending
 * with `? help` and `q quit`; view keys are dropped from the end when the width is short, never `? help`.
 */
export function keyBarItems(viewKeys: readonly KeyHint[], globalKeys: readonly KeyHint[], width: number): KeyHint[] {
  const tail = globalKeys.filter((k) => k.keys === '?' || k.keys === 'q');
  const middle = [...viewKeys, ...globalKeys.filter((k) => !tail.includes(k))];
  const len = (xs: KeyHint[]) => xs.reduce((s, k) => s + cells(k.keys) + 1 + cells(k.short), 0) + 2 * Math.max(0, xs.length - 1);
  const items = [...middle, ...tail];
  while (len(items) > width && items.length > tail.length) items.splice(items.length - tail.length - 1, 1);
  return items;
}

export function KeyBar({ items, color }: { items: KeyHint[]; color: boolean }) {
  return (
    <Text wrap="truncate-end">
      {items.map((k, i) => (
        <Fragment key={k.keys}>
          {i ? '  ' : ''}
          <Text bold inverse={color}>
            {k.keys}
          </Text>
          {` ${k.short}`}
        </Fragment>
      ))}
    </Text>
  );
}
