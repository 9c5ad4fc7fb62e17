import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { cli, ROOT } from './helpers.js';

// Start-up (README, Performance): `--version` and `--help` load only commander and a few small modules;
// a command's module, and the heavy libraries it needs, load when it runs. Times are measured by
// `npm run bench`, not here; this checks the structure that makes them fast.

/** Relative modules a file imports statically (import … from, not import()). */
function staticImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].filter((m) => !/^import type/.test(m[0])).map((m) => m[1]!);
}

test('main.ts imports no command module, nor zod, yaml, exceljs, ink, react or mathjs, statically', () => {
  const imports = staticImports('src/cli/main.ts');
  expect(imports.filter((m) => m.includes('/commands/'))).toEqual([]);
  expect(imports.filter((m) => /^(zod|yaml|exceljs|ink|react|mathjs)$/.test(m))).toEqual([]);
  // what main.ts does import must stay light too (node built-ins, domain/ types and messages)
  for (const m of imports.filter((x) => x.startsWith('.'))) {
    const file = join('src/cli', m.replace(/\.js$/, '.ts'));
    for (const dep of staticImports(file)) expect(dep, `${file} imports ${dep}`).toMatch(/^(node:|\.\/defaults\.js$|\.\.\/domain\/)/);
  }
});

test('exceljs is imported when a workbook is written, not when the XLSX module loads', () => {
  expect(staticImports('src/export/xlsx.ts')).not.toContain('exceljs');
});

test('--version prints the version of package.json, and so does the JSON provenance', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(cli(['--version']).stdout).toBe(`${version}\n`);
  expect(cli(['-V']).stdout).toBe(`${version}\n`);
  expect(cli(['run', '--json']).stdout).toContain(`"version": "${version}"`);
});

test("the CLI runs from the bundle (scripts/bundle.mjs), and --help printed from its record equals commander's", () => {
  expect(existsSync(join(ROOT, 'dist/bundle/main.js'))).toBe(true);
  const direct = cli(['--help'], { env: { FEESIM_NO_HELP_CACHE: '1' } });
  expect(direct.code).toBe(0);
  expect(direct.stdout).toContain('Usage: feesim');
  for (const flag of ['--help', '-h']) {
    const r = cli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(direct.stdout);
  }
});

// The code cache (bin/code-cache.mjs, scripts/bundle.mjs): every command runs from the CommonJS bundle
// (the explorer up to its first frame), its chunks compiled from the bytecode the build recorded.
const CACHE_REPORT = /^code cache: (\d+) chunks compiled, (\d+) from the cache$/m;

// (on Node 22.1+, which keeps compiled code itself, the bin runs the ES module bundle instead)
const nodeHasCompileCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

test.skipIf(nodeHasCompileCache)('a command runs from the CommonJS bundle with every chunk it compiles taken from the code cache', () => {
  for (const args of [
    ['validate', 'scenarios/pp18-options.yaml'],
    ['run', '--json', '--draws', '100'],
  ]) {
    // (V8 flags in NODE_OPTIONS would make V8 reject the cache, as it should: not this test's subject)
    const r = cli(args, { env: { FEESIM_CODE_CACHE: 'report', NODE_OPTIONS: '' } });
    expect(r.code, r.stderr).toBe(0);
    const [, compiled, cached] = r.stderr.match(CACHE_REPORT) ?? [];
    // (validate compiles 19 chunks, run 22: more than a handful says the bundle, not a stub, was loaded)
    expect(Number(compiled), args.join(' ')).toBeGreaterThan(5);
    expect(cached, args.join(' ')).toBe(compiled);
  }
});

