import { CATEGORIES, Cat, Dev, SECTORS } from '../../src/domain/codes.js';
import { didYouMean, type InputIssue } from '../../src/domain/issues.js';
import { type MemberRow, type Roster, type RosterProvenance, rosterFromRows } from '../../src/domain/roster.js';
import type { CountryTable } from '../../src/roster/countries.js';
import { readCsvRecords } from '../../src/roster/csv-records.js';
// the column names are the format's (docs/roster-format.md), shared; the parsing below is the reference's own
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../../src/roster/roster-stream.js';

const ALL_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** A `# feesim:synthetic seed=N` comment marks a generated roster (roster synth writes it). */
const SYNTHETIC_MARK = /^feesim:synthetic\s+seed=(\d+)/;

const BOOLEAN = new Map<string, boolean>(
  Object.entries({ true: true, false: false, yes: true, no: false, '1': true, '0': false, y: true, n: false }),
);

/** Parses "1/2", "0.5", "2" into units. */
export function parseClassUnits(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2]));
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Reads a roster CSV into a Roster, collecting every problem with its file, line and column.
 * Pure: the caller reads the file. Returns `roster` undefined when any issue was found.
 */
/** Problems kept per roster; the rest are counted (a broken million-row file must not exhaust memory). */
export const MAX_ROSTER_ISSUES = 10_000;

/**
 * What a file without a header holds (session 6: a file of comment or blank lines says so).
 */
function found(text: string, comments: number): string {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.pop(); // after the last line end
  const blank = lines.some((l) => l === '' || l === '\r');
  if (comments === 0) return blank ? 'only blank lines' : 'an empty file';
  return `only ${comments} comment line${comments > 1 ? 's' : ''}${blank ? ' and blank lines' : ''}`;
}

