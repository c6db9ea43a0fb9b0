// Entry point of the `citekeys` command: `keys` lists keys of bibliographies and documents, `check` reports problems,
// `extract` writes the BibTeX entries documents cite.
import * as path from 'node:path';
import { NodeFileSystem } from './workspace/fileSystem';
import { Workspace, defaultTexBibFolders } from './workspace/workspace';
import { dialectNameOf, documentExtensions } from './syntax/documentLanguages';
import { bibliographyFormatOf } from './bibliography/bibliographyFile';
import { DEFAULT_SETTINGS, type RuleLevel } from './config/settings';
import { checkFiles, checkedFilesOfFolder } from './features/workspaceCheck';
import { RULES } from './features/rules';
import {
  cellPosition, displayPath, formatDiagnosticsJson, formatDiagnosticsSarif, formatDiagnosticsText, toCliDiagnostic,
} from './cli/report';
import { listBibtexKeys, readBibtexKeys } from './cli/bibtexKeys';
import { KeyListingWriter } from './cli/keyListing';
import { appendAll } from './util/appendAll';
import { extractCitedEntries } from './features/extract';
import { writeOutputFile } from './workspace/outputFile';

declare const CITEKEYS_VERSION: string | undefined;
const VERSION = typeof CITEKEYS_VERSION === 'string' ? CITEKEYS_VERSION : '0.0.0-dev';

const USAGE = `Usage:
  citekeys keys [--format text|json] FILE...
      Keys a bibliography defines (.bib .bibtex .json .yaml .yml), or keys a document cites
      (${documentExtensions().join(' ')}), in file order.
  citekeys check [--format text|json|sarif] [--bibliography FILE]... [--level CODE=LEVEL]... [PATH...]
      Diagnostics for the given files and folders (default: the current folder).
      --level sets a rule's level (ignore, hint, info, warning, error), e.g. --level unused-entry=info.
      Exit status: 0 nothing at error level, 1 something at error level, 2 usage or I/O error.
  citekeys extract [--library FILE]... [--output FILE] PATH...
      A BibTeX file with one entry per key the documents under PATH cite, in order of first citation, copied as
      written (with the @string macros and crossref/xdata parents they need) from the documents' bibliographies,
      else from the --library files in the order given. To stdout, or to --output FILE.
      Keys found nowhere are named on stderr.
      Exit status: 0 every key found, 1 some key found nowhere, 2 usage or I/O error.
  citekeys --version | --help
`;

/** A usage or I/O error: printed on stderr, exit status 2. */
class CliError extends Error {}

interface ParsedArgs {
  format: string;
  bibliographies: string[];
  levels: Record<string, RuleLevel>;
  libraries: string[];
  output?: string;
  paths: string[];
}

/** Which of the flags beyond `--format` a command takes. */
type CommandFlags = 'keys' | 'check' | 'extract';

const LEVELS: RuleLevel[] = ['ignore', 'hint', 'info', 'warning', 'error'];

function parseArgs(args: string[], formats: string[], command: CommandFlags): ParsedArgs {
  const allowBibliography = command === 'check';
  const parsed: ParsedArgs = { format: 'text', bibliographies: [], levels: {}, libraries: [], paths: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new CliError(`${flag} needs a value`);
      return v;
    };
    if ((flag === '--format' || flag === '-f') && formats.length) {
      parsed.format = value();
      if (!formats.includes(parsed.format)) throw new CliError(`unknown format '${parsed.format}' (use ${formats.join(', ')})`);
    } else if (allowBibliography && (flag === '--bibliography' || flag === '-b')) {
      parsed.bibliographies.push(value());
    } else if (allowBibliography && flag === '--level') {
      const [code, level] = value().split('=');
      if (!(code in RULES)) throw new CliError(`unknown rule '${code}' (rules: ${Object.keys(RULES).join(', ')})`);
      if (!LEVELS.includes(level as RuleLevel)) throw new CliError(`unknown level '${level}' for ${code} (use ${LEVELS.join(', ')})`);
      parsed.levels[code] = level as RuleLevel;
    } else if (command === 'extract' && (flag === '--library' || flag === '-l')) {
      parsed.libraries.push(value());
    } else if (command === 'extract' && (flag === '--output' || flag === '-o')) {
      if (parsed.output !== undefined) throw new CliError('--output is given twice');
      parsed.output = value();
    } else if (arg === '--') {
      appendAll(parsed.paths, args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new CliError(`unknown option '${arg}'`);
    } else {
      parsed.paths.push(arg);
    }
  }
  return parsed;
}

function createWorkspace(folders: string[]): Workspace {
  // The CLI's "workspace" is only the folders it was given: a document there may name a bibliography anywhere.
  return new Workspace(new NodeFileSystem(), { ...DEFAULT_SETTINGS, allowOutsideWorkspace: true }, folders, {
    BIBINPUTS: process.env.BIBINPUTS,
    HOME: process.env.HOME,
    texBibFolders: defaultTexBibFolders(process.env.HOME),
  });
}

