/**
 * RosterParser.fastRow's reading of usual rows as WebAssembly, called once for a run of rows (never per
 * row: a call from JavaScript costs ~20–50 ns). V8 11.3 reloads and bounds-checks a JavaScript byte
 * array at every byte (fastRow ~5 ns a byte); this loop, compiled once V8 has tiered it up, takes ~1.5.
 *
 * What it reads is exactly what fastRow reads, with the same checks in the same order: it stores a
 * row only where fastRow would (the same values, bit for bit — numbers are sums of digits times ten in
 * binary64, as in JavaScript), and stops at the first row fastRow would not store (SLOW or MORE), which
 * the parser then hands to fastRow and the long way as before. A row whose text is not ASCII past the
 * bytes checked as UTF-8 stops it too (fastRow checks such a row's own bytes with isUtf8).
 *
 * Built with the project's module builder (src/wasm/assemble.ts), whose conventions it follows: a
 * memory sized once and never grown (growing detaches its buffer, which costs every typed-array
 * function of the process its optimised code), and undefined where WebAssembly is not available
 * (`node --jitless`) or refuses the module — the parser then runs fastRow alone, with the same results.
 */

import { CATEGORIES, Cat } from '../domain/codes.js';
import {
  assemble,
  block,
  br,
  brIf,
  type Code,
  call,
  F64,
  type FuncDef,
  f64,
  get,
  I32,
  i32,
  ifElse,
  loadF64,
  loadI32,
  loadU8,
  loop,
  op,
  set,
  storeF64,
  storeI32,
  storeU8,
  when,
} from '../wasm/assemble.js';

const load8 = loadU8;
const store8 = storeU8;
const load32 = loadI32;
const store32 = storeI32;
type Func = FuncDef;
const RETURN = op.return;
const {
  i32Eqz: EQZ,
  i32Eq: EQ,
  i32Ne: NE,
  i32LtS: LT_S,
  i32GtS: GT_S,
  i32GtU: GT_U,
  i32LeS: LE_S,
  i32LeU: LE_U,
  i32GeS: GE_S,
  i32GeU: GE_U,
  i32Add: ADD,
  i32Sub: SUB,
  i32Mul: MUL,
  i32And: AND,
  i32Or: OR,
  i32Xor: XOR,
  i32Shl: SHL,
  i32ShrU: SHR_U,
  f64Gt: F_GT,
  f64Lt: F_LT,
  f64Ne: F_NE,
  f64Add: F_ADD,
  f64Mul: F_MUL,
  f64Div: F_DIV,
  f64ConvertI32S: F_FROM_I32,
} = op;

// ---- memory layout ---------------------------------------------------------------------------------

/** The roles of the columns (fastRow's R_…), a byte each. */
export const ROLES_AT = 0;
/** The categories' spellings (32 bytes each) and their lengths (i32 each). */
const CAT_AT = 64;
const CAT_LEN_AT = 224;
/** 1 for the categories whose rows need a headcount (a byte each). */
const NEEDS_AT = 256;
/**
 * The country codes fastRow reads (26³ i32): for three capital letters, the number of the parser's
 * country entry when the code was met before and is in the table; -1 otherwise (fastRow: SLOW).
 */
export const COUNTRY_AT = 1024;
/** Where rows() leaves the position after the last row it read. */
export const END_AT = 1016;
/**
 * The country entries the country table numbers (entry 0: no country, a parent headquarters left
 * empty), at most MAX_ENTRIES: what a row stores of one — its number in the country columns, GNI per
 * capita, development status and whether a parent there pays the full fee (RosterParser's CountryEntry).
 */
