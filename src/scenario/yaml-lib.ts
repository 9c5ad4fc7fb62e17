import { createRequire } from 'node:module';

type YamlLibrary = typeof import('yaml');
let library: YamlLibrary | undefined;

/**
 * The `yaml` library, loaded on first use. Most runs never need it: scenario and fee-schedule files
 * written in the plain subset are read by yaml-subset.ts; the library parses the rest, locates
 * messages in a file, and writes YAML (explorer save). Loading it eagerly cost every command its
 * module initialisation (start-up: README, Performance). It is loaded with `require` (its CommonJS
 * build) so that the callers stay synchronous.
 */
export function yamlLibrary(): YamlLibrary {
  library ??= createRequire(import.meta.url)('yaml') as YamlLibrary;
  return library;
}
