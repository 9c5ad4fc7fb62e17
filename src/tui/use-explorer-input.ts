import { type Key, useApp, useInput, useStdin } from 'ink';
import { useCallback, useRef } from 'react';
import { helpRowsFor, helpText } from './components/help.js';
import { commandFor, keysIn } from './keymap.js';
import { bodyRowsFor, helpBodyRowsFor } from './layout.js';
import type { Explorer } from './use-explorer.js';
import { abTable } from './view-tables.js';
import { viewOf } from './views/index.js';

export class Interrupted extends Error {}

/**
 * The explorer's keys: each key becomes a command (keymap.ts, pure) that is carried out here — a state
 * action, an export, a save, quitting. Keys act on the latest state even before it is drawn.
 */
export function useExplorerInput(ex: Explorer, size: { columns: number; rows: number }) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const exRef = useRef(ex);
  exRef.current = ex;
  /** Carries out one key; true when it ended the explorer (the keys after it are not read). */
  const onKey = useCallback(
    (input: string, key: Key): boolean => {
      const ex = exRef.current;
      const st = ex.latest();
      const body = bodyRowsFor(size.rows);
      const helpRows = helpRowsFor(helpBodyRowsFor(size.rows));
      const cmd = commandFor(input, key, {
        st,
        ex,
        bodyRows: body,
        width: size.columns,
        helpRows,
        helpMax: helpText(size.columns).length - helpRows,
      });
      switch (cmd.kind) {
        case 'action':
          ex.apply(cmd.action);
          break;
        case 'quit':
          exit();
          return true;
        case 'interrupt':
          exit(new Interrupted('interrupted'));
          return true;
        case 'export': {
          const view = viewOf(st.view);
          const own = view.table(ex);
          const tables = [...(ex.a ? [abTable(ex)] : []), ...(own ? [own] : [])];
          if (!tables.length) {
            ex.apply({ type: 'status', text: 'nothing to export in this view' });
            break;
          }
          const pinned = ex.a ? { settings: ex.a.settings, file: ex.a.file === true, name: ex.a.name, bName: ex.b.name } : null;
          ex.props.onExport(tables, cmd.format, st.settings, pinned).then(
            (path) => ex.apply({ type: 'status', text: `exported ${ex.a ? 'A/B and ' : ''}${view.title} to ${path}`, view: st.view }),
            (e: Error) => ex.apply({ type: 'status', text: `export failed: ${e.message}`, view: st.view }),
          );
          break;
        }
        case 'save':
          ex.props.onSave(st.settings).then(
            (path) => ex.apply({ type: 'status', text: `saved scenario ${path} (feesim validate accepts it)`, view: st.view }),
            (e: Error) => ex.apply({ type: 'status', text: `save failed: ${e.message}`, view: st.view }),
          );
          break;
        case 'none':
          break;
      }
      return false;
    },
    [exit, size.rows, size.columns],
  );
  // several characters in one read (a paste, fast typing): one key each, in order, each on the state the
  // one before it left (ex.latest())
  const onInput = useCallback(
    (input: string, key: Key) => {
      for (const [c, k] of keysIn(input, key)) if (onKey(c, k)) return;
    },
    [onKey],
  );
  useInput(onInput, { isActive: isRawModeSupported === true });
}