export const MAX_ENTRIES = 1024;
export const E_NUMBER_AT = COUNTRY_AT + 26 * 26 * 26 * 4;
export const E_GNI_AT = E_NUMBER_AT + MAX_ENTRIES * 4;
export const E_DEV_AT = E_GNI_AT + MAX_ENTRIES * 8;
export const E_FULL_FEE_AT = E_DEV_AT + MAX_ENTRIES;
/** Rows at most per call. */
export const TAPE_ROWS = 4096;
let top = E_FULL_FEE_AT + MAX_ENTRIES;
/** A column of TAPE_ROWS values of `bytes` bytes: its address (the rows read, as the parser's columns hold them). */
const column = (bytes: number) => {
  top = Math.ceil(top / 8) * 8;
  const at = top;
  top += bytes * TAPE_ROWS;
  return at;
};
export const C_EMPLOYEES = column(8);
export const C_TURNOVER = column(8);
export const C_MEETINGS = column(8);
export const C_CLASS = column(8);
export const C_GNI = column(8);
/** Text cells: where they start and end in the parser's buffer, and the hashes of the id and entity. */
export const C_ID_S = column(4);
export const C_ID_E = column(4);
export const C_ID_H = column(4);
export const C_EN_S = column(4);
export const C_EN_E = column(4);
export const C_EN_H = column(4);
export const C_NM_S = column(4);
export const C_NM_E = column(4);
/** The numbers of the country and parent headquarters codes (CodeColumn). */
export const C_COUNTRY = column(4);
export const C_PARENT = column(4);
export const C_LINE = column(4);
export const C_CATEGORY = column(1);
export const C_SECTOR = column(1);
export const C_DEV = column(1);
export const C_FULL_FEE = column(1);
export const C_INDEPENDENT = column(1);
/** The bytes read: a copy of a window of the parser's. */
export const BYTES_AT = column(0);

// the roles: RosterParser's R_… (roster-stream.ts), the same numbers — the parser hands the kernel its
// roles, and test/roster-kernel.test.ts compares the two readers on every role
const R_ID = 1;
const R_ENTITY = 2;
const R_NAME = 3;
const R_CATEGORY = 4;
const R_SECTOR = 5;
const R_COUNTRY = 6;
const R_EMPLOYEES = 7;
const R_TURNOVER = 8;
const R_CLASS = 9;
const R_INDEPENDENT = 10;
const R_MEETINGS = 11;
const R_PARENT = 12;

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const HASH = 35;

// ---- readRow ---------------------------------------------------------------------------------------

// readRow(i, n, ncols, r, utf8Valid, maxRecord, base, line) → the position after the row starting at
// i, stored as row r of the columns (its positions + base: the parser's), on `line`; -1 where fastRow
// would answer SLOW or MORE (nothing stored that matters)
const [P_I, P_N, P_NCOLS, P_R, P_UTF8, P_MAX, P_BASE, P_LINE] = [0, 1, 2, 3, 4, 5, 6, 7];
const PARAMS = 8;
let nextLocal = PARAMS;
const L = () => nextLocal++;
const j = L();
const k = L();
const s = L();
const role = L();
const c = L();
const h = L();
const hi = L();
const high = L();
const idS = L();
const idE = L();
const enS = L();
const enE = L();
const nmS = L();
const nmE = L();
const category = L();
const clS = L();
const clE = L();
const country = L();
const x = L();
const y = L();
const len = L();
const q = L();
const a8 = L();
const z8 = L();
const idH = L();
const enH = L();
const parent = L();
const I32_LOCALS = nextLocal - PARAMS;
const v = L();
const employees = L();
const ca = L();
const cb = L();
const cu = L();
const F64_LOCALS = nextLocal - PARAMS - I32_LOCALS;

const stop: Code = [i32(-1), RETURN];
const byteAt = (pos: Code): Code => [pos, load8(BYTES_AT)];
/** Stores `value` as row r's in the column at `at`. */
const colI32 = (at: number, value: Code): Code => [get(P_R), i32(2), SHL, value, store32(at)];
const colF64 = (at: number, value: Code): Code => [get(P_R), i32(3), SHL, value, storeF64(at)];
const colU8 = (at: number, value: Code): Code => [get(P_R), value, store8(at)];
/** Entry e's value in the table at `at` of elements of 1, 4 or 8 bytes. */
const entryU8 = (at: number, e: number): Code => [get(e), load8(at)];
const entryI32 = (at: number, e: number): Code => [get(e), i32(2), SHL, load32(at)];
const entryF64 = (at: number, e: number): Code => [get(e), i32(3), SHL, loadF64(at)];

/** c ≤ ',' && (c is ',', LF, CR or '"'): a text cell's end (textEnd). */
const isDelimiter = (cc: number): Code => [
  get(cc),
  i32(COMMA),
  LE_U,
  when([
    [get(cc), i32(COMMA), EQ, get(cc), i32(LF), EQ, OR, get(cc), i32(CR), EQ, OR, get(cc), i32(QUOTE), EQ, OR],
    brIf(2), // out of the `if`, the loop and the block around it (textCell's)
  ]),
];