/** The CLI run from the ES module bundle (dist/bundle/main.js), as on Node 22.1+, with `args`. */
function esModuleBundle(args: string[]) {
  return spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { main } = await import('./dist/bundle/main.js'); process.exitCode = await main(${JSON.stringify(args)});`,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
}

test('the CommonJS bundle, with the code cache or without, prints what the ES module bundle prints', () => {
  const args = ['run', 'scenarios/pp18-options.yaml', '--json', '--draws', '300', '--seed', '7'];
  const esm = esModuleBundle(args);
  expect(esm.status, esm.stderr).toBe(0);
  expect(esm.stdout).toContain('"draws": 300');
  expect(cli(args).stdout).toBe(esm.stdout);
  expect(cli(args, { env: { FEESIM_CODE_CACHE: 'off' } }).stdout).toBe(esm.stdout);
});

test.skipIf(nodeHasCompileCache)('the explorer runs from the CommonJS bundle too, every chunk it compiles from the code cache', () => {
  // off a terminal it prints the overview (its terminal path, the Ink part included, is the next test's)
  const r = cli(['explore', 'scenarios/pp18-options.yaml', '--draws', '0'], { env: { FEESIM_CODE_CACHE: 'report', NODE_OPTIONS: '' } });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('sme-category');
  const [, compiled, cached] = r.stderr.match(CACHE_REPORT) ?? [];
  expect(Number(compiled)).toBeGreaterThan(5);
  expect(cached).toBe(compiled);
});

/** `feesim …args` on a pseudo-terminal of its own (test/pty-run.py, 80×24), typing q once the explorer's key bar is up. */
const onATerminal = (args: string[], env: Record<string, string> = {}) => {
  const { CI: _ci, ...noCi } = process.env;
  return spawnSync('python3', [join(ROOT, 'test/pty-run.py'), 'q', ' quit', process.execPath, 'bin/feesim.mjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...noCi, TERM: 'xterm-256color', FORCE_COLOR: '0', ...env },
    timeout: 60_000,
  });
};

test.skipIf(nodeHasCompileCache)("on a terminal, the explorer's chunks, its Ink part's included, all come from the code cache", () => {
  // the build records them on a stand-in terminal (scripts/record-explorer.mjs): it has no real one
  const args = ['explore', 'scenarios/pp18-options.yaml', '--draws', '0'];
  const r = onATerminal(args, { FEESIM_CODE_CACHE: 'report', NODE_OPTIONS: '' });
  expect(r.stdout).toContain('›1 Overview'); // Ink's frame (the plain-text first frame has no tab bar)
  expect(r.status).toBe(0);
  const [, compiled, cached] = r.stdout.match(/code cache: (\d+) chunks compiled, (\d+) from the cache/) ?? [];
  // more chunks than through a pipe: the plain-text first frame's, Ink's and its layout engine's
  const piped = cli(args, { env: { FEESIM_CODE_CACHE: 'report', NODE_OPTIONS: '' } }).stderr.match(CACHE_REPORT)!;
  expect(Number(compiled)).toBeGreaterThan(Number(piped[1]));
  expect(cached).toBe(compiled);
});

test("the CommonJS bundle holds the explorer's Ink part: one copy of the engine, and the ES module bundle's overview through a pipe", () => {
  const chunks = (dir: string) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.js'))
      .map((f) => ({ f, text: readFileSync(join(ROOT, dir, f), 'utf8') }));
  const cjs = chunks('dist/cjs');
  // Ink is in it (its root node's name), and nothing in it imports the ES module bundle
  expect(cjs.filter((c) => c.text.includes('"ink-root"')).length).toBe(1);
  expect(cjs.filter((c) => c.text.includes('../bundle/')).map((c) => c.f)).toEqual([]);
  // one definition of the engine's run, the expression engine's guard and the first frame in each bundle:
  // the explorer's Ink part shares the command's (before, the CommonJS explorer imported a second copy)
  for (const [dir, list] of [
    ['dist/cjs', cjs],
    ['dist/bundle', chunks('dist/bundle')],
  ] as const)
    for (const definition of [/^function runDeterministic\(/m, /^async function loadExpressionEngineFor\(/m, /^function firstFrame\(/m])
      expect(list.filter((c) => definition.test(c.text)).length, `${dir}: ${definition}`).toBe(1);
  // yoga-layout's top-level await is not in the CommonJS bundle: its instance is loaded by the explorer
  // (src/tui/load-tui.ts), and Ink's reconciler has lost its DEV-only ones (scripts/bundle.mjs)
  const ink = cjs.find((c) => c.text.includes('"ink-root"'))!.text;
  expect(ink).toMatch(/require\("\.\/yoga-layout-cjs-[\w-]+\.js"\)/);
  // neither bundle has the devtools: no chunk of theirs, no import of it, no read of Ink's package.json
  // (the ES module bundle could hold both awaits: only the transform keeps them out of it)
  for (const [dir, list] of [
    ['dist/cjs', cjs],
    ['dist/bundle', chunks('dist/bundle')],
  ] as const) {
    expect(
      list.filter((c) => /devtools/.test(c.f)).map((c) => c.f),
      dir,
    ).toEqual([]);
    expect(
      list.filter((c) => /import\("\.\/devtools|await loadPackageJson\(\)/.test(c.text)).map((c) => c.f),
      dir,
    ).toEqual([]);
  }
  // through a pipe, the two bundles' explorers print the same overview
  const args = ['explore', 'scenarios/pp18-options.yaml', '--draws', '0'];
  const esm = esModuleBundle(args);
  expect(esm.status, esm.stderr).toBe(0);
  expect(esm.stdout).toContain('sme-category');
  expect(cli(args).stdout).toBe(esm.stdout);
});

test("with DEV=true (Ink's switch for React devtools) the explorer runs on a terminal: the bundles have no devtools", () => {
  // Ink connected to them with two top-level awaits, which CommonJS cannot hold (scripts/bundle.mjs drops
  // them); from the ES module bundle they failed with an internal error (a package.json beside the chunk)
  const r = onATerminal(['explore', 'scenarios/pp18-options.yaml', '--draws', '0'], { DEV: 'true' });
  expect(r.stdout).toContain('›1 Overview');
  expect(r.stdout).not.toContain('internal error');
  expect(r.stdout).not.toContain('devtools');
  expect(r.status).toBe(0);
});

/**
 * A copy of the package's CommonJS bundle (data, scenarios and libraries linked), changed by `change`
 * (given the copy's dist/cjs folder), then the CLI run from it through the code cache with `args` and
 * `mode`. Returns the run, and the report's counts when mode is 'report'.
 */
function fromACopy(change: (cjs: string) => void, args: string[], mode = 'report') {
  const pkg = mkdtempSync(join(tmpdir(), 'feesim-cache-'));
  try {
    const cjs = join(pkg, 'dist/cjs');
    cpSync(join(ROOT, 'dist/cjs'), cjs, { recursive: true });
    for (const name of ['data', 'scenarios', 'node_modules', 'package.json']) symlinkSync(join(ROOT, name), join(pkg, name));
    change(cjs);
    const loader = pathToFileURL(join(ROOT, 'bin/code-cache.mjs')).href;
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { requireWithCodeCache } = await import(${JSON.stringify(loader)});
         process.exitCode = await requireWithCodeCache(${JSON.stringify(cjs)}, 'main.js', ${JSON.stringify(mode)}).main(${JSON.stringify(args)});`,
      ],
      { cwd: pkg, encoding: 'utf8', env: { ...process.env, CI: 'true', NODE_OPTIONS: '' } },
    );
    const [, compiled, cached] = r.stderr.match(CACHE_REPORT) ?? [];
    return { ...r, compiled: Number(compiled), cached: Number(cached) };
  } finally {
    rmSync(pkg, { recursive: true, force: true });
  }
}

