#!/usr/bin/env node
// NO_COLOR (https://no-color.org): chalk and Ink read FORCE_COLOR, not NO_COLOR, and decide at import
// time, so the policy is set here before anything else is loaded.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '' && process.env.FORCE_COLOR === undefined) {
  process.env.FORCE_COLOR = '0';
}
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // what commander prints for --version, without loading the CLI (start-up: README, Performance)
  const { VERSION } = await import('../dist/cli/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  // The explorer: keys typed while it loads must not be echoed onto the screen. Raw mode keeps them in
  // the terminal's queue, unechoed, for the explorer to read; explore restores the mode if it does not start.
  const first = args[0];
  if (
    process.stdin.isTTY &&
    process.stdout.isTTY &&
    (first === undefined || first === 'explore' || /\.ya?ml$/.test(first) || (first.startsWith('-') && !['-h', '--help'].includes(first)))
  )
    process.stdin.setRawMode(true);
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(args);
}