/**
 * j moved to the end of the text cell at j (textEnd), hi = the OR of its bytes; with `hash`, h = its
 * FNV-1a (hashedTextEnd, before finishHash). Stops (MORE) when the bytes end first.
 */
const textCell = (hash: boolean): Code => [
  i32(0),
  set(hi),
  hash ? [i32(0x811c9dc5 | 0), set(h)] : [],
  block(
    loop([
      [get(j), get(P_N), GE_S, brIf(1)],
      [byteAt(get(j)), set(c)],
      isDelimiter(c),
      hash ? [get(h), get(c), XOR, i32(0x01000193), MUL, set(h)] : [],
      [get(hi), get(c), OR, set(hi)],
      [get(j), i32(1), ADD, set(j)],
      br(0),
    ]),
  ),
  [get(j), get(P_N), GE_S, when(stop)],
];

/** finishHash(h) */
const finishHash: Code = [
  [get(h), get(h), i32(15), SHR_U, XOR, set(h)],
  [get(h), i32(0x2c1b3c6d), MUL, set(h)],
  [get(h), get(h), i32(12), SHR_U, XOR],
];

/**
 * acc = acc × 10 + digit for the digits from local `pos` to local `end` (pos after them): the digit
 * loops of fastRow's digitsValue and classOf. A byte that is not a digit leaves the loop's block
 * (`notDigit` 1), or also the `notDigit` − 1 blocks around it.
 */
const digitRun = (pos: number, end: number, acc: number, notDigit = 1): Code =>
  block(
    loop([
      [get(pos), get(end), GE_S, brIf(1)],
      [byteAt(get(pos)), i32(48), SUB, set(c)],
      [get(c), i32(9), GT_U, brIf(notDigit)],
      [get(acc), f64(10), F_MUL, get(c), F_FROM_I32, F_ADD, set(acc)],
      [get(pos), i32(1), ADD, set(pos)],
      br(0),
    ]),
  );

/** The value of the digits at j (NaN for none) left on the stack; j after them (digitsValue + fastRow's checks). */
const digitsCell: Code = [
  f64(0),
  set(v),
  digitRun(j, P_N, v),
  [get(j), get(P_N), GE_S, when(stop)],
  [get(j), get(s), SUB, i32(15), GT_S, when(stop)],
];

/** The value of the digits, or NaN when there are none (j = s). */
const digitsValue = (into: Code): Code => [get(j), get(s), GT_S, ifElse([get(v), into], [f64(Number.NaN), into])];

/** b[j] = the delimiter after the field (fastRow's `c = b[j]`) */
const delimiterAfter: Code = [byteAt(get(j)), set(c)];

/** classOf(b, clS, clE) → cu (0: the long way). */
const classOf: Code = block([
  f64(0),
  set(cu),
  [get(clE), get(clS), EQ, brIf(0)],
  [get(clE), get(clS), SUB, i32(12), GT_S, brIf(0)],
  [f64(0), set(ca), get(clS), set(q)],
  digitRun(q, clE, ca),
  [get(q), get(clS), EQ, brIf(0)],
  // N alone: a > 0 ? a : 0
  [get(q), get(clE), EQ, when([get(ca), f64(0), F_GT, when([get(ca), set(cu)]), br(1)])],
  [byteAt(get(q)), i32(47), NE, brIf(0)], // '/'
  [get(q), i32(1), ADD, set(q), get(q), set(len), f64(0), set(cb)],
  digitRun(q, clE, cb, 2), // a byte that is not a digit: 0 (out of the loop, its block and classOf's)
  [get(q), get(len), EQ, brIf(0)],
  [get(ca), get(cb), F_DIV, set(v)],
  // Number.isFinite(v) && v > 0
  [get(v), f64(0), F_GT, get(v), f64(Number.POSITIVE_INFINITY), F_LT, AND, when([get(v), set(cu)])],
]);

