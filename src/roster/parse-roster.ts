import type { InputIssue } from '../domain/issues.js';
import type { Roster } from '../domain/roster.js';
import type { CountryTable } from './countries.js';
import { RosterParser } from './roster-stream.js';

export {
  MAX_RECORD_BYTES,
  MAX_ROSTER_ISSUES,
  OPTIONAL_COLUMNS,
  parseClassUnits,
  REQUIRED_COLUMNS,
  RosterParser,
  syntheticMark,
} from './roster-stream.js';

/**
 * Reads a roster CSV held in memory into a Roster, collecting every problem with its file, line and
 * column. Pure: the caller reads the file. Returns `roster` undefined when any issue was found.
 * The same parser as a streamed file (RosterParser, fed one chunk here).
 */
export function parseRoster(text: string, file: string, countries: CountryTable): { roster?: Roster; issues: InputIssue[] } {
  const p = new RosterParser(file, countries);
  p.push(text);
  return p.end();
}
