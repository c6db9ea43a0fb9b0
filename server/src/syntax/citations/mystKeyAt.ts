// Where a key is being typed inside a MyST citation role (`{cite:p}`a, gere|``), found lexically on the cursor's line;
// outside roles MyST reads Pandoc's `@key` forms, which keyAtCursor's markdownKeyAt finds.
import type { KeyInProgress } from './keyAtCursor';
import { MYST_CITE_ROLES } from './mystRoles';

/** Characters that end a key inside a role: the separators, the closing backtick, whitespace. */
const ROLE_KEY_END = /[,;`\s]/;

/** The key being typed inside a citation role at `offset`, or undefined when the cursor is in none. */
export function mystRoleKeyAt(text: string, offset: number): KeyInProgress | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const tick = before.lastIndexOf('`');
  if (tick < 0) return undefined;
  const role = /\{([A-Za-z:]+)\}$/.exec(before.slice(0, tick));
  if (!role || !MYST_CITE_ROLES.has(role[1])) return undefined;
  // An even number of backticks before the role's would make this one a closer; roles open right after `}`.
  let start = offset;
  while (start > lineStart + tick + 1 && !ROLE_KEY_END.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && !ROLE_KEY_END.test(text[end]) && text[end] !== '\n') end++;
  return { query: text.slice(start, offset), range: { start, end }, braced: true };
}

/** Whether `key` can stand in a role's key list as it is. */
export function fitsMystRole(key: string): boolean {
  return key.length > 0 && !/[,;`\s{}]/.test(key);
}
