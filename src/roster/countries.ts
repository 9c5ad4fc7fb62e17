import { DEV_STATUSES } from '../domain/codes.js';
import type { InputIssue } from '../domain/issues.js';
import { readCsvRecords } from './csv-records.js';

/** One row of data/countries.csv: the statuses the fee rules use (docs/model.md §0). */
export interface Country {
  /** Dev code: ITU's developing-country list (developing or least-developed) or developed. */
  dev: number;
  /** Per-capita income in USD (GNI per capita, Atlas method); NaN when the table has no figure. */
  gniPerCapitaUsd: number;
}

/** ISO 3166 alpha-3 code -> the country's statuses, from data/countries.csv. */
export type CountryTable = Map<string, Country>;

/**
 * Columns: `iso3`, `name`, `status` (developed, developing, least-developed) and, optional,
 * `gni_per_capita_usd` (empty when unknown). A country without an income figure never qualifies for a
 * reduction reserved for low-income countries.
 */
export function parseCountries(text: string, file: string): { table: CountryTable; issues: InputIssue[] } {
  const { records } = readCsvRecords(text);
  const issues: InputIssue[] = [];
  const table: CountryTable = new Map();
  const [header, ...rows] = records;
  const cols = header?.cells ?? [];
  const iIso = cols.indexOf('iso3');
  const iStatus = cols.indexOf('status');
  const iGni = cols.indexOf('gni_per_capita_usd');
  if (iIso < 0 || iStatus < 0) {
    return { table, issues: [{ file, line: header?.line ?? 1, col: 1, path: 'header', message: 'expected columns iso3 and status' }] };
  }
  for (const r of rows) {
    const iso = r.cells[iIso] ?? '';
    const status = DEV_STATUSES.indexOf((r.cells[iStatus] ?? '') as never);
    const gniText = iGni < 0 ? '' : (r.cells[iGni] ?? '').trim();
    const gni = gniText === '' ? NaN : Number(gniText);
    if (!/^[A-Z]{3}$/.test(iso))
      issues.push({
        file,
        line: r.line,
        col: 1,
        path: `row ${r.line}, column iso3`,
        message: `expected an ISO 3166 alpha-3 code, found "${iso}"`,
      });
    else if (status < 0)
      issues.push({
        file,
        line: r.line,
        col: iStatus + 1,
        path: `row ${r.line}, column status`,
        message: `expected one of ${DEV_STATUSES.join(', ')}, found "${r.cells[iStatus] ?? ''}"`,
      });
    else if (gniText !== '' && !(Number.isFinite(gni) && gni >= 0))
      issues.push({
        file,
        line: r.line,
        col: iGni + 1,
        path: `row ${r.line}, column gni_per_capita_usd`,
        message: `expected a number ≥ 0 (USD) or an empty cell, found "${gniText}"`,
      });
    else table.set(iso, { dev: status, gniPerCapitaUsd: gni });
  }
  return { table, issues };
}