async function requireFile(workspace: Workspace, file: string): Promise<void> {
  const stat = await workspace.fs.stat(file);
  if (!stat) throw new CliError(`no such file: ${file}`);
  if (stat.isDirectory) throw new CliError(`${file} is a folder; 'keys' takes files`);
}

async function keysCommand(args: string[], out: (s: string | Uint8Array) => void): Promise<number> {
  const options = parseArgs(args, ['text', 'json'], 'keys');
  if (!options.paths.length) throw new CliError("'keys' needs at least one file");
  const cwd = process.cwd();
  const files = options.paths.map((p) => path.resolve(p));
  const workspace = createWorkspace([...new Set(files.map((f) => path.dirname(f)))]);
  // Nothing is printed before every file was read: an error in the last file leaves stdout empty.
  const listing = new KeyListingWriter(options.format === 'json' ? 'json' : 'text');
  for (const file of files) {
    await requireFile(workspace, file);
    const shown = displayPath(file, cwd);
    if (bibliographyFormatOf(file) === 'bibtex') {
      // Keys and positions only, read from the file's bytes: no fields, no decoded copy of the file in memory.
      const keys = await readBibtexKeys(workspace, file);
      if ('error' in keys) throw new CliError(keys.error);
      listing.beginFile(shown, 'entry');
      listBibtexKeys(listing, keys);
    } else if (bibliographyFormatOf(file)) {
      const bib = await workspace.getBibliography(file);
      if (bib.unreadable) throw new CliError(bib.problems[0].message);
      listing.beginFile(shown, 'entry');
      const lines = bib.lineIndex();
      for (const entry of bib.entries) {
        const pos = lines.positionAt(entry.keyRange.start);
        listing.addKey(pos.line + 1, pos.character + 1, entry.key);
      }
    } else if (dialectNameOf(file)) {
      const read = await workspace.readText(file);
      if ('error' in read) throw new CliError(read.error);
      const doc = await workspace.getDocument(file);
      if (!doc) throw new CliError(`cannot read ${file}`);
      listing.beginFile(shown, 'citation');
      const lines = doc.lineIndex();
      let lastCell: number | undefined;
      for (const citation of doc.syntax().citations) {
        const inCell = cellPosition(doc, citation.range.start);
        if (inCell) {
          if (inCell.cell !== lastCell) listing.beginFile(shown, 'citation', inCell.cell);
          lastCell = inCell.cell;
          listing.addKey(inCell.line, inCell.column, citation.key);
          continue;
        }
        const pos = lines.positionAt(citation.range.start);
        listing.addKey(pos.line + 1, pos.character + 1, citation.key);
      }
    } else {
      throw new CliError(`${file}: not a bibliography (.bib .bibtex .json .yaml .yml) or document (${documentExtensions().join(' ')})`);
    }
  }
  for (const chunk of listing.finish()) out(chunk);
  return 0;
}

