// Entry text made Markdown: only what Markdown would read as syntax is escaped, so hovers read as written in
// renderers that show the source (eglot, Neovim), and nothing in the text can form a link, HTML or a block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { escapeMarkdownText, hardenFormattedMarkdown } from '../../server/src/util/markdownText';
import { referenceHtmlToMarkdown } from '../../server/src/bibliography/referenceHtml';

const pandocAvailable = spawnSync('pandoc', ['--version']).status === 0;

test('parentheses, braces, !, |, # and > inside a line are left as written', () => {
  for (const text of ['Gereffi, G. (2005). The governance of value chains.', 'Review, 12(1), 78–104', '{Braced} words! a|b', 'issue #4', 'x > y', 'smith_2020', 'C++ for you', 'pages 3-4']) {
    assert.equal(escapeMarkdownText(text), text);
  }
});

test('link, image, HTML, entity, emphasis, code and strikethrough syntax is escaped', () => {
  assert.equal(escapeMarkdownText('[click](command:workbench.action.quit)'), '\\[click\\](command:workbench.action.quit)');
  assert.equal(escapeMarkdownText('![x](http://e.org/i.png)'), '!\\[x\\](http://e.org/i.png)');
  assert.equal(escapeMarkdownText('<img src=x onerror=alert(1)> <https://e.org>'), '\\<img src=x onerror=alert(1)> \\<https://e.org>');
  assert.equal(escapeMarkdownText('&lt;b&gt; & co'), '\\&lt;b\\&gt; & co');
  assert.equal(escapeMarkdownText('**bold** _it_ `code` ~~gone~~ a\\b'), '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~ a\\\\b');
});

test('an underscore is escaped unless it stands inside a word', () => {
  assert.equal(escapeMarkdownText('snake_case_key'), 'snake_case_key');
  assert.equal(escapeMarkdownText('_lead and trail_ and a _ b'), '\\_lead and trail\\_ and a \\_ b');
});

test('a line that would open a heading, quote, list or rule starts with an escape; look-alikes do not', () => {
  const cases: [string, string][] = [
    ['# Heading', '\\# Heading'],
    ['> quoted', '\\> quoted'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['---', '\\---'],
    ['1. first', '1\\. first'],
    ['2005) was the year', '2005\\) was the year'],
    ['  - indented item', ' \\- indented item'],
    ['#hashtag', '#hashtag'],
    ['-minus', '-minus'],
    ['3.14 is pi', '3.14 is pi'],
  ];
  for (const [text, escaped] of cases) assert.equal(escapeMarkdownText(text), escaped, text);
  assert.equal(hardenFormattedMarkdown('1. Doe J. A book.'), '1\\. Doe J. A book.');
  assert.equal(hardenFormattedMarkdown('*Title* (2005).\nNext'), '*Title* (2005). Next');
});

test('citeproc HTML made Markdown keeps its parentheses and italics, and escapes its brackets', () => {
  assert.equal(
    referenceHtmlToMarkdown('<div class="csl-entry">Doe, J. (2005). [Review of <i>A_B</i>]. <i>Journal</i>, <i>12</i>(1).</div>'),
    'Doe, J. (2005). \\[Review of *A_B*\\]. *Journal*, *12*(1).',
  );
});

// Bare http(s) addresses are left to the renderer (GFM links them; that is harmless), so Pandoc reads GFM without
// its bare-address autolinks here.
test('Pandoc (GFM) renders every escaped text as one paragraph of exactly that text', { skip: !pandocAvailable && 'pandoc is not installed' }, () => {
  const texts = [
    'Gereffi, G. (2005). The governance (of) {value} chains! #1 a|b x>y',
    '[click](command:workbench.action.quit) ![img](http://e.org/i.png) [ref]: http://e.org',
    '<img src=x onerror=alert(1)> <https://e.org> <b>bold</b> &lt;b&gt; &#65; &amp;',
    '**bold** *it* _it_ snake_case `code` ~~gone~~ ~one~ a\\b \\*',
    '# Heading', '> quote', '- item', '+ item', '* item', '1. one', '2005) year', '---', '___', '```', '~~~', '    code?',
    '  - indented', '[^note]', 'x\\', '=====',
  ];
  const source = texts.map(escapeMarkdownText).join('\n\n');
  const run = spawnSync('pandoc', ['-f', 'gfm-autolink_bare_uris', '-t', 'html', '--wrap=none'], { input: source, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const paragraphs = run.stdout.trim().split('\n');
  assert.equal(paragraphs.length, texts.length, run.stdout);
  paragraphs.forEach((html, i) => {
    const match = /^<p>([^<]*)<\/p>$/.exec(html);
    assert.ok(match, `${JSON.stringify(texts[i])} rendered as ${html}`);
    const shown = match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    assert.equal(shown, texts[i].replace(/\s+/g, ' ').trim(), `${JSON.stringify(texts[i])} rendered as ${html}`);
  });
});
