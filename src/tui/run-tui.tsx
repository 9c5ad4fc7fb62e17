// An entry of its own in the ES module bundle, which the CommonJS explorer imports after its first
// frame (scripts/bundle.mjs; README, "The code cache"). Its engine is this bundle's copy, whose module
// state is not the CommonJS one's: zod's fast-path compile turned off here too, and the expression
// engine loaded here for the scenarios that need it (below).
import '../cli/zod-jitless.js';
import { render } from 'ink';
import { loadExpressionEngineFor } from '../engine/expr/compile-expression.js';
import { App, Interrupted } from './app.js';
import type { ExplorerProps } from './use-explorer.js';

/**
 * Mounts the explorer on the real terminal. Only imported when stdin and stdout are TTYs, CI is unset
 * and no machine format was asked for (cli/commands/explore.ts): a pipe never loads Ink.
 * Resolves to the exit code: 0 after q, 130 after Ctrl+C.
 */
export async function runTui(props: ExplorerProps & { replaceLines?: number }): Promise<number> {
  // the explorer compiles its models with this module's engine: a switch propensity written as an
  // expression needs mathjs loaded here, whatever the caller's copy of the engine has loaded
  await loadExpressionEngineFor([props.scenario, props.a?.scenario]);
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
