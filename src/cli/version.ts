import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_ROOT } from './defaults.js';

/** The tool's version, read once from package.json (the one place it is written). */
export const VERSION: string = (JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The tool as named in provenance (JSON results, exports). */
export const TOOL = { name: 'feesim', version: VERSION };