/** A fixed-length code cell (category, Sector, country, true/false): fastRow's last branch. */
const codeCell: Code = [
  [get(j), get(P_N), GE_S, when(stop)],
  [byteAt(get(s)), set(x)],
  [get(role), i32(R_CATEGORY), EQ],
  ifElse(
    [
      [get(s), i32(1), ADD, get(P_N), LT_S, ifElse([byteAt([get(s), i32(1), ADD]), set(y)], [i32(0), set(y)])],
      // the first two letters tell the candidate
      [get(x), i32(115), EQ],
      ifElse(
        [get(y), i32(101), EQ, ifElse([i32(Cat.SectorMember), set(category)], [i32(Cat.SmePilot), set(category)])],
        [
          get(x),
          i32(97),
          EQ,
          ifElse(
            [get(y), i32(115), EQ, ifElse([i32(Cat.Associate), set(category)], [i32(Cat.Academia), set(category)])],
            [i32(Cat.Exempt), set(category)],
          ),
        ],
      ),
      [get(category), i32(2), SHL, load32(CAT_LEN_AT), set(len)],
      [get(s), get(len), ADD, get(P_N), GE_S, when(stop)],
      [i32(0), set(q)],
      block(
        loop([
          [get(q), get(len), GE_S, brIf(1)],
          [byteAt([get(s), get(q), ADD]), get(category), i32(5), SHL, get(q), ADD, load8(CAT_AT), NE, when(stop)],
          [get(q), i32(1), ADD, set(q)],
          br(0),
        ]),
      ),
      [get(s), get(len), ADD, set(j)],
    ],
    [
      get(role),
      i32(R_SECTOR),
      EQ,
      ifElse(
        [
          [get(s), i32(1), ADD, get(P_N), GE_S, when(stop)],
          // R T D: 0 1 2 (stored at the tape's sector field)
          [get(x), i32(82), EQ],
          ifElse(
            [colU8(C_SECTOR, i32(0))],
            [get(x), i32(84), EQ, ifElse([colU8(C_SECTOR, i32(1))], [get(x), i32(68), EQ, ifElse([colU8(C_SECTOR, i32(2))], stop)])],
          ),
          [get(s), i32(1), ADD, set(j)],
        ],
        [
          // a country: the country column, or a parent headquarters that is not empty
          [get(role), i32(R_COUNTRY), EQ],
          [get(role), i32(R_PARENT), EQ, get(x), i32(COMMA), NE, AND, get(x), i32(LF), NE, AND, get(x), i32(CR), NE, AND],
          OR,
          ifElse(
            [
              [get(s), i32(3), ADD, get(P_N), GE_S, when(stop)],
              [get(x), i32(65), SUB, set(x)],
              [byteAt([get(s), i32(1), ADD]), i32(65), SUB, set(y)],
              [byteAt([get(s), i32(2), ADD]), i32(65), SUB, set(len)],
              [get(x), i32(26), GE_U, get(y), i32(26), GE_U, OR, get(len), i32(26), GE_U, OR, when(stop)],
              [get(x), i32(26), MUL, get(y), ADD, i32(26), MUL, get(len), ADD, i32(2), SHL, load32(COUNTRY_AT), set(q)],
              [get(q), i32(0), LT_S, when(stop)],
              [get(role), i32(R_COUNTRY), EQ, ifElse([get(q), set(country)], [get(q), set(parent)])],
              [get(s), i32(3), ADD, set(j)],
            ],
            [
              get(role),
              i32(R_INDEPENDENT),
              EQ,
              when([
                [get(x), i32(116), EQ],
                ifElse(
                  [
                    [get(s), i32(4), ADD, get(P_N), GE_S, when(stop)],
                    [byteAt([get(s), i32(1), ADD]), i32(114), NE, when(stop)],
                    [byteAt([get(s), i32(2), ADD]), i32(117), NE, when(stop)],
                    [byteAt([get(s), i32(3), ADD]), i32(101), NE, when(stop)],
                    colU8(C_INDEPENDENT, i32(1)),
                    [get(s), i32(4), ADD, set(j)],
                  ],
                  [
                    [get(x), i32(102), NE, when(stop)],
                    [get(s), i32(5), ADD, get(P_N), GE_S, when(stop)],
                    [byteAt([get(s), i32(1), ADD]), i32(97), NE, when(stop)],
                    [byteAt([get(s), i32(2), ADD]), i32(108), NE, when(stop)],
                    [byteAt([get(s), i32(3), ADD]), i32(115), NE, when(stop)],
                    [byteAt([get(s), i32(4), ADD]), i32(101), NE, when(stop)],
                    colU8(C_INDEPENDENT, i32(0)),
                    [get(s), i32(5), ADD, set(j)],
                  ],
                ),
              ]),
              // a parent headquarters left empty: j stays at s
            ],
          ),
        ],
      ),
    ],
  ),
  delimiterAfter,
];

