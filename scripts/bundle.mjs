// Start-up (README, Performance): after `tsc`, the CLI is bundled from dist/ into dist/bundle/ — one
// file per entry (the CLI, the Monte Carlo worker) and one chunk per lazily loaded command — with the
// libraries every command loads at start (zod, commander, simple-statistics, csv-stringify)
// inlined. (yaml is not among them: most runs read plain YAML with src/scenario/yaml-subset.ts, and
// yaml-lib.ts loads the library from node_modules with require when a file or message needs it.) Loading ~180 ES module files (zod alone is 95) costs more than running
// most commands; a few chunk files load several times faster. Ink and React are inlined too, in the
// explorer's own lazily loaded chunks (from node_modules they were ~400 more files, es-toolkit alone
// ~300, between the explorer's first frame and its first keys). Heavy libraries only some commands use
// (exceljs, mathjs, vega, docx, resvg, jszip) stay external and load from node_modules when a command
// imports them. bin/feesim.mjs loads dist/bundle/main.js, or dist/cli/main.js when there is no bundle.
// dist/bundle/ sits two folders below the package root, as dist/cli/ does (defaults.ts PACKAGE_ROOT).
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/bundle');
// what stays an import, resolved from node_modules at run time (everything else bare is inlined);
// react-devtools-core is an optional import of Ink's, absent unless installed
const EXTERNAL = /^(exceljs|mathjs|vega|vega-lite|docx|@resvg\/resvg-js|jszip|react-devtools-core)(\/|$)/;
rmSync(out, { recursive: true, force: true });
await build({
  input: { main: join(root, 'dist/cli/main.js'), 'mc-worker': join(root, 'dist/cli/mc-worker.js') },
  platform: 'node',
  external: (id) => isBuiltin(id) || EXTERNAL.test(id),
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
