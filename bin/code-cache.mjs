// V8's code cache for the CommonJS bundle (dist/cjs/, scripts/bundle.mjs), what Node 22's
// module.enableCompileCache does for every module: Node 20 compiles each module's source again on every
// run (parse, then bytecode for each function on its first call), tens of ms of a command. Here each
// chunk of dist/cjs/ is compiled as a vm.Script given the bytecode the build recorded for it
// (dist/cjs/code-cache/<chunk>.<content hash>.v8), so V8 skips that work; README, Performance ("Start-up").
//
// V8 checks a cache against its own version and flags and rejects one that does not fit (another Node,
// a V8 flag): the chunk is then compiled from its source as usual. Two checks V8 does not make (release
// builds), made here: V8 checks the source by its length only, so each cache is named after its chunk's
// content (an edited chunk finds no cache); and it does not checksum the cache's body (a damaged one can
// crash node or run altered code), so each file starts with the SHA-1 of its chunk's hash and its body,
// and one that does not match is not used (a damaged file, or one of another build of that chunk under
// this name). Hashing costs ~3 ms a command.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

const DIGEST = 20; // bytes of a SHA-1
const sha1 = (data) => createHash('sha1').update(data);

/** What a cache file starts with: the SHA-1 of its chunk's hash and of its body. */
const digestOf = (chunkHash, body) => sha1(chunkHash).update(body).digest();

/** The cache's body when `bytes` (a cache file of the chunk hashed `chunkHash`) starts with its digest. */
function verified(bytes, chunkHash) {
  if (bytes.length <= DIGEST) return undefined;
  const body = bytes.subarray(DIGEST);
  return digestOf(chunkHash, body).equals(bytes.subarray(0, DIGEST)) ? body : undefined;
}

/**
 * Whether to compile from the recorded bytecode at all: not under a policy manifest (its integrity
 * checks and redirects live in node's own compile step, which this replaces: --experimental-policy) nor
 * while node collects coverage (NODE_V8_COVERAGE: code from a cache reports functions, not blocks).
 */
export function cacheAllowed(execArgv = process.execArgv, env = process.env) {
  // (node reads _ in an option's name as -)
  const flags = [...execArgv, env.NODE_OPTIONS ?? ''].join(' ');
  return !/--(experimental[-_]policy|policy[-_]integrity)\b/.test(flags) && !env.NODE_V8_COVERAGE;
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
  if (mode === 'off') return require(`./${entry}`);
  if (!cacheAllowed()) {
    // the build must not pass for having recorded nothing
    if (mode === 'write' || mode === 'report') notAllowed(mode);
    return require(`./${entry}`);
  }
  // import() inside a script compiled from a code cache has no callback in Node 20; the chunks call this
  // instead (scripts/bundle.mjs): a library's name, or a file URL (the explorer's ES module bundle)
  globalThis[Symbol.for('feesim.import')] = (specifier) => import(specifier);
  const cacheDir = join(dir, 'code-cache');
  /** @type {{ file: string, chunkHash: string, script: vm.Script, fromCache: boolean }[]} */
  const compiled = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename, ...rest) {
    if (dirname(filename) !== dir) return compile.call(this, content, filename, ...rest);
    const chunkHash = sha1(content).digest('base64url');
    const file = join(cacheDir, `${basename(filename)}.${chunkHash}.v8`);
    let cachedData;
    try {
      cachedData = verified(readFileSync(file), chunkHash);
    } catch {
      // not recorded (a chunk no recorded command loads): compiled from its source
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    compiled.push({ file, chunkHash, script, fromCache: cachedData !== undefined && !script.cachedDataRejected });
    const wrapper = script.runInThisContext();
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dir);
  };
  if (mode === 'write') process.on('exit', () => record(cacheDir, compiled));
  if (mode === 'report')
    process.on('exit', () => {
      const hits = compiled.filter((c) => c.fromCache).length;
      process.stderr.write(`code cache: ${compiled.length} chunks compiled, ${hits} from the cache\n`);
    });
  return require(`./${entry}`);
}

/**
 * Writes each compiled chunk's cache (what it had, and what this run compiled) through a temporary file
 * of this process; on any failure says which on stderr and sets exit code 1 (unless the command had
 * failed already): the build then fails.
 */
function record(cacheDir, compiled) {
  const failed = [];
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch (e) {
    failed.push(e.message);
  }
  if (!failed.length)
    for (const { file, chunkHash, script } of compiled) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        const body = script.createCachedData();
        writeFileSync(tmp, Buffer.concat([digestOf(chunkHash, body), body]));
        renameSync(tmp, file);
      } catch (e) {
        failed.push(e.message);
        rmSync(tmp, { force: true });
      }
    }
  if (!failed.length) return;
  process.stderr.write(`feesim: recording the code cache in ${cacheDir} failed: ${failed.join('; ')}\n`);
  if (!process.exitCode) process.exitCode = 1;
}

/** Says that the cache is neither recorded nor used under a policy or coverage; exit code 1 when recording. */
function notAllowed(mode) {
  process.on('exit', () => {
    process.stderr.write(
      `feesim: the code cache is not ${mode === 'write' ? 'recorded' : 'used'} under a policy manifest or NODE_V8_COVERAGE\n`,
    );
    if (mode === 'write' && !process.exitCode) process.exitCode = 1;
  });
}