/** A cache file's digest (SHA-1) comes before its body (bin/code-cache.mjs). */
const SHA1_BYTES = 20;

/** The recorded cache file of main.js in a bundle folder. */
const mainCache = (cjs: string) => join(cjs, 'code-cache', readdirSync(join(cjs, 'code-cache')).find((f) => f.startsWith('main.js.'))!);

test('a chunk edited after the build (even to the same length) compiles from its source, not from its cache', () => {
  // V8 alone would take the old bytecode: it checks a cache's source by its length
  const said = 'the interactive explorer (the overview table through a pipe)';
  const edited = 'the INTERACTIVE EXPLORER (the overview table through a pipe)';
  expect(edited.length).toBe(said.length);
  const r = fromACopy(
    (cjs) => {
      const main = join(cjs, 'main.js');
      writeFileSync(main, readFileSync(main, 'utf8').replace(said, edited));
    },
    ['help'],
  );
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain(edited);
  expect(r.cached).toBe(r.compiled - 1); // main.js alone from its source
});

test('a damaged cache file is not used, nor one of another build: neither altered text nor bytes reach V8', () => {
  // V8's release builds do not checksum a cache's body: altered bytes crashed node (SIGTRAP), altered
  // text in it ran as if it were the code's
  const text = (cjs: string) => {
    const f = mainCache(cjs);
    const b = readFileSync(f);
    const at = b.indexOf('the interactive explorer');
    expect(at).toBeGreaterThan(0);
    b.write('the INTERACTIVE', at, 'latin1');
    writeFileSync(f, b);
  };
  const bytes = (cjs: string) => {
    const f = mainCache(cjs);
    const b = readFileSync(f);
    // every 997th byte past the first 2,000 flipped: the damage the red team's reproduction made
    for (let i = 2000; i < b.length; i += 997) b[i] = b[i]! ^ 0xff;
    writeFileSync(f, b);
  };
  // a file valid for another build of main.js (its digest binds its body to that chunk's hash), renamed
  const otherBuild = (cjs: string) => {
    const f = mainCache(cjs);
    const body = readFileSync(f).subarray(SHA1_BYTES);
    writeFileSync(f, Buffer.concat([createHash('sha1').update('another build of main.js').update(body).digest(), body]));
  };
  // a digest of the body alone (bound to no chunk): what a renamed file of another build would carry
  // if the digest did not name its chunk
  const unbound = (cjs: string) => {
    const f = mainCache(cjs);
    const body = readFileSync(f).subarray(SHA1_BYTES);
    writeFileSync(f, Buffer.concat([createHash('sha1').update(body).digest(), body]));
  };
  const expected = cli(['help']).stdout;
  for (const change of [text, bytes, otherBuild, unbound]) {
    const r = fromACopy(change, ['help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(r.cached).toBe(r.compiled - 1);
  }
});

test('recording the cache where it cannot be written exits 1 and says so (the build then fails)', () => {
  const r = fromACopy(
    (cjs) => {
      rmSync(join(cjs, 'code-cache'), { recursive: true });
      writeFileSync(join(cjs, 'code-cache'), 'a file where the folder should be');
    },
    ['validate', 'scenarios/pp18-options.yaml'],
    'write',
  );
  expect(r.stderr).toContain('scenarios/pp18-options.yaml: ok');
  expect(r.stderr).toMatch(/^feesim: recording the code cache in .*code-cache failed: /m);
  expect(r.status).toBe(1);
});

test('no cache under a policy manifest (its checks live in the compile step the cache replaces) nor with coverage', async () => {
  // @ts-expect-error: a plain JavaScript module of the bin, without types
  const { cacheAllowed } = (await import('../bin/code-cache.mjs')) as { cacheAllowed: (argv: string[], env: object) => boolean };
  expect(cacheAllowed([], {})).toBe(true);
  expect(cacheAllowed(['--max-old-space-size=4096'], { NODE_OPTIONS: '--enable-source-maps' })).toBe(true);
  for (const flag of [
    '--experimental-policy=p.json',
    '--experimental_policy=p.json',
    '--policy-integrity=sha384-x',
    '--policy_integrity=x',
  ]) {
    expect(cacheAllowed([flag], {}), flag).toBe(false);
    expect(cacheAllowed([], { NODE_OPTIONS: `--enable-source-maps ${flag}` }), flag).toBe(false);
  }
  expect(cacheAllowed([], { NODE_V8_COVERAGE: '/tmp/coverage' })).toBe(false);
  expect(cacheAllowed([], { NODE_V8_COVERAGE: '' })).toBe(true);
});
