import type { Key } from 'ink';
import { VIEWS, viewOf } from './views/index.js';
import { act, type Command, type KeyContext, type KeyHint, NONE } from './views/types.js';

/** Keys that work in every view. */
export const GLOBAL_KEYS: readonly KeyHint[] = [
  { keys: '1-6 Tab', short: 'views', long: 'switch view (Shift+Tab: back)' },
  { keys: 'a', short: 'A/B', long: 'pin settings as A and compare B with it; a again: off' },
  { keys: 'c m x', short: 'export', long: 'export as CSV / Markdown / XLSX (with A/B: A, B, B−A)' },
  { keys: '?', short: 'help', long: 'this help (↑↓ scroll; ? or Esc close)' },
  { keys: 'q', short: 'quit', long: 'quit (Ctrl+C: exit code 130)' },
];

/** The help screen's lines: every key, where it works and what it does. */
export function helpLines(): { where: string; keys: string; what: string }[] {
  return [
    ...GLOBAL_KEYS.map((k) => ({ where: 'everywhere', keys: k.keys, what: k.long })),
    ...VIEWS.flatMap((v) => v.keys.map((k) => ({ where: v.title, keys: k.keys, what: k.long }))),
  ];
}

/** A key with no flag set: what Ink gives with a printable character. */
export const PLAIN_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/**
 * The keys in one read of the terminal. Ink gives the explorer what one read returned: several
 * printable characters arrive together when they are pasted, typed over a slow link or typed while the
 * explorer is busy, and as one string they matched no key (`2a1` did nothing, `qq` did not quit). Such
 * a string is split into its characters, each with the flags Ink gives a character alone (Shift for a
 * capital letter); anything else (an escape sequence, a control character, one character) is left as it came.
 *
 * @example
 * keysIn('2a', PLAIN_KEY).map(([input]) => input) // => ['2', 'a']
 */
export function keysIn(input: string, key: Key): [string, Key][] {
  const chars = [...input];
  if (chars.length < 2 || key.ctrl || key.meta || !chars.every((c) => c >= ' ' && c !== '\u007f')) return [[input, key]];
  return chars.map((c) => [c, /[A-Z]/.test(c) ? { ...PLAIN_KEY, shift: true } : PLAIN_KEY]);
}

/** Key -> command. Pure: the input hook runs the command; tests check the mapping without a terminal. */
export function commandFor(input: string, key: Key, k: KeyContext & { helpRows: number; helpMax: number }): Command {
  const { st } = k;
  if (key.ctrl && input === 'c') return { kind: 'interrupt' };
  if (input === 'q') return { kind: 'quit' };
  if (input === '?') return act({ type: 'help' });
  if (st.help) {
    if (key.escape) return act({ type: 'help' });
    const max = k.helpMax;
    const delta = key.upArrow
      ? -1
      : key.downArrow
        ? 1
        : key.pageUp
          ? -k.helpRows
          : key.pageDown
            ? k.helpRows
            : key.home
              ? -1e6
              : key.end
                ? 1e6
                : 0;
    return delta ? act({ type: 'helpScroll', delta, max }) : NONE;
  }
  const n = Number(input);
  if (input.length === 1 && n >= 1 && n <= VIEWS.length) return act({ type: 'view', view: VIEWS[n - 1]!.id });
  if (key.tab) {
    const at = VIEWS.findIndex((v) => v.id === st.view);
    return act({ type: 'view', view: VIEWS[(at + (key.shift ? -1 : 1) + VIEWS.length) % VIEWS.length]!.id });
  }
  if (input === 'a') return act({ type: 'pin' });
  if (input === 'c') return { kind: 'export', format: 'csv' };
  if (input === 'm') return { kind: 'export', format: 'md' };
  if (input === 'x') return { kind: 'export', format: 'xlsx' };
  return viewOf(st.view).onKey(input, key, k);
}
