// The CSL style nearest a LaTeX document's own bibliography style (biblatex `style=`, BibTeX `\bibliographystyle`),
// since a LaTeX paper is not rendered through CSL: APA, an author-date style, or a numeric one.
import type { LatexBibliographyStyle } from '../syntax/types';

/** One way to show a family: a CSL file looked for where styles are installed, or a citation-js built-in. */
export type StyleCandidate = { file: string; title: string } | { builtIn: string; title: string };

export interface NearestStyle {
  /** What the document asked for, as written: `biblatex style=authoryear`, `\bibliographystyle{plainnat}`. */
  declared: string;
  /** Best first; the last is always a built-in, so one is always available. */
  candidates: StyleCandidate[];
}

/**
 * Folders where CSL styles are commonly installed (Debian's and Ubuntu's citation-style-language-styles). Only
 * looked in: without them the built-in of the same family is used.
 */
export const INSTALLED_STYLE_FOLDERS = ['/usr/share/citation-style-language/styles'];

const APA: StyleCandidate[] = [{ builtIn: 'apa', title: 'APA' }];
const AUTHOR_DATE: StyleCandidate[] = [{ file: 'chicago-author-date.csl', title: 'Chicago author-date' }, { builtIn: 'harvard1', title: 'Harvard' }];
const NUMERIC: StyleCandidate[] = [{ file: 'ieee.csl', title: 'IEEE' }, { builtIn: 'vancouver', title: 'Vancouver' }];

/** biblatex styles by name (without `-comp`, `-ibid` and similar variants), and the family each prints like. */
const BIBLATEX: ReadonlyArray<[RegExp, StyleCandidate[]]> = [
  [/^apa6?$/, APA],
  [/^(?:ext-)?(?:authoryear|authortitle|verbose)(?:-|$)|^chicago-authordate|^chicago-notes|^mla/, AUTHOR_DATE],
  [/^(?:ext-)?(?:numeric|alphabetic)(?:-|$)|^ieee|^nature$|^science$|^phys$|^chem-|^vancouver$|^trad-/, NUMERIC],
];

/** BibTeX .bst styles by name. */
const BIBTEX: ReadonlyArray<[RegExp, StyleCandidate[]]> = [
  [/^(?:apa|apalike|apacite|apa6|apsr)$/i, APA],
  [/nat$|^(?:chicago|agsm|dcu|kluwer|harvard|authordate\d|jas99|named|econ|aer|jf|elsarticle-harv)/i, AUTHOR_DATE],
  [/^(?:plain|abbrv|unsrt|alpha|ieeetr|ieeetran|siam|acm|amsplain|amsalpha|splncs\d*|elsarticle-num|naturemag|vancouver)$/i, NUMERIC],
];

/** The CSL style nearest `style`, or undefined when its family is not known. */
export function nearestCslStyle(style: LatexBibliographyStyle): NearestStyle | undefined {
  const table = style.via === 'biblatex' ? BIBLATEX : BIBTEX;
  const found = table.find(([pattern]) => pattern.test(style.name));
  if (!found) return undefined;
  return { declared: declaredText(style), candidates: found[1] };
}

export function declaredText(style: LatexBibliographyStyle): string {
  return style.via === 'biblatex' ? `biblatex style=${style.name}` : `\\bibliographystyle{${style.name}}`;
}
