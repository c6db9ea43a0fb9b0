// Guards the `yaml` package against deeply nested input: about 1,000 levels of `[[[…` or `- - - …` make V8 abort the
// whole process (a fatal "RegExpCompiler Allocation failed", not a catchable error), so such text is never parsed.

/** Real CSL-YAML, front matter and `_quarto.yml` nest a handful of levels; this leaves a wide margin below the crash. */
export const MAX_YAML_NESTING = 128;

export const YAML_TOO_DEEP_MESSAGE = `This YAML nests more than ${MAX_YAML_NESTING} levels deep, so it is not read (real metadata nests a few levels).`;

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

function isLineEnd(code: number): boolean {
  return code === 10 || code === 13;
}

/**
 * The offset where a conservative estimate of the nesting depth (indentation levels + `-`/`?` indicators + open
 * flow brackets, quotes ignored) first exceeds `limit`, or undefined when it never does. Linear in the text.
 */
export function excessiveYamlNesting(text: string, limit = MAX_YAML_NESTING): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    let column = 0;
    let indicators = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (isBlank(code)) column++;
      else if ((code === 45 || code === 63) && (i + 1 >= length || isBlank(text.charCodeAt(i + 1)) || isLineEnd(text.charCodeAt(i + 1)))) {
        indicators++;
        column++;
      } else break;
    }
    if (i < length && !isLineEnd(text.charCodeAt(i)) && text.charCodeAt(i) !== 35) {
      while (indents.length && indents[indents.length - 1] >= column) indents.pop();
      indents.push(column);
    }
    const block = indents.length + indicators;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (isLineEnd(code)) break;
      if (code === 91 || code === 123) flow++;
      else if ((code === 93 || code === 125) && flow > 0) flow--;
      if (block + flow > limit) return i;
    }
    if (block + flow > limit) return Math.min(i, length - 1);
    i++;
  }
  return undefined;
}