const readRow: Func = {
  name: 'readRow',
  params: new Array(PARAMS).fill(I32),
  results: [I32],
  locals: [...new Array(I32_LOCALS).fill(I32), ...new Array(F64_LOCALS).fill(F64)],
  code: [
    // a line starting with # is a comment, not a record (the parser's scan tells them apart at a line's
    // start; fastRow is only ever called past that test, the kernel's later rows are not)
    [get(P_I), get(P_N), LT_S, when([byteAt(get(P_I)), i32(HASH), EQ, when(stop)])],
    [get(P_I), set(j), i32(0), set(high), i32(-1), set(category), i32(-1), set(country)],
    [i32(0), set(idS), i32(0), set(idE), i32(0), set(enS), i32(0), set(enE), i32(0), set(nmS), i32(0), set(nmE)],
    [i32(0), set(clS), i32(0), set(clE)],
    [f64(Number.NaN), set(employees)],
    [i32(0), set(idH), i32(0), set(enH), i32(0), set(parent)],
    colF64(C_TURNOVER, f64(Number.NaN)),
    colF64(C_MEETINGS, f64(Number.NaN)),
    colU8(C_SECTOR, i32(-1)),
    colU8(C_INDEPENDENT, i32(-1)),
    [i32(0), set(k)],
    block(
      loop([
        [get(k), get(P_NCOLS), GE_S, brIf(1)],
        [get(j), set(s), get(k), load8(ROLES_AT), set(role)],
        [get(role), i32(R_NAME), LE_S],
        ifElse(
          [
            // id, entity, name: the name, the longest text of a row, is not hashed
            [get(role), i32(R_NAME), EQ],
            ifElse(textCell(false), textCell(true)),
            [get(j), get(s), GT_S],
            when([
              [byteAt(get(s)), set(a8), byteAt([get(j), i32(1), SUB]), set(z8)],
              // blanks to trim, or not a plain range
              [get(a8), i32(32), LE_U, get(a8), i32(127), GE_U, OR, get(z8), i32(32), LE_U, OR, get(z8), i32(127), GE_U, OR],
              when(stop),
            ]),
            [get(high), get(hi), OR, set(high)],
            [get(role), i32(R_ID), EQ],
            ifElse(
              [[get(j), get(s), EQ, when(stop)], get(s), set(idS), get(j), set(idE), finishHash, set(idH)],
              [
                get(role),
                i32(R_ENTITY),
                EQ,
                ifElse([get(s), set(enS), get(j), set(enE), finishHash, set(enH)], [get(s), set(nmS), get(j), set(nmE)]),
              ],
            ),
            delimiterAfter,
          ],
          [
            [get(role), i32(R_EMPLOYEES), EQ, get(role), i32(R_TURNOVER), EQ, OR, get(role), i32(R_MEETINGS), EQ, OR],
            ifElse(
              [
                digitsCell,
                [get(role), i32(R_EMPLOYEES), EQ],
                ifElse(digitsValue(set(employees)), [
                  digitsValue(set(v)),
                  [get(role), i32(R_TURNOVER), EQ],
                  ifElse(colF64(C_TURNOVER, get(v)), colF64(C_MEETINGS, get(v))),
                ]),
                delimiterAfter,
              ],
              [get(role), i32(R_CLASS), EQ, ifElse([textCell(false), get(s), set(clS), get(j), set(clE), delimiterAfter], codeCell)],
            ),
          ],
        ),
        // the field's end: a comma before the last field, the line end after it
        [get(k), get(P_NCOLS), i32(1), SUB, LT_S],
        ifElse(
          [get(c), i32(COMMA), NE, when(stop), get(j), i32(1), ADD, set(j)],
          [
            get(c),
            i32(LF),
            EQ,
            ifElse(
              [get(j), i32(1), ADD, set(j)],
              [
                [get(c), i32(CR), NE, when(stop)],
                [get(j), i32(1), ADD, get(P_N), GE_S, when(stop)],
                [byteAt([get(j), i32(1), ADD]), i32(LF), NE, when(stop)],
                [get(j), i32(2), ADD, set(j)],
              ],
            ),
          ],
        ),
        [get(k), i32(1), ADD, set(k)],
        br(0),
      ]),
    ),
    // a record over the length limit is read the long way
    [get(j), get(P_I), SUB, get(P_MAX), GT_S, when(stop)],
    // text that is not ASCII past the bytes checked as UTF-8: the row's own bytes checked, as fastRow
    // checks them (isUtf8)
    [get(high), i32(0x80), GE_U, get(j), get(P_UTF8), GT_S, AND, when([get(P_I), get(j), call(2), EQZ, when(stop)])],
    [get(country), i32(0), LT_S, when(stop)],
    // the checks that need the category
    [get(category), i32(0), GE_S],
    when([get(category), load8(NEEDS_AT), when([get(employees), get(employees), F_NE, when(stop)])]),
    [f64(Number.NaN), set(cu)],
    [get(category), i32(Cat.SectorMember), EQ],
    ifElse([classOf, get(cu), f64(0), 0x61 /* f64.eq */, when(stop)], [get(clE), get(clS), GT_S, when(stop)]),
    // the row is good: stored
    colF64(C_EMPLOYEES, get(employees)),
    colF64(C_CLASS, get(cu)),
    colI32(C_ID_S, [get(idS), get(P_BASE), ADD]),
    colI32(C_ID_E, [get(idE), get(P_BASE), ADD]),
    colI32(C_ID_H, get(idH)),
    // an empty entity: the id
    [get(enE), get(enS), EQ, when([get(idS), set(enS), get(idE), set(enE), get(idH), set(enH)])],
    colI32(C_EN_S, [get(enS), get(P_BASE), ADD]),
    colI32(C_EN_E, [get(enE), get(P_BASE), ADD]),
    colI32(C_EN_H, get(enH)),
    colI32(C_NM_S, [get(nmS), get(P_BASE), ADD]),
    colI32(C_NM_E, [get(nmE), get(P_BASE), ADD]),
    colU8(C_CATEGORY, get(category)),
    colI32(C_COUNTRY, entryI32(E_NUMBER_AT, country)),
    colU8(C_DEV, entryU8(E_DEV_AT, country)),
    colF64(C_GNI, entryF64(E_GNI_AT, country)),
    colI32(C_PARENT, entryI32(E_NUMBER_AT, parent)),
    colU8(C_FULL_FEE, entryU8(E_FULL_FEE_AT, parent)),
    colI32(C_LINE, get(P_LINE)),
    get(j),
  ],
};

