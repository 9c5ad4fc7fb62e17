// Start-up (README, Performance): after `tsc`, the CLI is bundled from dist/ into dist/bundle/ — one
// file per entry (the CLI, the Monte Carlo worker) and one chunk per lazily loaded command — with the
// libraries every command loads at start (zod, commander, simple-statistics, csv-stringify)
// inlined. (yaml is not among them: most runs read plain YAML with src/scenario/yaml-subset.ts, and
// yaml-lib.ts loads the library from node_modules with require when a file or message needs it.) Loading ~180 ES module files (zod alone is 95) costs more than running
// most commands; a few chunk files load several times faster. Ink and React are inlined too, in the
// explorer's own lazily loaded chunks (from node_modules they were ~400 more files, es-toolkit alone
// ~300, between the explorer's first frame and its first keys). Heavy libraries only some commands use
// (exceljs, mathjs, vega, docx, resvg, jszip) stay external and load from node_modules when a command
// imports them. bin/feesim.mjs loads dist/cjs/main.js (below) on Node 20, dist/bundle/main.js on Node
// 22.1+, or dist/cli/main.js when there is no bundle.
// Then the same CLI is built as CommonJS into dist/cjs/, with V8's code cache of each chunk recorded,
// which the bin runs for every command, the explorer's Ink part included (below; README, "The code
// cache").
// dist/bundle/ sits two folders below the package root, as dist/cli/ does (defaults.ts PACKAGE_ROOT).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/bundle');
// what stays an import, resolved from node_modules at run time (everything else bare is inlined)
const EXTERNAL = /^(exceljs|mathjs|vega|vega-lite|docx|@resvg\/resvg-js|jszip)(\/|$)/;
const external = (id) => isBuiltin(id) || EXTERNAL.test(id);
// Ink's reconciler without its two top-level awaits, both for React devtools when DEV=true: an
// `await import('./devtools.js')` and a read of Ink's package.json, relative to the module (from a bundle's
// chunk it named dist/package.json, which does not exist: with DEV=true the bundled explorer failed with
// an internal error). CommonJS cannot hold a top-level await; the bundles go without devtools (tsc's
// output, dist/cli/, loads Ink from node_modules, devtools included). Dropped as Ink 6.8 writes them: the
// build fails, rather than carrying a top-level await into CommonJS, if Ink's code has changed.
const DEVTOOLS_AWAITS = [
  [/^if \(isDev\(\)\) \{\n {4}try \{\n {8}await import\('\.\/devtools\.js'\);\n[^]*?\n\}\n/m, ''],
  [/^const packageJson = isDev\(\)\n {4}\? await loadPackageJson\(\)\n {4}: (\{ name: undefined, version: undefined \});$/m, 'const packageJson = $1;'],
];
const inkWithoutDevtools = {
  name: 'ink-reconciler-without-devtools',
  transform(code, id) {
    if (!/[\\/]node_modules[\\/]ink[\\/]build[\\/]reconciler\.js$/.test(id)) return null;
    return DEVTOOLS_AWAITS.reduce((text, [pattern, replacement]) => {
      if (!pattern.test(text)) throw new Error(`${id}: no ${pattern} to drop (has Ink changed?)`);
      return text.replace(pattern, replacement);
    }, code);
  },
};
rmSync(out, { recursive: true, force: true });
await build({
  input: { main: join(root, 'dist/cli/main.js'), 'mc-worker': join(root, 'dist/cli/mc-worker.js') },
  platform: 'node',
  external,
  logLevel: 'warn',
  plugins: [inkWithoutDevtools],
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: false },
});

// The same CLI as CommonJS in dist/cjs/, which bin/feesim.mjs runs for every command with V8's code
// cache (bin/code-cache.mjs; Node 20 has none for ES modules), the explorer's Ink part included. Ink and
// its layout engine use top-level await, which CommonJS cannot hold; here
// yoga-layout (Ink's layout engine) is dist/tui/yoga-layout-cjs.js, whose instance the explorer loads
// before Ink renders (src/tui/load-tui.ts), and Ink's reconciler has no devtools (above).
const cjs = join(root, 'dist/cjs');
const yogaShim = join(root, 'dist/tui/yoga-layout-cjs.js');
rmSync(cjs, { recursive: true, force: true });
await build({
  input: { main: join(root, 'dist/cli/main.js'), 'mc-worker': join(root, 'dist/cli/mc-worker.js') },
  platform: 'node',
  external,
  logLevel: 'warn',
  plugins: [
    {
      name: 'yoga-layout-without-top-level-await',
      resolveId: (source, importer) => (source === 'yoga-layout' && importer !== yogaShim ? yogaShim : null),
    },
    inkWithoutDevtools,
    {
      // V8 drops a script's import() callback when it compiles the script from a code cache (Node 20:
      // "A dynamic import callback was not specified"), so the chunks import the external libraries
      // through a function of the bin's (bin/code-cache.mjs), or node's own import() when a chunk was
      // loaded by plain require
      name: 'import-through-the-loader',
      renderChunk(code) {
        let found = false;
        const out = code.replace(/\bimport\("([^"]+)"\)/g, (call, specifier) => {
          if (!EXTERNAL.test(specifier)) return call;
          found = true;
          return `__import(${JSON.stringify(specifier)})`;
        });
        if (!found) return null;
        const strict = out.match(/^"use strict";\n/)?.[0] ?? '';
        return `${strict}const __import = globalThis[Symbol.for("feesim.import")] ?? ((s) => import(s));\n${out.slice(strict.length)}`;
      },
    },
  ],
  // strict: the same semantics as the ES modules it is built from
  output: { dir: cjs, format: 'cjs', strict: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: false },
});
writeFileSync(join(cjs, 'package.json'), '{ "type": "commonjs" }\n');
// `feesim --help` recorded for bin/feesim.mjs to print without loading the CLI (off a terminal, or on
// an 80-column one: commander's width there); test/startup.test.ts checks it equals commander's.
const r = spawnSync(process.execPath, [join(root, 'bin/feesim.mjs'), '--help'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, FEESIM_NO_HELP_CACHE: '1', NO_COLOR: '1' },
});
if (r.status !== 0 || !r.stdout) throw new Error(`feesim --help failed (exit ${r.status}): ${r.stderr}`);
writeFileSync(join(out, 'help.txt'), r.stdout);

