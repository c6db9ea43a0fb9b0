// The targets of issue 7 as checks: what was asked, what was measured, met or missed.
import { renderTable } from './table';

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export function renderTargets(checks: TargetCheck[]): string {
  if (!checks.length) return '(no targets measured in this run)';
  return renderTable(['target', 'measured', ''], checks.map((c) => [c.target, c.measured, c.met ? 'met' : 'MISSED']));
}