// rows(i, n, maxRows, ncols, utf8Valid, maxRecord, base, line) → the number of rows read from i on (at
// most maxRows), the first on `line`; the position after the last at END_AT
const rows: Func = (() => {
  const [i, n, maxRows, ncols, utf8Valid, maxRecord, base, line, r, next] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  return {
    name: 'rows',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32],
    code: [
      block(
        loop([
          [get(r), get(maxRows), GE_S, brIf(1)],
          [get(i), get(n), get(ncols), get(r), get(utf8Valid), get(maxRecord), get(base), get(line), call(0), set(next)],
          [get(next), i32(0), LT_S, brIf(1)],
          [get(next), set(i), get(r), i32(1), ADD, set(r), get(line), i32(1), ADD, set(line)],
          br(0),
        ]),
      ),
      [i32(0), get(i), store32(END_AT)],
      get(r),
    ],
  };
})();

// utf8(from, to) → 1 when bytes [from, to) are valid UTF-8 (RFC 3629: no overlong form, no surrogate,
// nothing above U+10FFFF — Node's isUtf8, test/roster-kernel.test.ts compares them), else 0
const utf8: Func = (() => {
  const [from, to, k, c, need, lo, hi] = [0, 1, 2, 3, 4, 5, 6];
  const fail: Code = [i32(0), RETURN];
  /** byte k + d outside lo..hi: not UTF-8 */
  const continuation = (d: number, low: Code, high: Code): Code => [
    [byteAt([get(k), i32(d), ADD]), set(c)],
    [get(c), low, LT_S, get(c), high, GT_S, OR, when(fail)],
  ];
  return {
    name: 'utf8',
    params: [I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32],
    code: [
      [get(from), set(k)],
      loop([
        [get(k), get(to), GE_S, when([i32(1), RETURN])],
        [byteAt(get(k)), set(c)],
        [get(c), i32(0x80), LT_S, when([get(k), i32(1), ADD, set(k), br(1)])],
        [i32(0x80), set(lo), i32(0xbf), set(hi)],
        [get(c), i32(0xc2), LT_S, when(fail)],
        [get(c), i32(0xe0), LT_S],
        ifElse(
          [i32(1), set(need)],
          [
            [get(c), i32(0xf0), LT_S],
            ifElse(
              [
                [i32(2), set(need)],
                [get(c), i32(0xe0), EQ, when([i32(0xa0), set(lo)])],
                [get(c), i32(0xed), EQ, when([i32(0x9f), set(hi)])],
              ],
              [
                [get(c), i32(0xf5), GE_S, when(fail)],
                [i32(3), set(need)],
                [get(c), i32(0xf0), EQ, when([i32(0x90), set(lo)])],
                [get(c), i32(0xf4), EQ, when([i32(0x8f), set(hi)])],
              ],
            ),
          ],
        ),
        // the sequence's bytes all before `to`
        [get(k), get(need), ADD, get(to), GE_S, when(fail)],
        continuation(1, get(lo), get(hi)),
        [get(need), i32(2), GE_S, when(continuation(2, i32(0x80), i32(0xbf)))],
        [get(need), i32(3), EQ, when(continuation(3, i32(0x80), i32(0xbf)))],
        [get(k), get(need), ADD, i32(1), ADD, set(k)],
        br(0),
      ]),
      i32(1),
    ],
  };
})();

