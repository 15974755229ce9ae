/**
 * Accessibility checks with axe-core in the real browser: the engine is injected into the page
 * (or the widget's frame) and run on what is on screen. `axeCheck` prints the counts per impact
 * level with each rule's first targets, and returns the violations for the test to assert on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type Impact = 'critical' | 'serious' | 'moderate' | 'minor';

export interface AxeViolation {
  id: string;
  impact: Impact | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export interface AxeReport {
  violations: AxeViolation[];
  /** Nodes in violation per impact level. */
  counts: Record<Impact, number>;
}

/** What a test may not have: any critical or serious violation. */
export const blocking = (r: AxeReport): AxeViolation[] => r.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');

/** Runs axe (WCAG 2.1 A and AA, and best practices) on `where` and prints what it found under `label`. */
export async function axeCheck(where: Page | Frame, label: string): Promise<AxeReport> {
  const present = await where.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!present) await where.evaluate(axeSource);
  const result = await where.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }));
  });
  const counts: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of result) if (v.impact) counts[v.impact] += v.nodes.length;
  const lines = result.map((v) => `  ${v.impact ?? '?'} ${v.id} ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  console.log(`axe ${label}: critical ${counts.critical}, serious ${counts.serious}, moderate ${counts.moderate}, minor ${counts.minor}${lines.length ? `\n${lines.join('\n')}` : ''}`);
  return { violations: result, counts };
}
