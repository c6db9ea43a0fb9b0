// The diagnostic rule table: stable codes, default levels, and what each rule means. Codes are a public contract.
import type { RuleLevel, Settings } from '../config/settings';
import type { SourceText } from '../bibliography/bibliographyFile';
import type { TextRange } from '../syntax/types';

export const RULES = {
  'undefined-citation': { level: 'warning', summary: 'a cited key is in none of the document’s bibliographies' },
  'duplicate-entry': { level: 'warning', summary: 'a key is defined twice in one file, or in two files one document uses' },
  'missing-bibliography': { level: 'error', summary: 'a declared bibliography file does not exist' },
  'project-syntax': { level: 'error', summary: 'a Quarto project file (`_quarto.yml`, `_metadata.yml`) is not valid YAML, so the bibliographies it declares are unknown' },
  'bib-syntax': { level: 'error', summary: 'a bibliography file is malformed; the entry is skipped, the rest is read' },
  'unreadable-file': { level: 'error', summary: 'a bibliography cannot be read as text (binary, too large, no access)' },
  'assumed-encoding': { level: 'info', summary: 'a bibliography is not valid UTF-8, so it was read as Latin-1' },
  'empty-citation': { level: 'warning', summary: 'a citation with no key: `[@]`, `\\cite{}`' },
  'duplicate-citation': { level: 'warning', summary: 'a key cited twice in one citation: `[@a; @b; @a]`, `\\cite{a,b,a}`' },
  'likely-duplicate': { level: 'info', summary: 'two entries with the same DOI, or the same title and year, under different keys' },
  'unused-entry': { level: 'ignore', summary: 'an entry that no document cites' },
} as const satisfies Record<string, { level: RuleLevel; summary: string }>;

export type RuleCode = keyof typeof RULES;

export interface RelatedLocation {
  file: SourceText;
  range: TextRange;
  message: string;
}

/** A finding in service terms (offsets); the CLI and the LSP layer turn it into their own shapes. */
export interface Finding {
  file: SourceText;
  range: TextRange;
  code: RuleCode;
  message: string;
  /** The citation or entry key concerned, when there is one. */
  key?: string;
  related?: RelatedLocation[];
  /** Extra data for quick fixes (e.g. did-you-mean keys). */
  suggestions?: string[];
}

export interface LeveledFinding extends Finding {
  level: Exclude<RuleLevel, 'ignore'>;
}

export function levelOf(code: RuleCode, settings: Pick<Settings, 'diagnosticLevels'>): RuleLevel {
  return settings.diagnosticLevels[code] ?? RULES[code].level;
}

/** Applies the configured levels: drops ignored rules, stamps the level on the rest. */
export function applyLevels(findings: Finding[], settings: Pick<Settings, 'diagnosticLevels'>): LeveledFinding[] {
  const out: LeveledFinding[] = [];
  for (const finding of findings) {
    const level = levelOf(finding.code, settings);
    if (level !== 'ignore') out.push({ ...finding, level });
  }
  return out;
}
