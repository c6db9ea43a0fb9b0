// Minimal glob matching for settings and biblatex globs (`**`, `*`, `?`, `[ab]`, `{a,b}`), compiled to a regular expression.

function escapeRegex(c: string): string {
  return /[.+^$()|[\]\\]/.test(c) ? '\\' + c : c;
}

/** Compiles a glob over `/`-separated relative paths. Linear regex: no nested quantifiers. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:[^/]*/)*' : '.*';
        i += slashAfter ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') out += '[^/]';
    else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      out += '[' + (negated ? '^' : '') + (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&') + ']';
      i = close;
    }
    else if (c === '{' && !inGroup) {
      inGroup = true;
      out += '(?:';
    } else if (c === '}' && inGroup) {
      inGroup = false;
      out += ')';
    } else if (c === ',' && inGroup) out += '|';
    else out += escapeRegex(c);
  }
  if (inGroup) out += ')';
  return new RegExp('^' + out + '$');
}
