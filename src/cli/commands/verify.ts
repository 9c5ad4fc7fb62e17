import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { formatIssue } from '../../domain/issues.js';
import { markdownContent, sha256Hex } from '../../export/content-digest.js';
import { readMarkdownProvenance } from '../../export/markdown.js';
import { allInputs, type Provenance } from '../../export/provenance.js';
import { CSV_SIDECAR, type CsvSidecar } from '../../export/registry.js';
import { readXlsxProvenance, xlsxContentSha256 } from '../../export/xlsx.js';
import { csvSetPath, declaredOutputCount, describeNode, forgetDeclaredOutputs } from '../atomic-write.js';
import { displayPath, PACKAGE_ROOT, sha256 } from '../inputs.js';
import type { Io } from '../io.js';
import { inputLimitBytes, readInputFile } from '../read-input.js';

export interface VerifyOpts {
  /** The folder a `scenario-folder` record's paths are relative to (default: the verified file's folder). */
  root?: string;
}

/** What `feesim verify` found for one file. */
export interface Verdict {
  file: string;
  status: 'identical' | 'different' | 'bad-input';
  lines: string[];
}

/** Flags of feesim commands that take no value (every other flag takes one). */
const BOOLEAN_FLAGS = new Set(['--json', '--neutral-fee', '--update']);

/** A file to compare with what the command produces: by -o name, or stdout. */
interface Target {
  file: string;
  /** The sha256 its record lists (the files of a CSV set). */
  sha256?: string;
  /** The name the rerun writes (its -o file, or a CSV of the set); undefined: stdout. */
  produced?: string;
}

function bad(file: string, message: string): Verdict {
  return { file, status: 'bad-input', lines: [message] };
}

/**
 * The bytes of a file a document's record names (a CSV set's tables; paths an untrusted sidecar
 * chooses): undefined when there is none, a problem when it is not a regular file within the roster
 * size limit — never a wait on a FIFO or a read without end of a device.
 */
function readListed(file: string): Buffer | { problem: string } | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : { problem: 'cannot be read' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: `is ${describeNode(st)}, not a file feesim wrote` };
    if (st.size > inputLimitBytes('roster')) return { problem: 'is larger than any file feesim writes' };
    const buf = Buffer.alloc(st.size);
    let off = 0;
    for (let n = 1; off < st.size && n > 0; off += n) n = readSync(fd, buf, off, st.size - off, off);
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** A CSV set's sidecar lists its tables by plain file name, inside the set's folder. */
const plainName = (name: unknown) => typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !/[/\\\u0000]/.test(name);

/** The provenance record of an output file and the files it covers (a CSV set: every file and the sidecar). */
async function recordOf(file: string): Promise<{ prov: Provenance; targets: Target[] } | string> {
  if (existsSync(file) && statSync(file).isDirectory()) {
    const sidecar = join(file, CSV_SIDECAR);
    return existsSync(sidecar) ? recordOf(sidecar) : `a folder without ${CSV_SIDECAR}: not a feesim CSV export`;
  }
  if (!existsSync(file)) return 'file not found';
  const st = statSync(file);
  if (!st.isFile()) return `is ${describeNode(st)}, not a file feesim wrote`;
  const lower = file.toLowerCase();
  const bytes = readFileSync(file);
  if (lower.endsWith('.xlsx')) {
    const prov = await readXlsxProvenance(bytes).catch(() => undefined);
    return prov ? { prov, targets: [{ file, produced: outputName(prov) }] } : 'no feesim provenance record in its Provenance sheet';
  }
  if (lower.endsWith('.docx'))
    return 'a Word brief carries no machine-readable record: verify its Markdown twin (feesim brief -o brief.md), or re-run the command in its Reproduce section';
  const text = bytes.toString('utf8');
  if (lower.endsWith('.md')) {
    const prov = readMarkdownProvenance(text);
    return prov ? { prov, targets: [{ file, produced: outputName(prov) }] } : 'no feesim provenance record (<!-- feesim-provenance … -->)';
  }
  if (lower.endsWith('.csv')) {
    const sidecar = join(dirname(file), CSV_SIDECAR);
    if (!existsSync(sidecar)) return `no ${CSV_SIDECAR} next to it: not a feesim CSV export (or moved out of its folder)`;
    const rec = await recordOf(sidecar);
    if (typeof rec !== 'string' && !rec.targets.some((t) => t.file === file)) return `${CSV_SIDECAR} next to it does not list it`;
    return rec;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `not a feesim JSON document: ${(e as Error).message}`;
  }
  const d = doc as Partial<CsvSidecar> & { provenance?: Provenance };
  if (!d || typeof d !== 'object' || !d.provenance || !Array.isArray(d.provenance.argv)) return 'no feesim provenance record';
  if (d.document === 'feesim-csv-export' && Array.isArray(d.files)) {
    const odd = d.files.find((f) => !plainName(f?.file));
    if (odd) return `${CSV_SIDECAR} lists ${JSON.stringify(String(odd?.file)).slice(0, 80)}, not a file name of the set`;
    const dir = dirname(file);
    const set = csvSetPath(outputName(d.provenance) ?? 'feesim');
    return {
      prov: d.provenance,
      targets: [
        ...d.files.map((f) => ({ file: join(dir, f.file), produced: join(set, f.file), sha256: f.sha256 })),
        { file, produced: join(set, CSV_SIDECAR) },
      ],
    };
  }
  return { prov: d.provenance, targets: [{ file, produced: outputName(d.provenance) }] };
}

