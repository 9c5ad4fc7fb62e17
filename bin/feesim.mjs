#!/usr/bin/env node
import * as nodeModule from 'node:module';

// Node 22.1+ keeps V8's compiled code of the modules between runs (module.enableCompileCache); Node 20
// has no such cache and skips this (start-up there relies on the bundle: README, Performance).
nodeModule.enableCompileCache?.();
// NO_COLOR (https://no-color.org): chalk and Ink read FORCE_COLOR, not NO_COLOR, and decide at import
// time, so the policy is set here before anything else is loaded.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '' && process.env.FORCE_COLOR === undefined) {
  process.env.FORCE_COLOR = '0';
}
const args = process.argv.slice(2);
/**
 * `feesim --help` as the bundle step recorded it (scripts/bundle.mjs, dist/bundle/help.txt): the same
 * text commander prints at the 80-column width it uses off a terminal, without loading the CLI.
 * FEESIM_NO_HELP_CACHE=1 asks commander (the bundle step does, and a test compares the two).
 */
async function cachedHelp() {
  if (process.env.FEESIM_NO_HELP_CACHE || (process.stdout.isTTY && process.stdout.columns !== 80)) return undefined;
  const { readFileSync } = await import('node:fs');
  try {
    return readFileSync(new URL('../dist/bundle/help.txt', import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}
const help = args.length === 1 && (args[0] === '--help' || args[0] === '-h') ? await cachedHelp() : undefined;
if (help !== undefined) process.stdout.write(help);
else if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // what commander prints for --version (src/cli/version.ts: package.json's version), without loading
  // the CLI nor any module of its own (start-up: README, Performance)
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  // The explorer: keys typed while it loads must not be echoed onto the screen. Raw mode keeps them in
  // the terminal's queue, unechoed, for the explorer to read; explore restores the mode if it does not start.
  // (process.stdin is looked at last: its first use loads node's stream modules, ~10 ms other commands need not pay)
  const first = args[0];
  if (
    process.stdout.isTTY &&
    (first === undefined ||
      first === 'explore' ||
      /\.ya?ml$/.test(first) ||
      (first.startsWith('-') && !['-h', '--help'].includes(first))) &&
    process.stdin.isTTY
  )
    process.stdin.setRawMode(true);
  process.exitCode = await (await loadMain()).main(args);
}

/**
 * The CLI's main module:
 * - on Node 20: the CommonJS bundle with V8's code cache (dist/cjs/, bin/code-cache.mjs; Node 20 has no
 *   compile cache for ES modules), for every command, the explorer's Ink part included;
 * - on Node 22.1+ (which has a compile cache of its own), or without dist/cjs/: the ES module bundle
 *   (dist/bundle/);
 * - the plain tsc output (dist/cli/) when no bundle was built.
 * FEESIM_CODE_CACHE: 'off' (no cache), 'report' (say on stderr how many chunks came from it), 'write'
 * (the build records it).
 */
async function loadMain() {
  const { existsSync } = await import('node:fs');
  const built = (path) => existsSync(new URL(path, import.meta.url));
  // (Node 22.1+ keeps compiled code itself, for the ES modules too: enableCompileCache above)
  if (!nodeModule.enableCompileCache && built('../dist/cjs/main.js')) {
    const [{ requireWithCodeCache }, { fileURLToPath }] = await Promise.all([import('./code-cache.mjs'), import('node:url')]);
    return requireWithCodeCache(fileURLToPath(new URL('../dist/cjs', import.meta.url)), 'main.js', process.env.FEESIM_CODE_CACHE);
  }
  return import(built('../dist/bundle/main.js') ? '../dist/bundle/main.js' : '../dist/cli/main.js');
}
