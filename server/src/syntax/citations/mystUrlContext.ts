// mystmd reads no `@key` inside a bare URL (`https://fosstodon.org/@someone`, `www.x.org/@a`, `x.org/@a`). This
// answers "is this `@` inside a URL-like word?" for a scanner moving forward, in linear time over a whole paragraph.

const SCHEME_SEPARATOR = '://';
/** mystmd: a word that starts with a domain name and a `/`. */
const DOMAIN_THEN_SLASH = /(?:[a-z0-9-]+\.)+[a-z]{2,}\//iy;

export class UrlContext {
  /** Where the word holding the last `@` asked about starts, and how far the text has been looked at. */
  private wordStart: number;
  private scannedTo: number;
  private schemeAt = -1;
  private domainChecked = -1;
  /** Where the word's leading `domain.tld/` ends, or -1 when it does not start so. */
  private domainEnd = -1;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.wordStart = start;
    this.scannedTo = start;
  }

  /** Whether the `@` at `at` (at or after every earlier `at` asked about) is inside a URL-like word. */
  isInUrl(at: number): boolean {
    for (let pos = this.scannedTo; pos < at; pos++) {
      const c = this.text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
        this.wordStart = pos + 1;
        this.schemeAt = -1;
      } else if (c === 58 /* : */ && this.schemeAt < this.wordStart && this.text.startsWith(SCHEME_SEPARATOR, pos)) {
        this.schemeAt = pos;
      }
    }
    this.scannedTo = Math.max(this.scannedTo, at);
    const word = this.wordStart;
    if (word >= at) return false;
    if (this.text.charCodeAt(word) === 60 /* < */) return false; // `<https://x/@a>` is an autolink, read apart
    if (this.schemeAt >= word && this.schemeAt + SCHEME_SEPARATOR.length <= at) return true;
    if (this.text.startsWith('www.', word)) return true;
    if (this.domainChecked !== word) {
      this.domainChecked = word;
      DOMAIN_THEN_SLASH.lastIndex = word;
      const match = DOMAIN_THEN_SLASH.exec(this.text);
      this.domainEnd = match ? match.index + match[0].length : -1;
    }
    return this.domainEnd >= 0 && this.domainEnd <= at;
  }
}
