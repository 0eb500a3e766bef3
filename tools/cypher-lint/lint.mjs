#!/usr/bin/env node
// cypher-lint: lint clausegraph's named Cypher queries with Neo4j's official
// linter (@neo4j-cypher/language-support, pinned in package.json).
//
// Usage: node lint.mjs --schema SCHEMA.json [--timing] FILE.cypher [FILE.cypher ...]
//
// --timing prints the package load time and the mean time per file to stderr.
// A FILE argument that is a directory is searched recursively for *.cypher.
// Output: one line per diagnostic, `path:line:col: error|warning: message`
// (1-based line and column, counted in the original file), then the summary
// `cypher-lint: N files, E errors, W warnings`.
// Exit status: 0 clean, 1 any error or warning, 2 usage error, bad schema or
// unreadable file.
//
// See README.md for what the linter accepts and rejects.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const USAGE =
  'usage: node lint.mjs --schema SCHEMA.json [--timing] FILE.cypher [FILE.cypher ...]';

// Queries are written for Neo4j 5 (5.26), i.e. the Cypher 5 language.
const DEFAULT_CYPHER_VERSION = 'CYPHER 5';

// DiagnosticSeverity from vscode-languageserver-types: 1 = Error,
// 2 = Warning, 3 = Information, 4 = Hint. Only 1 is reported as an error;
// everything else is reported (and counted) as a warning.
const SEVERITY_ERROR = 1;

class UsageError extends Error {}

function parseArgs(argv) {
  let schemaPath;
  let timing = false;
  const files = [];
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyFiles) {
      files.push(arg);
    } else if (arg === '--') {
      onlyFiles = true;
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg === '--timing') {
      timing = true;
    } else if (arg === '--schema') {
      if (i + 1 >= argv.length) throw new UsageError('--schema needs a path');
      schemaPath = argv[++i];
    } else if (arg.startsWith('--schema=')) {
      schemaPath = arg.slice('--schema='.length);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (!schemaPath) throw new UsageError('--schema SCHEMA.json is required');
  if (files.length === 0) throw new UsageError('no .cypher files given');
  return { schemaPath, timing, files };
}

function isStringArray(value) {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Reads and validates the schema JSON written by the Python side. */
function readSchemaFile(schemaPath) {
  let raw;
  try {
    raw = JSON.parse(readFileSync(schemaPath, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read schema ${schemaPath}: ${err.message}`);
  }
  const bad = (what) => new UsageError(`schema ${schemaPath}: ${what}`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw bad('expected a JSON object');
  }
  for (const key of ['labels', 'relationshipTypes', 'propertyKeys']) {
    if (!isStringArray(raw[key])) throw bad(`"${key}" must be a list of strings`);
  }
  const graphSchema = raw.graphSchema ?? [];
  if (
    !Array.isArray(graphSchema) ||
    !graphSchema.every(
      (e) =>
        e !== null &&
        typeof e === 'object' &&
        typeof e.from === 'string' &&
        typeof e.to === 'string' &&
        typeof e.relType === 'string',
    )
  ) {
    throw bad('"graphSchema" must be a list of {"from", "to", "relType"} strings');
  }
  const parameters = raw.parameters ?? {};
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw bad('"parameters" must be an object');
  }
  return {
    labels: raw.labels,
    relationshipTypes: raw.relationshipTypes,
    propertyKeys: raw.propertyKeys,
    graphSchema: graphSchema.map(({ from, to, relType }) => ({ from, to, relType })),
    parameters,
  };
}

/**
 * Builds the linter's DbSchema (see dist/.../src/dbSchema.d.ts):
 * labels / relationshipTypes / propertyKeys / graphSchema / parameters come
 * from our schema file; functions and procedures (keyed by Cypher version,
 * `{ 'CYPHER 5': {name: Neo4jFunction}, 'CYPHER 25': {...} }`) come from the
 * package's bundled `testData.mockSchema`, the only function/procedure
 * catalogue that ships with it (built-ins plus APOC and GDS).
 */
function buildDbSchema(schema, mockSchema) {
  return {
    labels: schema.labels,
    relationshipTypes: schema.relationshipTypes,
    propertyKeys: schema.propertyKeys,
    graphSchema: schema.graphSchema,
    // Declared so the linter knows them; undeclared ones are filtered anyway,
    // see isNotParamError below.
    parameters: schema.parameters,
    functions: mockSchema.functions,
    procedures: mockSchema.procedures,
    defaultLanguage: DEFAULT_CYPHER_VERSION,
  };
}

/** Expands directory arguments into the *.cypher files below them. */
function expandPaths(paths) {
  const out = [];
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.cypher')) out.push(full);
    }
  };
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // Not statable: keep it, reading it reports the error.
    }
    if (isDir) walk(p);
    else out.push(p);
  }
  return out;
}

/**
 * Blanks the leading header: every line before the first line that is
 * neither empty nor a `//` comment becomes an empty line, so the linter sees
 * only the query body while line numbers stay those of the file.
 */
function blankHeader(text) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('//')) {
      lines[i] = '';
    } else {
      break;
    }
  }
  return lines.join('\n');
}

function oneLine(message) {
  return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`cypher-lint: ${err.message}\n${USAGE}\n`);
    return 2;
  }

  let schema;
  try {
    schema = readSchemaFile(args.schemaPath);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`cypher-lint: ${err.message}\n`);
    return 2;
  }

  return lintFiles(args, schema);
}

