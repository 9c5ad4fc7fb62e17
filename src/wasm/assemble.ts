/**
 * A small WebAssembly module builder: just what feesim's kernels need (i32 and f64 locals, loads and
 * stores, arithmetic, loops) — the engine's numeric kernels (engine/wasm) and the roster's row reader
 * (roster/row-kernel.ts); a layer of its own, importing nothing of the project, so that both may use
 * it (test/import-direction.test.ts). Written in TypeScript so that the build needs no toolchain. WebAssembly's f64 arithmetic is IEEE 754 binary64 with round-to-nearest, exactly as
 * JavaScript's, so a kernel written here gives the same numbers bit for bit as the same operations in
 * JavaScript; its integer arithmetic wraps at 32 bits as Math.imul and the bitwise operators do. What
 * it buys is speed from the first call: the module is compiled at once (Liftoff), where JavaScript's
 * loops run in the interpreter until the JIT has warmed up — which is all of a one-shot CLI run.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export type ValType = typeof I32 | typeof F64;

export type Code = (number | Code)[];

export interface FuncDef {
  name: string;
  params: readonly ValType[];
  results: readonly ValType[];
  /** Locals after the parameters. */
  locals: readonly ValType[];
  code: Code;
}

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

const sleb = (n: number): number[] => {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

const flat = (c: Code): number[] => {
  const out: number[] = [];
  const walk = (x: Code) => {
    for (const e of x)
      if (typeof e === 'number') out.push(e);
      else walk(e);
  };
  walk(c);
  return out;
};

const exportEntry = (name: string, kind: number, index: number): number[] => {
  const b = [...new TextEncoder().encode(name)];
  return [...uleb(b.length), ...b, kind, ...uleb(index)];
};

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** A function the module imports from JavaScript, as `env.<name>` (e.g. Math.log). */
export interface ImportDef {
  name: string;
  params: ValType[];
  results: ValType[];
}

const typeOf = (f: { params: readonly ValType[]; results: readonly ValType[] }) => [
  0x60,
  ...vec(f.params.map((t) => [t])),
  ...vec(f.results.map((t) => [t])),
];
const nameBytes = (name: string) => {
  const b = [...new TextEncoder().encode(name)];
  return [...uleb(b.length), ...b];
};

/**
 * A module of `funcs` (all exported by name) over one exported memory "memory" of `pages` × 64 KiB —
 * or, with `importMemory`, over a memory of at least `pages` pages imported as `env.memory` (each
 * instance then gets a memory of the size it needs, and never grows it). Imported functions come first
 * in the function index space: `call(k)` calls import k, and the module's own function j is
 * `call(imports.length + j)`.
 */
export function assemble(funcs: FuncDef[], pages: number, imports: ImportDef[] = [], importMemory = false): Uint8Array {
  const types = [...imports.map(typeOf), ...funcs.map(typeOf)];
  const n = imports.length;
  const importEntries = imports.map((f, k) => [...nameBytes('env'), ...nameBytes(f.name), 0x00, ...uleb(k)]);
  if (importMemory) importEntries.push([...nameBytes('env'), ...nameBytes('memory'), 0x02, 0x00, ...uleb(pages)]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...(importEntries.length ? section(2, vec(importEntries)) : []),
    ...section(3, vec(funcs.map((_, k) => uleb(n + k)))),
    ...(importMemory ? [] : section(5, vec([[0x00, ...uleb(pages)]]))),
    ...section(7, vec([exportEntry('memory', 0x02, 0), ...funcs.map((f, k) => exportEntry(f.name, 0x00, n + k))])),
    ...section(
      10,
      vec(
        funcs.map((f) => {
          const locals = vec(f.locals.map((t) => [1, t]));
          const body = [...locals, ...flat(f.code), 0x0b];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  ];
  return Uint8Array.from(bytes);
}

// ---- instructions ----------------------------------------------------------------------------------

export const get = (i: number): Code => [0x20, ...uleb(i)];
export const set = (i: number): Code => [0x21, ...uleb(i)];
export const tee = (i: number): Code => [0x22, ...uleb(i)];
export const i32 = (n: number): Code => [0x41, ...sleb(n)];
export const f64 = (x: number): Code => {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return [0x44, ...b];
};
/** f64.load / f64.store at the address on the stack (+ a constant byte offset). */
export const loadF64 = (offset = 0): Code => [0x2b, 3, ...uleb(offset)];
export const storeF64 = (offset = 0): Code => [0x39, 3, ...uleb(offset)];
export const loadI32 = (offset = 0): Code => [0x28, 2, ...uleb(offset)];
export const storeI32 = (offset = 0): Code => [0x36, 2, ...uleb(offset)];
/** i32.load8_u / i32.store8: a byte at the address on the stack (+ a constant byte offset). */
export const loadU8 = (offset = 0): Code => [0x2d, 0, ...uleb(offset)];
export const storeU8 = (offset = 0): Code => [0x3a, 0, ...uleb(offset)];

export const op = {
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeS: 0x4c,
  i32LeU: 0x4d,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Floor: 0x9c,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64ConvertI32S: 0xb7,
  f64ConvertI32U: 0xb8,
  i32TruncF64S: 0xaa,
  return: 0x0f,
} as const;

/** call function k of the module's index space (imports first) */
export const call = (k: number): Code => [0x10, ...uleb(k)];
/** block … end and loop … end (no result); br / br_if to an enclosing label, 0 the innermost */
export const block = (body: Code): Code => [0x02, 0x40, body, 0x0b];
export const loop = (body: Code): Code => [0x03, 0x40, body, 0x0b];
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const brIf = (depth: number): Code => [0x0d, ...uleb(depth)];

/** if (cond on the stack) { then } */
export const when = (then: Code): Code => [0x04, 0x40, then, 0x0b];
/** if (cond) { then } else { otherwise } */
export const ifElse = (then: Code, otherwise: Code): Code => [0x04, 0x40, then, 0x05, otherwise, 0x0b];
/** if (cond) { then } else { otherwise }, leaving an f64: `cond ? then : otherwise` */
export const choose = (then: Code, otherwise: Code): Code => [0x04, F64, then, 0x05, otherwise, 0x0b];

/**
 * for (local i = from; i < to (a local); i++) body — `from` and `to` are code leaving an i32. The
 * body may not branch out of the loop.
 */
export const forRange = (i: number, from: Code, to: number, body: Code): Code => [
  from,
  set(i),
  0x02,
  0x40, // block
  0x03,
  0x40, // loop
  get(i),
  get(to),
  op.i32GeS,
  0x0d,
  1, // br_if 1: leave the block
  body,
  get(i),
  i32(1),
  op.i32Add,
  set(i),
  0x0c,
  0, // br 0: next iteration
  0x0b,
  0x0b,
];

// ---- running a module ------------------------------------------------------------------------------

// The few WebAssembly types used here (TypeScript's ES lib has none; the DOM lib is not loaded).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: object };
  Memory: new (d: { initial: number }) => WasmMemory;
};
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * Instances of the module of `funcs`, compiled once, each over a memory of its own sized up front (the
 * argument: bytes) — for a kernel whose arrays live as long as the computation that made them (a Monte
 * Carlo run), several of which may be alive at once; `imports`: JavaScript functions the module calls
 * (Math.log, Math.pow), functions 0, 1, … before its own. Its memory is never grown: growing one detaches
 * its buffer, which costs every typed-array function of the process its optimised code (V8's detach
 * protector). null where WebAssembly is not available or refuses the module.
 */
export function instanceFactory<E>(
  funcs: FuncDef[],
  imports: (ImportDef & { fn: (...args: number[]) => number })[] = [],
): ((bytes: number) => Arena<E> | null) | null {
  try {
    const module = new WebAssembly.Module(assemble(funcs, 1, imports, true));
    const fns = Object.fromEntries(imports.map((f) => [f.name, f.fn]));
    return (bytes) => {
      try {
        const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
        const exports = new WebAssembly.Instance(module, { env: { ...fns, memory } }).exports as E & { memory: WasmMemory };
        return new Arena(exports);
      } catch {
        return null; // no memory of that size to be had (the address space, a limit): the caller runs JavaScript
      }
    };
  } catch {
    return null;
  }
}

/**
 * A kernel of `funcs` shared by the calls of a process, each call asking for a memory of at least
 * `bytes` (what it will allocate after its reset): compiled on the first call (instanceFactory), and
 * replaced by a new instance over a larger memory (twice the size, or just enough) when a call needs
 * more — never grown: growing a memory detaches its buffer, which trips V8's detach protector and throws
 * away the optimised code of every typed-array function compiled so far. undefined where WebAssembly is
 * not available (node --jitless) or refuses the module, and for a call whose memory cannot be had (a
 * limit on the address space): the caller then runs its JavaScript, the same numbers. A size that could
 * not be had is not asked for again, nor any larger one: each failed attempt costs V8 a garbage
 * collection and a retry (~60–140 ms), which every call would otherwise pay again.
 */
export function sizedKernel<E>(
  funcs: FuncDef[],
  imports: (ImportDef & { fn: (...args: number[]) => number })[] = [],
): (bytes?: number) => Arena<E> | undefined {
  let factory: ((bytes: number) => Arena<E> | null) | null | undefined;
  let kernel: Arena<E> | undefined;
  let failedAt = Number.POSITIVE_INFINITY; // the smallest memory that could not be had
  return (bytes = 0) => {
    if (factory === undefined) factory = instanceFactory<E>(funcs, imports);
    if (!factory) return undefined;
    const has = kernel?.fn.memory.buffer.byteLength ?? 0;
    if (kernel && has >= bytes) return kernel;
    const enough = Math.max(bytes, 65536);
    for (const size of new Set([Math.max(enough, 2 * has), enough])) {
      if (size >= failedAt) continue;
      const made = factory(size);
      if (made) {
        kernel = made;
        return made;
      }
      failedAt = size;
    }
    return undefined;
  };
}

/** A module's memory handed out front to back (reset per use), with typed views on it. */
export class Arena<E> {
  private top = 0;
  constructor(readonly fn: E & { memory: WasmMemory }) {}

  /** Forgets every allocation (their views must not be used afterwards). */
  reset(): void {
    this.top = 0;
  }

  /** The bytes alloc(n, bytesEach) takes: n × bytesEach, rounded up to 8 (for sizing a memory up front). */
  static bytes(n: number, bytesEach = 8): number {
    return Math.ceil((n * bytesEach) / 8) * 8;
  }

  /**
   * Room for n numbers of `bytesEach` bytes, 8-byte aligned: its byte address. Grows the memory when
   * needed, which detaches every view made before: allocate first, then make the views.
   */
  alloc(n: number, bytesEach = 8): number {
    const at = this.top;
    this.top += Arena.bytes(n, bytesEach);
    const need = this.top - this.fn.memory.buffer.byteLength;
    if (need > 0) this.fn.memory.grow(Math.ceil(need / 65536));
    return at;
  }

  f64(at: number, n: number): Float64Array {
    return new Float64Array(this.fn.memory.buffer, at, n);
  }

  u32(at: number, n: number): Uint32Array {
    return new Uint32Array(this.fn.memory.buffer, at, n);
  }

  u8(at: number, n: number): Uint8Array {
    return new Uint8Array(this.fn.memory.buffer, at, n);
  }

  i32(at: number, n: number): Int32Array {
    return new Int32Array(this.fn.memory.buffer, at, n);
  }
}