export function parseRoster(text: string, file: string, countries: CountryTable): { roster?: Roster; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  let more = 0; // problems beyond MAX_ROSTER_ISSUES are counted, not kept
  const add = (i: InputIssue) => {
    if (issues.length < MAX_ROSTER_ISSUES) issues.push(i);
    else more++;
  };
  const csv = readCsvRecords(text);
  for (const e of csv.errors) add({ file, line: e.line, col: 1, path: `row ${e.line}`, message: e.message });
  const [header, ...rows] = csv.records;
  if (!header)
    return {
      issues: [
        {
          file,
          line: 1,
          col: 1,
          path: 'header',
          message: `expected a header row with columns ${REQUIRED_COLUMNS.join(', ')}, found ${found(text, csv.comments.length)}`,
        },
      ],
    };
  const cols = header.cells.map((c) => c.trim());
  if (!cols.some((c) => ALL_COLUMNS.includes(c)))
    // not a roster at all (e.g. `roster: /etc/passwd`): say so without echoing the file's contents
    return {
      issues: [
        {
          file,
          line: header.line,
          col: 1,
          path: 'header',
          message: `expected a roster header with columns ${REQUIRED_COLUMNS.join(', ')}; line ${header.line} has none of them (its contents are not shown)`,
        },
      ],
    };
  const at: Record<string, number> = {};
  cols.forEach((c, i) => {
    if (!ALL_COLUMNS.includes(c)) {
      const hint = didYouMean(c, ALL_COLUMNS);
      add({
        file,
        line: header.line,
        col: i + 1,
        path: `header, column ${i + 1}`,
        message: `unknown column ${shown(c)}${hint ? ` (did you mean "${hint}"?)` : ''}; expected columns: ${ALL_COLUMNS.join(', ')}`,
      });
    } else if (at[c] !== undefined) {
      add({ file, line: header.line, col: i + 1, path: `header, column ${i + 1}`, message: `column "${c}" appears twice` });
    } else at[c] = i;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => at[c] === undefined);
  if (missing.length)
    add({
      file,
      line: header.line,
      col: 1,
      path: 'header',
      message: `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    });
  if (missing.length) return { issues };

  const members: MemberRow[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const rowIssue = (col: string, message: string) =>
      add({ file, line: r.line, col: (at[col] ?? 0) + 1, path: `row ${r.line}, column ${col}`, message });
    if (r.cells.length !== cols.length) {
      add({
        file,
        line: r.line,
        col: 1,
        path: `row ${r.line}`,
        message: `expected ${cols.length} fields, found ${r.cells.length}`,
      });
      continue;
    }
    const get = (c: string) => (at[c] === undefined ? '' : (r.cells[at[c]!] ?? '').trim());
    const id = get('id');
    if (!id) rowIssue('id', 'expected a non-empty id');
    else if (seen.has(id)) rowIssue('id', `duplicate id "${id}" (first on line ${seen.get(id)})`);
    else seen.set(id, r.line);
    const entity = get('entity') || id;
    const catText = get('category');
    const category = CATEGORIES.indexOf(catText as never);
    if (category < 0)
      rowIssue('category', `expected one of ${CATEGORIES.join(', ')}, found ${shown(catText)}${hintFor(catText, CATEGORIES)}`);
    const secText = get('sector');
    const sector = SECTORS.indexOf(secText as never);
    if (sector < 0) rowIssue('sector', `expected one of R, T, D, found ${shown(secText)}`);
    const country = get('country');
    const dev = countries.get(country)?.dev;
    if (dev === undefined) rowIssue('country', `expected an ISO 3166 alpha-3 code listed in the country table, found ${shown(country)}`);
    const parentHq = get('parent_hq_country');
    const parent = parentHq === '' ? undefined : countries.get(parentHq);
    if (parentHq !== '' && parent === undefined)
      rowIssue(
        'parent_hq_country',
        `expected an empty cell or an ISO 3166 alpha-3 code listed in the country table, found ${shown(parentHq)}`,
      );
    const employees = optionalNumber(get('employees'), 'employees', rowIssue, { integer: true });
    const needsSize = category === Cat.SectorMember || category === Cat.Associate || category === Cat.SmePilot;
    if (needsSize && employees === undefined && get('employees') === '')
      rowIssue('employees', `expected a headcount for a ${catText} (needed for SME eligibility), found an empty cell`);
    const turnoverUsd = optionalNumber(get('turnover_usd'), 'turnover_usd', rowIssue, {});
    const meetingsPerYear = optionalNumber(get('meetings_per_year'), 'meetings_per_year', rowIssue, {});
    const classText = get('class_units');
    let classUnits: number | undefined;
    if (category === Cat.SectorMember) {
      classUnits = parseClassUnits(classText);
      if (classUnits === undefined)
        rowIssue('class_units', `expected a class for a sector-member (e.g. 1/2, 1, 2), found ${shown(classText)}`);
    } else if (classText !== '' && category >= 0)
      rowIssue('class_units', `expected an empty cell: only sector-member rows have a class, found ${shown(classText)}`);
    const indText = get('independent').toLowerCase();
    const independent = BOOLEAN.get(indText);
    if (independent === undefined) rowIssue('independent', `expected true or false, found ${shown(get('independent'))}`);
    members.push({
      id,
      entity,
      name: get('name'),
      category,
      sector,
      country,
      dev: dev ?? 0,
      gniPerCapitaUsd: countries.get(country)?.gniPerCapitaUsd,
      parentHq,
      fullFee: parent !== undefined && parent.dev === Dev.Developed,
      employees: employees ?? NaN,
      turnoverUsd,
      classUnits,
      independent: independent ?? false,
      meetingsPerYear,
      line: r.line,
    });
  }
  if (rows.length === 0)
    add({ file, line: header.line, col: 1, path: 'rows', message: 'expected at least one membership row, found none' });
  if (more)
    issues.push({
      file,
      path: 'rows',
      message: `… and ${more.toLocaleString('en-GB')} more problems in this file (the first ${MAX_ROSTER_ISSUES.toLocaleString('en-GB')} are listed)`,
    });
  if (issues.length) return { issues };
  return { roster: rosterFromRows(members, provenanceFrom(csv.comments, file)), issues };
}

function provenanceFrom(comments: string[], file: string): RosterProvenance {
  for (const c of comments) {
    const m = SYNTHETIC_MARK.exec(c);
    if (m) return { kind: 'synthetic', seed: Number(m[1]), file, label: `SYNTHETIC roster (seed ${m[1]}), ${file}` };
  }
  return { kind: 'file', file, label: file };
}

export function syntheticMark(seed: number): string {
  return `feesim:synthetic seed=${seed}`;
}

function hintFor(word: string, options: readonly string[]): string {
  const h = didYouMean(word, options);
  return h ? ` (did you mean "${h}"?)` : '';
}

/** Plain decimal numbers only: `0x10`, `1_000`, `Infinity` and blanks inside are not numbers in a roster. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function optionalNumber(text: string, col: string, report: (c: string, m: string) => void, o: { integer?: boolean }): number | undefined {
  if (text === '') return undefined;
  const v = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v) || v < 0 || (o.integer && !Number.isInteger(v))) {
    report(col, `expected ${o.integer ? 'a whole number' : 'a number'} ≥ 0 in plain decimal digits, found ${shown(text)}`);
    return undefined;
  }
  return v;
}

/** A cell as shown in a message: quoted, at most 40 characters. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