// V8's code cache of dist/cjs/: a few usual commands run with FEESIM_CODE_CACHE=write, each recording the
// bytecode of every chunk it compiled, from the source or from what the commands before it recorded (so
// the last record of a chunk holds what all of them ran). stdout is dropped; any failure fails the build.
// Without NODE_OPTIONS (V8 keys a cache by its flags, and feesim usually runs without any) nor
// NODE_V8_COVERAGE (no cache is recorded or used while node collects coverage).
const sweep = ['--param', 'options.sme-category.eligibility.maxEmployees', '--from', '0', '--to', '1000', '--step', '50'];
const recorded = [
  ['validate', 'scenarios/pp18-options.yaml'],
  ['run', 'scenarios/pp18-options.yaml'],
  ['run', 'scenarios/pp18-options.yaml', '--json', '--draws', '200', '--seed', '1'],
  ['sweep', 'scenarios/option-sme-category.yaml', ...sweep, '--draws', '200', '--seed', '1', '--json'],
  ['export', 'scenarios/pp18-options.yaml', '--format', 'md', '--draws', '200'],
  ['roster'],
  ['diff', 'scenarios/threshold-50.yaml', 'scenarios/threshold-300.yaml'],
  // the explorer's command off a terminal (the overview): its chunk, which runs the first frame on one
  ['explore', 'scenarios/pp18-options.yaml'],
  ['schema'],
  // the regression check CI runs (the repository's own expected results; not in the published package).
  // It exits 1 when a figure has moved (a model change not yet reviewed): the recording does not judge.
  ...(existsSync(join(root, 'test/expected')) ? [['check', 'scenarios/pp18-options.yaml', '--expected', 'test/expected']] : []),
];
// (NODE_V8_COVERAGE set empty: node gives a child its own NODE_V8_COVERAGE unless the child's
// environment names one; NODE_ENV left out: the explorer runs React's production build unless it is set,
// so a build run with NODE_ENV=development would record React's development build, which users do not run)
const { NODE_ENV: _buildsNodeEnv, ...buildEnv } = process.env;
const recordingEnv = { ...buildEnv, FEESIM_CODE_CACHE: 'write', NO_COLOR: '1', NODE_OPTIONS: '', NODE_V8_COVERAGE: '' };
const bin = join(root, 'bin/feesim.mjs');
for (const args of recorded) {
  const w = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: recordingEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
  });
  // check's exit 1 with its summary, and no failed write (which exits 1 too)
  const judged = args[0] === 'check' && w.status === 1 && /\d+ passed, \d+ failed/.test(w.stdout) && !/code cache/.test(w.stderr);
  if (w.status !== 0 && !judged)
    throw new Error(`recording the code cache: feesim ${args.join(' ')} failed (exit ${w.status}):\n${w.stdout.slice(0, 2000)}${w.stderr}`);
}
// The explorer on a terminal — its plain-text first frame and its Ink part, which a pipe never loads — on
// a stand-in terminal (scripts/record-explorer.mjs), in colour, without the CI variables (under CI the
// explorer prints its overview instead: explore.ts isInCi)
const terminalEnv = Object.fromEntries(
  Object.entries({ ...recordingEnv, FORCE_COLOR: '1' }).filter(([k]) => !(k === 'NO_COLOR' || k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'))),
);
const tui = spawnSync(process.execPath, [join(root, 'scripts/record-explorer.mjs')], { cwd: root, encoding: 'utf8', env: terminalEnv });
if (tui.status !== 0) throw new Error(`recording the code cache: the explorer on a terminal failed (exit ${tui.status}):\n${tui.stdout}${tui.stderr}`);
