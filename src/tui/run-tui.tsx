// The explorer's Ink part, loaded after its plain-text first frame (load-tui.ts; README, "Start-up"). It
// runs in the same module graph as the command that opened the sessions (one copy of the engine in each
// build, the CommonJS bundle's included): zod's settings and the expression engine the sessions loaded
// (cli/session.ts) are this part's too.
import { render } from 'ink';
import { App, Interrupted } from './app.js';
import type { ExplorerProps } from './use-explorer.js';

/**
 * Mounts the explorer on the real terminal. Only imported when stdin and stdout are TTYs, CI is unset
 * and no machine format was asked for (cli/commands/explore.ts): a pipe never loads Ink.
 * Resolves to the exit code: 0 after q, 130 after Ctrl+C.
 */
export async function runTui(props: ExplorerProps & { replaceLines?: number }): Promise<number> {
  const color = process.env.FORCE_COLOR !== '0';
  const size = () => ({ columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 });
  // the plain-text first frame (first-frame.ts) is replaced in place: back to its first line, cleared below
  if (props.replaceLines) process.stdout.write(`\r${props.replaceLines > 1 ? `\u001B[${props.replaceLines - 1}A` : ''}\u001B[J`);
  const app = render(<App {...props} {...size()} color={color} />, { exitOnCtrlC: false, patchConsole: false });
  // Ink 6 has no useWindowSize: re-render with the new size so that larger terminals get more room.
  const onResize = () => app.rerender(<App {...props} {...size()} color={color} />);
  process.stdout.on('resize', onResize);
  try {
    await app.waitUntilExit();
    return 0;
  } catch (e) {
    if (e instanceof Interrupted) return 130;
    throw e;
  } finally {
    process.stdout.off('resize', onResize);
  }
}
