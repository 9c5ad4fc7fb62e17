// Start-up (README, Performance): after `tsc`, the CLI is bundled from dist/ into dist/bundle/ — one
// file per entry (the CLI, the Monte Carlo worker) and one chunk per lazily loaded command — with the
// libraries every command loads at start (zod, yaml, commander, pure-rand, simple-statistics,
// csv-stringify) inlined. Loading ~180 ES module files (zod alone is 95) costs more than running
// most commands; a few chunk files load several times faster. Heavy, rarely needed libraries (ink,
// react, exceljs, mathjs, vega, docx, resvg) stay external and load from node_modules when a command
// imports them. bin/feesim.mjs loads dist/bundle/main.js, or dist/cli/main.js when there is no bundle.
// dist/bundle/ sits two folders below the package root, as dist/cli/ does (defaults.ts PACKAGE_ROOT).
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/bundle');
const INLINE = /^(zod|yaml|commander|pure-rand|simple-statistics|csv-stringify)(\/|$)/;
rmSync(out, { recursive: true, force: true });
await build({
  input: { main: join(root, 'dist/cli/main.js'), 'mc-worker': join(root, 'dist/cli/mc-worker.js') },
  platform: 'node',
  // a bare import that is not inlined stays an import, resolved from node_modules at run time
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !INLINE.test(id),
  logLevel: 'warn',
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: false },
});

// `feesim --help` recorded for bin/feesim.mjs to print without loading the CLI (off a terminal, or on
// an 80-column one: commander's width there); test/startup.test.ts checks it equals commander's.
const r = spawnSync(process.execPath, [join(root, 'bin/feesim.mjs'), '--help'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, FEESIM_NO_HELP_CACHE: '1', NO_COLOR: '1' },
});
if (r.status !== 0 || !r.stdout) throw new Error(`feesim --help failed (exit ${r.status}): ${r.stderr}`);
writeFileSync(join(out, 'help.txt'), r.stdout);
