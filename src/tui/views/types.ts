import type { Key } from 'ink';
import type { ReactElement } from 'react';
import type { Table } from '../../results/table.js';
import type { Action, UiState, ViewId } from '../state.js';
import type { Explorer } from '../use-explorer.js';

/** What a key asks for: the input hook carries it out. */
export type Command =
  | { kind: 'action'; action: Action }
  | { kind: 'quit' }
  | { kind: 'interrupt' }
  | { kind: 'export'; format: 'csv' | 'md' | 'xlsx' }
  | { kind: 'save' }
  | { kind: 'none' };

export const act = (action: Action): Command => ({ kind: 'action', action });
export const NONE: Command = { kind: 'none' };

/** A key and what it does, for the key bar (short) and the help screen (long). */
export interface KeyHint {
  keys: string;
  /** A word or two for the key bar. */
  short: string;
  /** The help screen's sentence. */
  long: string;
}

/** What a view may look at when a key arrives (the state is the latest, possibly not yet rendered). */
export interface KeyContext {
  st: UiState;
  ex: Explorer;
  /** Rows the view's body has on screen (for page keys and scrolling). */
  bodyRows: number;
  /** Columns of the screen. */
  width: number;
}

export interface ViewProps {
  ex: Explorer;
  width: number;
  height: number;
  color: boolean;
}

/**
 * One view of the explorer, in its own file under views/: its title, keys, body, the table its
 * export writes and the option it is about (whose description the screen shows).
 */
export interface ViewDef {
  id: ViewId;
  title: string;
  keys: readonly KeyHint[];
  onKey(input: string, key: Key, k: KeyContext): Command;
  Body(p: ViewProps): ReactElement;
  /** The view as a table for c/m/x (null: nothing to export). */
  table(ex: Explorer): Table | null;
  /** The option the view is about. */
  focus(ex: Explorer): string | undefined;
}
