import type { Key } from 'ink';
import { THRESHOLD_PRESETS } from './explorer-model.js';
import { type Action, type UiState, VIEWS } from './state.js';

export type Command =
  | { kind: 'action'; action: Action }
  | { kind: 'quit' }
  | { kind: 'interrupt' }
  | { kind: 'export'; format: 'csv' | 'md' | 'xlsx' }
  | { kind: 'save' }
  | { kind: 'none' };

/** Every key, for the `?` overlay and the README. */
export const KEY_HELP: [string, string, string][] = [
  ['everywhere', '1-6, Tab, Shift+Tab', 'switch view'],
  ['everywhere', 'c / m / x', 'export this view as CSV / Markdown / XLSX'],
  ['everywhere', '? (Esc)', 'show / hide this help'],
  ['everywhere', 'q / Ctrl+C', 'quit (Ctrl+C: exit code 130)'],
  ['Threshold', '←→ PgDn/PgUp Home/End', 'threshold ±1, ±10, ±100'],
  ['Threshold', THRESHOLD_PRESETS.map((p) => p.key).join(' '), THRESHOLD_PRESETS.map((p) => p.label).join(', ')],
  ['Fees', '←→ / ↓↑', 'SME fee table / meeting fee ∓5 %'],
  ['Sensitivity', '←→', 'previous / next option'],
  ['Members', '↑↓ PgUp/PgDn, s', 'move by 1 / 10; sort (saving, size, name, loss)'],
  ['Members', 'Enter / Esc', "open / close the member's explain trace"],
  ['Parameters', '↑↓ / ←→', 'choose / change an assumption'],
  ['Parameters', 'w / z', 'save as a scenario file / reset'],
];

const act = (action: Action): Command => ({ kind: 'action', action });

/** Key -> command. Pure: the App runs the command; tests check the mapping without a terminal. */
export function commandFor(input: string, key: Key, s: UiState, ctx: { memberCount: number; armCount: number }): Command {
  if (key.ctrl && input === 'c') return { kind: 'interrupt' };
  if (input === 'q') return { kind: 'quit' };
  if (input === '?') return act({ type: 'help' });
  if (s.help) return key.escape ? act({ type: 'help' }) : { kind: 'none' };
  const n = Number(input);
  if (input.length === 1 && n >= 1 && n <= VIEWS.length) return act({ type: 'view', view: VIEWS[n - 1]! });
  if (key.tab) return act({ type: 'nextView', delta: key.shift ? -1 : 1 });
  if (input === 'c') return { kind: 'export', format: 'csv' };
  if (input === 'm') return { kind: 'export', format: 'md' };
  if (input === 'x') return { kind: 'export', format: 'xlsx' };
  switch (s.view) {
    case 'threshold': {
      const preset = THRESHOLD_PRESETS.find((p) => p.key === input);
      if (preset) return act({ type: 'threshold', value: preset.threshold, preset: preset.preset });
      const delta = key.leftArrow ? -1 : key.rightArrow ? 1 : key.pageDown ? -10 : key.pageUp ? 10 : key.home ? -100 : key.end ? 100 : 0;
      return delta ? act({ type: 'threshold', delta }) : { kind: 'none' };
    }
    case 'fees':
      if (key.leftArrow || key.rightArrow) return act({ type: 'smeFee', delta: key.leftArrow ? -0.05 : 0.05 });
      if (key.upArrow || key.downArrow) return act({ type: 'paygFee', delta: key.downArrow ? -0.05 : 0.05 });
      return { kind: 'none' };
    case 'sensitivity':
      if (key.leftArrow || key.rightArrow) return act({ type: 'arm', delta: key.leftArrow ? -1 : 1, count: ctx.armCount });
      return { kind: 'none' };
    case 'members':
      if (key.return) return act({ type: 'explain', open: true });
      if (key.escape || key.backspace) return act({ type: 'explain', open: false });
      if (input === 's') return act({ type: 'memberSort' });
      if (key.upArrow || key.downArrow || key.pageUp || key.pageDown) {
        const delta = key.upArrow ? -1 : key.downArrow ? 1 : key.pageUp ? -10 : 10;
        return act({ type: 'memberMove', delta, count: ctx.memberCount });
      }
      return { kind: 'none' };
    case 'parameters':
      if (key.upArrow || key.downArrow) return act({ type: 'paramSelect', delta: key.upArrow ? -1 : 1 });
      if (key.leftArrow || key.rightArrow) return act({ type: 'paramAdjust', delta: key.leftArrow ? -1 : 1 });
      if (input === 'w') return { kind: 'save' };
      if (input === 'z') return act({ type: 'paramReset' });
      return { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}
