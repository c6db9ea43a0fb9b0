// The one table of LaTeX cite commands (the kernel, natbib, biblatex, apacite, harvard, chicago, jurabib, cite,
// abntex2cite, achemso) and how their arguments are laid out; the parser and completion both read citations by it.
import type { CitationKind } from '../types';

/** How a command's arguments are laid out. Stars (`\citet*`, harvard's `\cite**`) may follow any name. */
export type CiteShape =
  /** `\cite[pre][post]{keys}`; apacite's commands also take `<prefix>` first: `\cite<e.g.,>[p.~11]{a,b}`. */
  | 'single'
  /** abntex2cite's `\apud[pages]{cited}{citing}`: two key lists. */
  | 'pair'
  /** `\cites(pre)(post)[pre][post]{k1}[pre][post]{k2}...` */
  | 'multi'
  /** `\volcite[pre]{volume}[pages]{keys}` */
  | 'volume'
  /** `\volcites(pre)(post)[pre]{volume}[pages]{k1}[pre]{volume}[pages]{k2}...` */
  | 'multivolume'
  /** A user command (`citekeys.latex.citeCommands`): optional arguments, then mandatory ones; the keys are in the last. */
  | 'extra';

export interface CiteCommand {
  shape: CiteShape;
  kind: CitationKind;
  /** apacite's `<prefix>` may come before the optional arguments. */
  prefix: boolean;
}

/** Which package defines which commands, and their shape; a name may come from several packages. */
export const CITE_COMMANDS_BY_PACKAGE: ReadonlyArray<{ packages: string; shape: CiteShape; names: readonly string[]; prefix?: boolean }> = [
  { packages: 'LaTeX', shape: 'single', names: ['cite', 'nocite'] },
  {
    packages: 'natbib', shape: 'single', names: [
      'citet', 'citep', 'citealt', 'citealp', 'citenum', 'citeauthor', 'citefullauthor', 'citeyear', 'citeyearpar',
      'Citet', 'Citep', 'Citealt', 'Citealp', 'Citeauthor', 'citetalias', 'citepalias',
    ],
  },
  {
    packages: 'biblatex', shape: 'single', names: [
      'Cite', 'parencite', 'Parencite', 'footcite', 'Footcite', 'footcitetext', 'Footcitetext', 'textcite', 'Textcite',
      'smartcite', 'Smartcite', 'supercite', 'autocite', 'Autocite', 'citeauthor', 'Citeauthor', 'citetitle',
      'Citetitle', 'citeyear', 'citedate', 'citeurl', 'fullcite', 'footfullcite', 'notecite', 'Notecite', 'pnotecite',
      'Pnotecite', 'fnotecite', 'Fnotecite', 'citename', 'citelist', 'citefield',
    ],
  },
  {
    packages: 'biblatex', shape: 'multi', names: [
      'cites', 'Cites', 'parencites', 'Parencites', 'footcites', 'Footcites', 'footcitetexts', 'Footcitetexts',
      'smartcites', 'Smartcites', 'textcites', 'Textcites', 'supercites', 'autocites', 'Autocites',
    ],
  },
  {
    packages: 'biblatex', shape: 'volume', names: [
      'volcite', 'Volcite', 'pvolcite', 'Pvolcite', 'fvolcite', 'Fvolcite', 'ftvolcite', 'Ftvolcite', 'svolcite',
      'Svolcite', 'tvolcite', 'Tvolcite', 'avolcite', 'Avolcite',
    ],
  },
  {
    packages: 'biblatex', shape: 'multivolume', names: [
      'volcites', 'Volcites', 'pvolcites', 'Pvolcites', 'fvolcites', 'Fvolcites', 'ftvolcites', 'Ftvolcites',
      'svolcites', 'Svolcites', 'tvolcites', 'Tvolcites', 'avolcites', 'Avolcites',
    ],
  },
  {
    packages: 'apacite', shape: 'single', prefix: true, names: [
      'cite', 'Cite', 'citeA', 'citeNP', 'fullcite', 'fullciteA', 'fullciteNP', 'shortcite', 'shortciteA', 'shortciteNP',
      'citeauthor', 'fullciteauthor', 'shortciteauthor', 'citeauthorNP', 'fullciteauthorA', 'shortciteauthorA',
      'citeyear', 'citeyearNP', 'nocitemeta',
    ],
  },
  {
    packages: 'apacite (natbibapa)', shape: 'single', names: [
      'citeauthort', 'citeauthorp', 'Citeauthort', 'Citeauthorp', 'Citefullauthor', 'citefullauthort', 'citefullauthorp',
      'Citefullauthort', 'Citefullauthorp', 'shortcitet', 'shortcitep', 'shortcitealt', 'shortcitealp',
      'shortciteauthort', 'shortciteauthorp', 'shortCitet', 'shortCitep', 'shortCitealt', 'shortCitealp',
      'shortCiteauthor', 'shortCiteauthort', 'shortCiteauthorp',
    ],
  },
  { packages: 'harvard', shape: 'single', names: ['citeasnoun', 'possessivecite', 'citename', 'citeaffixed', 'citeyear'] },
  {
    packages: 'chicago', shape: 'single', names: [
      'citeN', 'citeNP', 'citeA', 'citeANP', 'citeyear', 'citeyearNP', 'shortcite', 'shortciteA', 'shortciteANP',
      'shortciteN', 'shortciteNP',
    ],
  },
  {
    packages: 'jurabib', shape: 'single', names: [
      'citetitle', 'citetitleonly', 'fullcite', 'footcite', 'footcitep', 'footcitet', 'footcitealt', 'footcitealp',
      'footciteauthor', 'footciteyear', 'footcitetitle', 'footcitetitleonly', 'footfullcite',
    ],
  },
  { packages: 'cite, overcite', shape: 'single', names: ['citen', 'citenum', 'citeonline'] },
  { packages: 'abntex2cite', shape: 'single', names: ['citeonline', 'citeauthoronline', 'citeyear'] },
  { packages: 'abntex2cite', shape: 'pair', names: ['apud', 'apudonline'] },
  // achemso loads natbib: \cite, \citenum, \citeauthor, \citeyear come from there.
];

