// A substring that does not keep its whole source text alive. V8 represents a slice of 13 or more characters as a
// view into the original string, so a key sliced from a 60 MB .bib holds those 60 MB (115 MB as UTF-16) for as long
// as the key lives: each edited version of the file would stay in memory through the keys of its entries.

/** The same characters, in a string of their own. */
export function detached(slice: string): string {
  // Concatenation makes a new string; slicing it flattens it into a copy and views that copy, not the source.
  return slice.length < 13 ? slice : (' ' + slice).slice(1);
}