/** The -o file name recorded in the command, or undefined for stdout. */
function outputName(prov: Provenance): string | undefined {
  const k = prov.argv.indexOf('-o');
  return k >= 0 ? prov.argv[k + 1] : undefined;
}

/** The recorded argv with its paths made absolute (against the root) and -o sent to a scratch folder. */
function rerunArgv(prov: Provenance, rootDir: string, scratch: string): string[] {
  const out: string[] = [];
  const argv = prov.argv;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (k === 0) out.push(a);
    else if (a === '-o' || a === '--output') out.push(a, join(scratch, basename(argv[++k] ?? 'out')));
    else if (a === '--members') out.push(a, resolve(rootDir, argv[++k] ?? ''));
    else if (a.startsWith('-')) {
      out.push(a);
      if (!BOOLEAN_FLAGS.has(a) && k + 1 < argv.length) out.push(argv[++k]!);
    } else out.push(resolve(rootDir, a)); // a scenario file
  }
  return out;
}

/** Whether an explorer export's content is as it was written: its recorded digest, or a CSV set's sha256 list. */
async function explorerContent(file: string, prov: Provenance, targets: Target[]): Promise<{ same: boolean; lines: string[] }> {
  const listed = targets.filter((t) => t.sha256 !== undefined);
  if (listed.length) {
    const lines = listed.flatMap((t) => {
      const now = readListed(t.file);
      if (now && 'problem' in now) return [`${displayPath(t.file)} ${now.problem}`];
      return !now || sha256Hex(now) !== t.sha256
        ? [`changed since it was written: ${displayPath(t.file)} (its sha256 differs from the one ${CSV_SIDECAR} lists)`]
        : [];
    });
    return { same: lines.length === 0, lines };
  }
  const lower = file.toLowerCase();
  const now = lower.endsWith('.xlsx')
    ? await xlsxContentSha256(readFileSync(file))
    : lower.endsWith('.md')
      ? sha256Hex(markdownContent(readFileSync(file, 'utf8')) ?? '')
      : undefined;
  if (!prov.contentSha256 || now === undefined)
    return { same: false, lines: ['no content digest recorded (written before feesim recorded one): its figures cannot be checked'] };
  return now === prov.contentSha256
    ? { same: true, lines: [] }
    : {
        same: false,
        lines: [`changed since it was written: its content sha256 is ${now.slice(0, 12)}…, recorded ${prov.contentSha256.slice(0, 12)}…`],
      };
}