// ---- running it ------------------------------------------------------------------------------------

declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: object };
  Memory: new (d: { initial: number }) => { readonly buffer: ArrayBuffer };
};

export interface RowKernel {
  /** The kernel's memory (never grown). */
  readonly memory: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  /** Bytes it may read at most (from BYTES_AT). */
  readonly room: number;
  /**
   * The serial number of the parser whose tables (roles, countries) and bytes its memory holds (0:
   * none) — a number, not the parser: the kernel lives as long as the process, and a reference would
   * keep the last roster read, its bytes and columns (~190 MB for 1M rows), after everything else let go.
   */
  owner: number;
  rows(i: number, n: number, maxRows: number, ncols: number, utf8Valid: number, maxRecord: number, base: number, line: number): number;
  /** 1 when the kernel's bytes [from, to) (from BYTES_AT) are valid UTF-8 (tests). */
  utf8(from: number, to: number): number;
}

let module: object | null | undefined;
let kernel: RowKernel | undefined;
let failedAt = Number.POSITIVE_INFINITY;

/**
 * The kernel, over a memory with room for at least `bytes` bytes to read: one per process, replaced by
 * a larger one (never grown) when a call needs more. undefined without WebAssembly, or when no memory of
 * that size can be had (the parser then reads with fastRow alone).
 */
export function rowKernel(bytes: number): RowKernel | undefined {
  if (kernel && kernel.room >= bytes) return kernel;
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(assemble([readRow, rows, utf8], 1, [], true));
    } catch {
      module = null;
    }
  }
  if (module === null) return undefined;
  const room = Math.max(bytes, 2 * (kernel?.room ?? 0), 1 << 20);
  for (const size of new Set([room, bytes])) {
    if (size >= failedAt) continue;
    try {
      const memory = new WebAssembly.Memory({ initial: Math.ceil((BYTES_AT + size) / 65536) });
      const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Pick<RowKernel, 'rows' | 'utf8'>;
      const buffer = memory.buffer;
      const made: RowKernel = {
        memory: new Uint8Array(buffer),
        i32: new Int32Array(buffer),
        u32: new Uint32Array(buffer),
        f64: new Float64Array(buffer),
        room: buffer.byteLength - BYTES_AT,
        owner: 0,
        rows: exports.rows,
        utf8: exports.utf8,
      };
      made.memory.set(CONSTANTS, 0);
      kernel = made;
      return made;
    } catch {
      failedAt = size;
    }
  }
  return undefined;
}

/** The fixed tables: categories' spellings and lengths, and which need a headcount. */
const CONSTANTS = (() => {
  const m = new Uint8Array(COUNTRY_AT);
  const lens = new Int32Array(m.buffer, CAT_LEN_AT, CATEGORIES.length);
  CATEGORIES.forEach((cat, n) => {
    for (let p = 0; p < cat.length; p++) m[CAT_AT + 32 * n + p] = cat.charCodeAt(p);
    lens[n] = cat.length;
    m[NEEDS_AT + n] = n === Cat.SectorMember || n === Cat.Associate || n === Cat.SmePilot ? 1 : 0;
  });
  return m;
})();
