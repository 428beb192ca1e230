// The kernel's lines around a run's evidence, from each node's journal, for the attach comment.
import { loggedAt } from "../reports/logged-at.ts";
import { loggedEvidence } from "../reports/evidence-times.ts";
import type { RunBundle } from "./run-bundle.ts";

/** How far before the first and after the last evidence line the excerpt reaches. */
export const excerptMarginMs = 10_000;

/** At most this many kernel lines per node. */
const maxLines = 200;

/** One node's kernel lines around its evidence. */
export interface KernelExcerpt {
  node: string;
  lines: string[];
}

/**
 * For each node with evidence lines that carry the guest's timestamp, the `kernel:` lines of its
 * logs/<node>/journal.txt (short-iso-precise) logged from `excerptMarginMs` before the first to as long after
 * the last, on the guest's own clock like the evidence itself.
 */
export function kernelExcerpts(bundle: Pick<RunBundle, "record" | "logs">): KernelExcerpt[] {
  const byNode = new Map<string, number[]>();
  for (const e of loggedEvidence(bundle.record.evidence, bundle.record))
    byNode.set(e.node, [...(byNode.get(e.node) ?? []), e.guestAt]);
  const excerpts: KernelExcerpt[] = [];
  for (const [node, times] of byNode) {
    const journal = bundle.logs.find((l) => l.path === `logs/${node}/journal.txt`);
    if (journal === undefined) continue;
    const from = Math.min(...times) - excerptMarginMs;
    const to = Math.max(...times) + excerptMarginMs;
    const lines = journal.text.split("\n").filter((l) => {
      if (!l.includes(" kernel: ")) return false;
      const t = loggedAt(l);
      return t !== null && t >= from && t <= to;
    });
    if (lines.length > 0) excerpts.push({ node, lines: lines.slice(0, maxLines) });
  }
  return excerpts;
}
