import { formatIssue, type InputIssue } from '../domain/issues.js';
import { formatGrouped } from '../domain/number-format.js';
import { escapeControl } from '../domain/text.js';

/** At most this many problems are printed; the rest are counted (a roster can have a million). */
export const MAX_PRINTED_ISSUES = 200;

/**
 * Longest problem line printed whole. A longer one (a 100,000-character flag value repeated in it) is
 * cut in the middle, with its length, keeping its start (where) and its end (the message).
 */
export const MAX_ISSUE_LINE = 1000;
const clipLine = (t: string) =>
  t.length <= MAX_ISSUE_LINE ? t : `${t.slice(0, 600)} … (${formatGrouped(t.length)} characters in all) … ${t.slice(-300)}`;

/**
 * Located problems as stderr shows them: one line each (control characters made visible), the first
 * MAX_PRINTED_ISSUES, then the count of the rest, then the last (a loader's own summary, if any).
 */
export function issueLines(issues: readonly InputIssue[]): string {
  const n = issues.length;
  let text = '';
  const line = (k: number) => `${clipLine(escapeControl(formatIssue(issues[k]!), { newlines: false }))}\n`;
  for (let k = 0; k < Math.min(n, MAX_PRINTED_ISSUES); k++) text += line(k);
  if (n > MAX_PRINTED_ISSUES + 1) text += `… ${formatGrouped(n - MAX_PRINTED_ISSUES - 1)} more problems not shown\n`;
  if (n > MAX_PRINTED_ISSUES) text += line(n - 1);
  return text;
}
