/**
 * A small RFC 4180 reader that keeps the source line of every record, so that roster errors can
 * name the line a user sees in their editor. Accepts a UTF-8 BOM, CRLF or LF line ends, quoted
 * fields with embedded commas, quotes ("") and newlines, and `#` comment lines before the header.
 *
 * @example
 * readCsvRecords('a,b\n1,"x,y"\n').records[0] // => { line: 2, cells: ['1', 'x,y'] }
 */
export interface CsvRecord {
  line: number;
  cells: string[];
}
export interface CsvText {
  /** Lines starting with `#` (without the `#`), which carry provenance and notes. */
  comments: string[];
  records: CsvRecord[];
  /** Structural problems: an unterminated quote. */
  errors: { line: number; message: string }[];
}

export function readCsvRecords(text: string): CsvText {
  const comments: string[] = [];
  const records: CsvRecord[] = [];
  const errors: CsvText['errors'] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    // Comment lines and blank lines are skipped (a blank line is not a record).
    if (text[i] === '#' || text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      let end = text.indexOf('\n', i);
      if (end === -1) end = n;
      if (text[i] === '#')
        comments.push(
          text
            .slice(i + 1, end)
            .replace(/\r$/, '')
            .trim(),
        );
      i = end + 1;
      line++;
      continue;
    }
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let done = false;
    while (!done) {
      if (i >= n) {
        cells.push(cell);
        break;
      }
      const ch = text[i]!;
      if (ch === '"' && cell === '') {
        // quoted field
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        if (!closed) {
          errors.push({ line: startLine, message: 'unterminated quoted field' });
          cells.push(cell);
          done = true;
          break;
        }
        continue;
      }
      if (ch === ',') {
        cells.push(cell);
        cell = '';
        i++;
        continue;
      }
      if (ch === '\r' && text[i + 1] === '\n') {
        cells.push(cell);
        i += 2;
        line++;
        done = true;
        continue;
      }
      if (ch === '\n') {
        cells.push(cell);
        i++;
        line++;
        done = true;
        continue;
      }
      cell += ch;
      i++;
    }
    records.push({ line: startLine, cells });
  }
  return { comments, records, errors };
}
