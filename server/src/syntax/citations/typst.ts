// Typst citation syntax, read as Typst 0.14 reads it: `@key` and `@key[supplement]`, `#cite(<key>)`,
// `#cite(label("key"))`, `#ref(<key>)`, labels `<x>` defined in markup, `bibliography(…)` and `#include "x.typ"`.
import type { DocumentSyntax } from '../types';
import { TypstScanner } from './typstScanner';
import { emptyDocumentSyntax, readSafely } from './readSafely';

/** What a Typst file says about citations. */
export interface TypstDocumentSyntax extends DocumentSyntax {
  /**
   * Every label defined in markup (`= Intro <intro>`, `$ x $ <eq>`, `#figure(…) <fig>`), in text order. A `@x`
   * citation (flagged `reference`) is a cross-reference when `<x>` is among the labels of the document or its includes.
   * Label values in code (`#ref(<x>)`, `label("x")`) define nothing.
   */
  labels: string[];
}

export function parseTypstDocument(text: string): TypstDocumentSyntax {
  return readSafely((syntax) => {
    new TypstScanner(text, syntax).run();
    syntax.citations.sort((a, b) => a.range.start - b.range.start);
  }, { ...emptyDocumentSyntax(), labels: [] });
}
