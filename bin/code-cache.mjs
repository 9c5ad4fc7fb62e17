// V8's code cache for the CommonJS bundle (dist/cjs/, scripts/bundle.mjs), what Node 22's
// module.enableCompileCache does for every module: Node 20 compiles each module's source again on every
// run (parse, then bytecode for each function on its first call), ~40–90 ms of a command. Here each
// chunk of dist/cjs/ is compiled as a vm.Script given the bytecode the build recorded for it
// (dist/cjs/code-cache/<chunk>.<content hash>.v8), so V8 skips that work; README, Performance ("Start-up").
//
// V8 checks a cache against its own version and flags and rejects one that does not fit (another Node,
// a V8 flag): the chunk is then compiled from its source as usual. Two checks V8 does not make (release
// builds), made here: V8 checks the source by its length only, so each cache is named after its chunk's
// content (an edited chunk finds no cache); and it does not checksum the cache's body (a damaged one can
// crash node or run altered code), so each file starts with the SHA-1 of its body, and one that does not
// match is not used. Hashing costs ~3 ms a command.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

const DIGEST = 20; // bytes of a SHA-1
const sha1 = (data) => createHash('sha1').update(data);

/** The cache's body when `bytes` (a cache file) starts with its SHA-1, else undefined. */
function verified(bytes) {
  if (bytes.length <= DIGEST) return undefined;
  const body = bytes.subarray(DIGEST);
  return sha1(body).digest().equals(bytes.subarray(0, DIGEST)) ? body : undefined;
}

/**
 * Whether to compile from the recorded bytecode at all: not under a policy manifest (its integrity
 * checks and redirects live in node's own compile step, which this replaces: --experimental-policy) nor
 * while node collects coverage (NODE_V8_COVERAGE: code from a cache reports functions, not blocks).
 */
function cacheAllowed() {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return !/--(experimental-policy|policy-integrity)\b/.test(flags) && !process.env.NODE_V8_COVERAGE;
}

/**
 * Requires `entry` (a file of `bundleDir`) with every chunk of that folder compiled from its recorded bytecode.
 * mode 'use' (the CLI), 'write' (the build: record every chunk this process compiled, at its exit, with
 * what it already had; a failed write sets exit code 1), 'report' (like 'use', then one line on stderr:
 * chunks compiled, how many from the cache), 'off' (plain require, for measuring).
 */
export function requireWithCodeCache(bundleDir, entry, mode = 'use') {
  // node names a module by its real path: the chunks are recognised by that
  const dir = realpathSync(bundleDir);
  const require = createRequire(join(dir, entry));
  if (mode === 'off' || !cacheAllowed()) return require(`./${entry}`);
  // import() inside a script compiled from a code cache has no callback in Node 20; the chunks call this
  // instead (scripts/bundle.mjs): a library's name, or a file URL (the explorer's ES module bundle)
  globalThis[Symbol.for('feesim.import')] = (specifier) => import(specifier);
  const cacheDir = join(dir, 'code-cache');
  /** @type {{ file: string, script: vm.Script, fromCache: boolean }[]} */
  const compiled = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename, ...rest) {
    if (dirname(filename) !== dir) return compile.call(this, content, filename, ...rest);
    const file = join(cacheDir, `${basename(filename)}.${sha1(content).digest('base64url')}.v8`);
    let cachedData;
    try {
      cachedData = verified(readFileSync(file));
    } catch {
      // not recorded (a chunk no recorded command loads): compiled from its source
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    compiled.push({ file, script, fromCache: cachedData !== undefined && !script.cachedDataRejected });
    const wrapper = script.runInThisContext();
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dir);
  };
  if (mode === 'write')
    process.on('exit', () => {
      try {
        mkdirSync(cacheDir, { recursive: true });
        for (const { file, script } of compiled) {
          const body = script.createCachedData();
          const tmp = `${file}.${process.pid}.tmp`;
          writeFileSync(tmp, Buffer.concat([sha1(body).digest(), body]));
          renameSync(tmp, file);
        }
      } catch (e) {
        process.stderr.write(`feesim: recording the code cache in ${cacheDir} failed: ${e.message}\n`);
        process.exitCode = 1;
      }
    });
  if (mode === 'report')
    process.on('exit', () => {
      const hits = compiled.filter((c) => c.fromCache).length;
      process.stderr.write(`code cache: ${compiled.length} chunks compiled, ${hits} from the cache\n`);
    });
  return require(`./${entry}`);
}
