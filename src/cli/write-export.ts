import { basename, dirname, resolve } from 'node:path';
import { type ExportDocument, type Exporter, exporterForPath } from '../export/registry.js';
import { csvSetPath, declareOutput, publishFile, publishSet } from './atomic-write.js';
import { displayPath } from './inputs.js';

const OUT = { flag: '-o', display: displayPath };

/** The -o file name without the format's extension: the stem every file of the export is named after. */
export function outputStem(output: string, exporter: Exporter): string {
  const name = basename(output);
  return exporterForPath(name) === exporter ? name.slice(0, -(exporter.extension.length + 1)) : name;
}

/** Where an export goes: the file at -o, or for a set the folder link (`-o out/pp18.csv` → `out/pp18`). */
export function exportTarget(exporter: Exporter, output: string): string {
  return exporter.output === 'set' ? csvSetPath(output) : output;
}

/**
 * Fails fast (exit 2, naming -o) when the target cannot be written: before any computation, and again
 * as soon as each scenario's inputs are read (declareOutput: -o may not name one of them).
 */
export function checkExportTarget(exporter: Exporter, output: string): void {
  declareOutput(exportTarget(exporter, output), { ...OUT, kind: exporter.output });
}

/**
 * Renders an export and publishes it through the one output-safety module (cli/atomic-write.ts): a
 * single file atomically, or a set of files as a whole. Returns the paths written.
 */
export async function writeExport(exporter: Exporter, doc: ExportDocument, output: string): Promise<string[]> {
  const files = await exporter.render(doc, outputStem(output, exporter));
  if (exporter.output === 'set') return publishSet(resolve(exportTarget(exporter, output)), files, OUT);
  // a single-file format writes exactly the -o path, whatever its extension; its last file is the
  // document, any before it are companions (export --charts: PNGs next to the Markdown), published first
  const main = files[files.length - 1];
  if (!main) throw new Error(`exporter ${exporter.id} rendered no file`);
  const written: string[] = [];
  for (const f of files.slice(0, -1)) {
    const path = resolve(dirname(resolve(output)), f.name);
    await publishFile(path, f.data, OUT);
    written.push(path);
  }
  await publishFile(resolve(output), main.data, OUT);
  return [...written, resolve(output)];
}