async function checkCommand(args: string[], out: (s: string | Uint8Array) => void): Promise<number> {
  const options = parseArgs(args, ['text', 'json', 'sarif'], 'check');
  const cwd = process.cwd();
  const targets = (options.paths.length ? options.paths : ['.']).map((p) => path.resolve(p));
  const extra = options.bibliographies.map((p) => path.resolve(p));
  const probe = new NodeFileSystem();
  const folders: string[] = [];
  for (const target of targets) {
    const stat = await probe.stat(target);
    if (!stat) throw new CliError(`no such file or folder: ${target}`);
    folders.push(stat.isDirectory ? target : path.dirname(target));
  }
  for (const file of extra) {
    const stat = await probe.stat(file);
    if (!stat || !stat.isFile) throw new CliError(`--bibliography: no such file: ${file}`);
  }
  const workspace = createWorkspace([...new Set(folders)]);
  workspace.settings = { ...workspace.settings, diagnosticLevels: options.levels };
  const documents: string[] = [];
  const bibliographies: string[] = [];
  for (const target of targets) {
    const stat = await probe.stat(target);
    if (stat?.isDirectory) {
      const files = await checkedFilesOfFolder(workspace, target);
      appendAll(documents, files.documents);
      appendAll(bibliographies, files.bibliographies);
    } else if (dialectNameOf(target)) documents.push(target);
    else if (bibliographyFormatOf(target)) bibliographies.push(target);
    else throw new CliError(`${target}: not a bibliography or document`);
  }
  const result = await checkFiles(workspace, { documents: [...new Set(documents)], bibliographies: [...new Set(bibliographies)], extraBibliographies: extra });
  const diagnostics = result.findings.map((f) => toCliDiagnostic(f, cwd));
  const chunks = options.format === 'json' ? formatDiagnosticsJson(diagnostics)
    : options.format === 'sarif' ? formatDiagnosticsSarif(diagnostics, VERSION)
      : formatDiagnosticsText(diagnostics);
  for (const chunk of chunks) out(chunk);
  if (options.format === 'text') {
    const count = { error: 0, warning: 0, info: 0, hint: 0 };
    for (const d of diagnostics) count[d.severity]++;
    process.stderr.write(
      `citekeys: ${result.documents} document(s), ${result.bibliographies.length} bibliography file(s): ` +
        `${count.error} error(s), ${count.warning} warning(s), ${count.info + count.hint} note(s)\n`,
    );
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

async function extractCommand(args: string[], out: (s: string | Uint8Array) => void): Promise<number> {
  const options = parseArgs(args, [], 'extract');
  if (!options.paths.length) throw new CliError("'extract' needs at least one document or folder");
  const cwd = process.cwd();
  const targets = options.paths.map((p) => path.resolve(p));
  const probe = new NodeFileSystem();
  const folders: string[] = [];
  for (const target of targets) {
    const stat = await probe.stat(target);
    if (!stat) throw new CliError(`no such file or folder: ${target}`);
    if (!stat.isDirectory && !dialectNameOf(target)) {
      throw new CliError(`${target}: not a document (${documentExtensions().join(' ')}); give bibliographies to take entries from with --library`);
    }
    folders.push(stat.isDirectory ? target : path.dirname(target));
  }
  for (const file of options.libraries.map((p) => path.resolve(p))) {
    const stat = await probe.stat(file);
    if (!stat || !stat.isFile) throw new CliError(`--library: no such file: ${file}`);
    if (!bibliographyFormatOf(file)) throw new CliError(`--library: ${file} is not a bibliography (.bib .bibtex .json .yaml .yml)`);
  }
  const workspace = createWorkspace([...new Set(folders)]);
  const documents: string[] = [];
  for (const target of targets) {
    if ((await probe.stat(target))?.isDirectory) appendAll(documents, (await checkedFilesOfFolder(workspace, target)).documents);
    else documents.push(target);
  }
  const libraries = [];
  for (const file of options.libraries.map((p) => path.resolve(p))) {
    const library = await workspace.getBibliography(file);
    if (library.unreadable) throw new CliError(`--library: ${library.problems[0].message}`);
    libraries.push(library);
  }
  const unique = [...new Set(documents)];
  const result = await extractCitedEntries(workspace, { documents: unique, libraries });
  if (options.output !== undefined) {
    const file = path.resolve(options.output);
    // Overwriting a file it just read (a bibliography with only the cited entries) would lose the rest of it.
    if (unique.includes(file) || result.sources.some((source) => source.path === file)) {
      throw new CliError(`--output ${displayPath(file, cwd)} is a file extract reads; write the extracted entries elsewhere`);
    }
    const failed = await writeOutputFile(file, result.text);
    if (failed) throw new CliError(failed.error);
  } else {
    out(result.text);
  }
  for (const problem of result.problems) {
    const inCell = cellPosition(problem.file, problem.range.start);
    const pos = problem.file.lineIndex().positionAt(problem.range.start);
    const where = inCell ? `cell_${inCell.cell}:${inCell.line}:${inCell.column}` : `${pos.line + 1}:${pos.character + 1}`;
    process.stderr.write(`${displayPath(problem.file.path, cwd)}:${where}: ${problem.message}\n`);
  }
  const converted = result.entries.filter((entry) => entry.converted).length;
  process.stderr.write(
    `citekeys: ${result.entries.length} entr${result.entries.length === 1 ? 'y' : 'ies'} from ${result.documents} document(s)` +
      (options.output !== undefined ? ` written to ${displayPath(path.resolve(options.output), cwd)}` : '') +
      (converted ? ` (${converted} converted from CSL)` : '') +
      (result.problems.length ? `; ${result.problems.length} key(s) missing` : '') + '\n',
  );
  return result.problems.length ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const chunks: (string | Uint8Array)[] = [];
  const out = (s: string | Uint8Array) => chunks.push(s);
  try {
    let status: number;
    if (command === 'keys') status = await keysCommand(rest, out);
    else if (command === 'check') status = await checkCommand(rest, out);
    else if (command === 'extract') status = await extractCommand(rest, out);
    else if (command === '--version' || command === '-v') {
      out(VERSION + '\n');
      status = 0;
    } else if (command === '--help' || command === '-h' || command === 'help') {
      out(USAGE);
      status = 0;
    } else {
      process.stderr.write(command ? `citekeys: unknown command '${command}'\n\n${USAGE}` : USAGE);
      return 2;
    }
    for (const chunk of chunks) await writeAll(chunk);
    return status;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`citekeys: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`citekeys: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    return 2;
  }
}

/** Writes to stdout and resolves once flushed; a closed pipe (`| head`) is not an error worth a trace. */
function writeAll(text: string | Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    if (!text.length) return resolve();
    process.stdout.write(text, () => resolve());
  });
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  process.stderr.write(error.code === 'EPIPE' ? 'citekeys: output closed before everything was written\n' : `citekeys: cannot write output: ${error.message}\n`);
  process.exit(2);
});

// Killed (Ctrl-C, a CI timeout): say so, then die of the same signal (status 128 + n in a shell). Re-raising instead
// of process.exit() matters: exit waits for file reads in flight, which never end on a stalled FIFO or network file.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`citekeys: interrupted (${signal}); the output may be incomplete\n`, () => process.kill(process.pid, signal));
  });
}

main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
