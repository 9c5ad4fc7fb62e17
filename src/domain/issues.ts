/**
 * Problems found in user input, as data (zod style): where, what was expected, what was found.
 * Every loader collects all of them in one pass and returns them; only the CLI decides to print
 * them and exit with code 2.
 */
export interface InputIssue {
  /** File the problem is in, or a pseudo-source such as `--set` or `<flag>`. */
  file: string;
  /** 1-based line and column, when known. */
  line?: number;
  col?: number;
  /**
   * Where inside the document: a dotted scenario path, or `row 12, column employees` for a roster. For
   * a flag (`file` `--members`, `-o`): the value given (the path, the argument), or '' when the message
   * says all — never the flag again.
   */
  path: string;
  message: string;
}

/** Thrown by loaders when input is unusable; carries every issue found. */
export class InputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
  }
}

export function formatIssue(issue: InputIssue): string {
  const place = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.col ?? 1}`;
  // a flag or argument (`--step`, `<kind>`) with no value to show: named once, then the message
  if (issue.path === '' && isPseudoSource(issue.file)) return `${place}  ${issue.message}`;
  return `${place}  ${issue.path || '(document)'}  ${issue.message}`;
}

/**
 * A problem with a flag or a command-line argument (`--step`, `<kind>`): the flag named once, then the
 * value given (`value`, when the message needs it) and the message (formatIssue).
 */
export function flagError(flag: string, message: string, value = ''): InputError {
  return new InputError([{ file: flag, path: value, message }]);
}

/** Whether an issue's `file` names a flag or a command-line argument (`--members`, `-o`, `<kind>`), not a file. */
export function isPseudoSource(file: string): boolean {
  return file.startsWith('-') || file.startsWith('<');
}

/** What went wrong when the engine was asked for something the scenario cannot give. */
export type EngineIssueCode = 'unknown-option' | 'no-threshold' | 'no-fee-table' | 'not-in-scenario' | 'invalid-value' | 'non-finite';

/**
 * A problem the engine reports (zod style): a code, the scenario path concerned (`options.<id>`,
 * the swept path) and a message. The engine names no command-line flag; the shell maps the path to
 * the flag or the screen that supplied it.
 */
export interface EngineIssue {
  code: EngineIssueCode;
  path: string;
  message: string;
}

/** Thrown by engine entry points (sweep, solvers, tornado) with every issue found. */
export class EngineError extends Error {
  constructor(readonly issues: EngineIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'EngineError';
  }
}

/** Levenshtein distance, for "did you mean" hints on unknown keys and names. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a small edit distance, or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d > 0 && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
