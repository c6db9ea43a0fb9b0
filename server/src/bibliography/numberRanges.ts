// Number variables whose hyphens a style prints as typed: pandoc's citeproc turns "-" into an en dash only where a
// style renders a variable with <number> (and in pages), citeproc-js in every numeric variable; this evens them out.

/** Variables citeproc-js reads as numbers and prints a hyphen range of with an en dash. */
const NUMBER_VARIABLES = ['issue', 'volume', 'number', 'edition', 'collection-number', 'number-of-volumes', 'chapter-number'];

const byStyle = new Map<string, readonly string[]>();

/**
 * The number variables that `styleXml` prints only through `<text variable="…">`, never `<number variable="…">`:
 * there pandoc's citeproc keeps a hyphen ("3-4") where citeproc-js would print "3–4". Remembered per style name.
 */
export function textOnlyNumberVariables(styleName: string, styleXml: string): readonly string[] {
  const known = byStyle.get(styleName);
  if (known) return known;
  const variables = NUMBER_VARIABLES.filter((variable) => !new RegExp(`<number\\b[^>]*\\bvariable="${variable}"`).test(styleXml));
  byStyle.set(styleName, variables);
  return variables;
}

/**
 * `csl` with the hyphens of `variables` escaped as `\-`, citeproc-js's mark for a literal hyphen, so it prints
 * "5-6" as pandoc does. Returns `csl` itself when nothing changes.
 */
export function withLiteralHyphens(csl: Record<string, unknown>, variables: readonly string[]): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const variable of variables) {
    const value = csl[variable];
    if (typeof value !== 'string' || !value.includes('-') || value.includes('\\-')) continue;
    copy ??= { ...csl };
    copy[variable] = value.replace(/-/g, '\\-');
  }
  return copy ?? csl;
}