/** Commands that only add keys to the bibliography. */
const NOCITE_COMMANDS = new Set(['nocite', 'nocitemeta']);

function builtInCommands(): Map<string, CiteCommand> {
  const commands = new Map<string, CiteCommand>();
  for (const group of CITE_COMMANDS_BY_PACKAGE) {
    for (const name of group.names) {
      const known = commands.get(name);
      commands.set(name, {
        shape: group.shape,
        kind: NOCITE_COMMANDS.has(name) ? 'nocite' : 'citation',
        prefix: (known?.prefix ?? false) || group.prefix === true,
      });
    }
  }
  return commands;
}

const BUILT_IN = builtInCommands();
let cached: { extras: string; table: ReadonlyMap<string, CiteCommand> } | undefined;

/** A user's extra command name as written in settings (`\mycite*` → `mycite`). */
function citeCommandName(written: string): string {
  return written.trim().replace(/^\\/, '').replace(/\*+$/, '');
}

/**
 * The cite commands: the built-in ones, and the user's `citekeys.latex.citeCommands` (a built-in command keeps its
 * shape). The last table is kept, so callers may ask on every parse or keystroke.
 */
export function citeCommands(extraCiteCommands: readonly string[] = []): ReadonlyMap<string, CiteCommand> {
  const extras = extraCiteCommands.join('\n');
  if (cached?.extras === extras) return cached.table;
  const table = new Map(BUILT_IN);
  for (const written of extraCiteCommands) {
    const name = citeCommandName(written);
    if (name && !table.has(name)) table.set(name, { shape: 'extra', kind: 'citation', prefix: false });
  }
  cached = { extras, table };
  return table;
}