async function lintFiles(args, schema) {
  const loadStart = performance.now();
  let pkg;
  try {
    pkg = await import('@neo4j-cypher/language-support');
  } catch (err) {
    process.stderr.write(
      `cypher-lint: cannot load @neo4j-cypher/language-support (run \`npm ci\` in tools/cypher-lint): ${err.message}\n`,
    );
    return 2;
  }
  const { lintCypherQuery, isNotParamError, testData } = pkg;
  const dbSchema = buildDbSchema(schema, testData.mockSchema);

  const loadMs = performance.now() - loadStart;
  const lintStart = performance.now();

  const files = expandPaths(args.files);
  let errors = 0;
  let warnings = 0;
  let unreadable = 0;
  let linted = 0;

  for (const path of files) {
    let text;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      process.stderr.write(`cypher-lint: cannot read ${path}: ${err.message}\n`);
      unreadable++;
      continue;
    }
    linted++;
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const body = blankHeader(text);

    if (body.trim() === '') {
      process.stdout.write(`${path}:1:1: error: no Cypher statement after the header\n`);
      errors++;
      continue;
    }

    // consoleCommandsEnabled: false - these queries are sent through drivers,
    // where Cypher-shell/Browser commands such as `:param` do not exist.
    const { diagnostics } = lintCypherQuery(body, dbSchema, {
      consoleCommandsEnabled: false,
    });

    // Parameter handling: the linter reports every `$param` that is not a
    // key of dbSchema.parameters as the error "Parameter $x is not defined.".
    // Named queries get their parameters at run time, so that one class of
    // diagnostic is dropped with the package's own exported helper
    // isNotParamError (it matches messages starting with "Parameter " and
    // ending with " is not defined."). Every other diagnostic counts.
    const kept = diagnostics
      .filter((d) => isNotParamError(d))
      .map((d) => {
        const start = d.range?.start ?? { line: 0, character: 0 };
        return {
          line: start.line >= 0 ? start.line + 1 : 1,
          col: start.character >= 0 ? start.character + 1 : 1,
          isError: d.severity === SEVERITY_ERROR,
          message: oneLine(d.message),
        };
      })
      .sort((a, b) => a.line - b.line || a.col - b.col);

    for (const d of kept) {
      const kind = d.isError ? 'error' : 'warning';
      process.stdout.write(`${path}:${d.line}:${d.col}: ${kind}: ${d.message}\n`);
      if (d.isError) errors++;
      else warnings++;
    }
  }

  if (args.timing) {
    const lintMs = performance.now() - lintStart;
    const perFile = linted > 0 ? lintMs / linted : 0;
    process.stderr.write(
      `cypher-lint: timing: load ${loadMs.toFixed(0)} ms, lint ${lintMs.toFixed(0)} ms` +
        ` (${perFile.toFixed(0)} ms/file over ${linted} files)\n`,
    );
  }
  process.stdout.write(
    `cypher-lint: ${linted} files, ${errors} errors, ${warnings} warnings\n`,
  );
  if (unreadable > 0) return 2;
  return errors + warnings > 0 ? 1 : 0;
}

// A closed stdout (e.g. `| head`) is not an internal error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 1);
  throw err;
});

Promise.resolve(main()).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`cypher-lint: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 2;
  },
);