async function verifyOne(file: string, opts: VerifyOpts): Promise<Verdict> {
  const shown = displayPath(file);
  const rec = await recordOf(file);
  if (typeof rec === 'string') return bad(shown, rec);
  const { prov, targets } = rec;
  const rootDir = prov.root === 'package' ? PACKAGE_ROOT : resolve(opts.root ?? dirname(file));
  const lines: string[] = [];
  // 1. the inputs: each recorded file must exist; a changed hash is named
  let changed = 0;
  for (const i of allInputs(prov)) {
    // the paths come from the document being verified: only regular files within their size limit are
    // read (a FIFO or a device named there is refused, never waited on or read without end)
    const at = resolve(rootDir, i.path);
    const kind = i.role === 'roster' ? 'roster' : i.role === 'scenario' || i.role === 'extends' ? 'scenario' : 'table';
    const read = readInputFile(at, `recorded input (${i.role})`, kind, displayPath(at));
    if (read.problem !== undefined && !read.missing) return bad(shown, `input ${i.path} (${i.role}) ${read.problem}`);
    if (read.problem !== undefined)
      return bad(
        shown,
        `input ${i.path} (${i.role}) not found under ${displayPath(rootDir)}${prov.root === 'scenario-folder' ? '; pass --root <folder of the scenario>' : ''}`,
      );
    const now = sha256(read.text);
    if (now !== i.sha256) {
      changed++;
      lines.push(`input changed: ${i.path} (${i.role}): recorded sha256 ${i.sha256.slice(0, 12)}…, now ${now.slice(0, 12)}…`);
    }
  }
  if (prov.view) {
    // no command regenerates an explorer view's layout: its content is checked against the digest it recorded
    const content = await explorerContent(file, prov, targets);
    return {
      file: shown,
      status: changed || !content.same ? 'different' : 'identical',
      lines: [
        ...lines,
        ...content.lines,
        `explorer export (view ${prov.view}): ${changed ? 'inputs changed' : 'every input identical'}; ${content.same ? 'its figures as written' : 'its figures not as written'}; they come from ${
          prov.sides?.length ? prov.sides.map((x) => `\`${x.command}\` (${x.side})`).join(' and ') : `\`${prov.command}\``
        } (the view's layout is not regenerated by a command)`,
      ],
    };
  }
  // 2. the command, re-run in this process into a scratch folder
  const scratch = mkdtempSync(join(tmpdir(), 'feesim-verify-'));
  const declaredBefore = declaredOutputCount();
  try {
    let stdout = '';
    let stderr = '';
    const io: Io = {
      out: (t) => {
        stdout += t;
      },
      err: (t) => {
        stderr += t;
      },
      stderrIsTty: false,
    };
    let code = 0;
    const { buildProgram, reportError } = await import('../main.js');
    try {
      await buildProgram(io, (c) => {
        code = c;
      }).parseAsync(rerunArgv(prov, rootDir, scratch), { from: 'user' });
    } catch (e) {
      code = reportError(e, io);
    }
    if (code !== 0)
      return {
        file: shown,
        status: changed ? 'different' : 'bad-input',
        lines: [...lines, `\`${prov.command}\` failed (exit ${code}): ${stderr.trim().split('\n').slice(0, 5).join(' / ')}`],
      };
    // a single file renamed since it was written: the one file the command wrote
    const visible = readdirSync(scratch).filter((n) => !n.startsWith('.'));
    let differ = 0;
    for (const t of targets) {
      const name =
        t.produced === undefined
          ? undefined
          : existsSync(join(scratch, t.produced))
            ? t.produced
            : visible.length === 1
              ? visible[0]
              : undefined;
      const fresh = t.produced === undefined ? Buffer.from(stdout, 'utf8') : name ? readFileSync(join(scratch, name)) : undefined;
      const listed = readListed(t.file);
      const old = listed && !('problem' in listed) ? listed : undefined;
      if (listed && 'problem' in listed) lines.push(`${displayPath(t.file)} ${listed.problem}`);
      else if (!fresh) lines.push(`${displayPath(t.file)}: the command produced no ${t.produced}`);
      else if (!old) lines.push(`${displayPath(t.file)}: missing (the command produces it)`);
      else if (!fresh.equals(old))
        lines.push(`${displayPath(t.file)}: differs from what the command produces now${firstDifference(old, fresh)}`);
      else continue;
      differ++;
    }
    const n = targets.length;
    if (!differ) lines.push(`${n === 1 ? 'identical' : `${n} files identical`} to \`${prov.command}\` run now`);
    return { file: shown, status: differ || changed ? 'different' : 'identical', lines };
  } finally {
    // the re-run's -o was into the scratch folder, removed now: no later scenario opened checks it again
    forgetDeclaredOutputs(declaredBefore);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Where two byte strings first differ, as a line number when both are text. */
function firstDifference(a: Buffer, b: Buffer): string {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  const line = a.subarray(0, k).toString('utf8').split('\n').length;
  return ` (first difference at byte ${k}, line ${line})`;
}

/**
 * `feesim verify <file…>`: re-runs the command recorded in each output's provenance, from the
 * recorded inputs, and compares byte for byte. Exit 0: every file identical; 1: a file differs or an
 * input changed (named); 2: a file has no record, or an input is missing.
 */
export async function verifyCommand(files: string[], opts: VerifyOpts, io: Io): Promise<number> {
  let different = 0;
  let badInput = 0;
  for (const f of files) {
    const v = await verifyOne(resolve(f), opts);
    if (v.status === 'bad-input') {
      badInput++;
      io.err(v.lines.map((message) => `${formatIssue({ file: v.file, path: '', message })}\n`).join(''));
      continue;
    }
    if (v.status === 'different') different++;
    io.out(`${v.file}: ${v.status}\n${v.lines.map((l) => `  ${l}\n`).join('')}`);
  }
  return badInput ? 2 : different ? 1 : 0;
}
