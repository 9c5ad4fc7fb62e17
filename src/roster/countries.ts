import { DEV_STATUSES } from '../domain/codes.js';
import type { InputIssue } from '../domain/issues.js';
import { readCsvRecords } from './csv-records.js';

/** ISO 3166 alpha-3 code -> Dev code, from data/countries.csv. */
export type CountryTable = Map<string, number>;

export function parseCountries(text: string, file: string): { table: CountryTable; issues: InputIssue[] } {
  const { records } = readCsvRecords(text);
  const issues: InputIssue[] = [];
  const table: CountryTable = new Map();
  const [header, ...rows] = records;
  const cols = header?.cells ?? [];
  const iIso = cols.indexOf('iso3');
  const iStatus = cols.indexOf('status');
  if (iIso < 0 || iStatus < 0) {
    return { table, issues: [{ file, line: header?.line ?? 1, col: 1, path: 'header', message: 'expected columns iso3 and status' }] };
  }
  for (const r of rows) {
    const iso = r.cells[iIso] ?? '';
    const status = DEV_STATUSES.indexOf((r.cells[iStatus] ?? '') as never);
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
        col: 1,
        path: `row ${r.line}, column status`,
        message: `expected one of ${DEV_STATUSES.join(', ')}, found "${r.cells[iStatus] ?? ''}"`,
      });
    else table.set(iso, status);
  }
  return { table, issues };
}
