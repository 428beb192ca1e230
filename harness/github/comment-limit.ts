// Fits collapsed sections (summary, logs) into what is left of GitHub's comment limit, saying what was cut.
import { codeBlock, details } from "./markdown.ts";

/** GitHub's limit on an issue comment body, in characters. */
export const githubCommentLimit = 65_536;

/** A collapsed section that may be cut to fit. */
export interface CollapsibleSection {
  /** Shown in `<summary>`. */
  title: string;
  text: string;
  /** `markdown` renders the text as Markdown while it is whole; anything else is a code block language. */
  format: "markdown" | "text";
  /** Which end to keep when cutting: logs keep their tail (failures show last), summaries their head. */
  keep: "head" | "tail";
  /** Characters already cut before the text got here (a log read from its tail). */
  alreadyCut?: number;
}

/** What fitting did to the sections. */
export interface FittedSections {
  /** Rendered sections, in their original order, without the ones left out. */
  rendered: string[];
  /** One phrase per section that was cut or left out, e.g. "logs/node1/kubelet.log cut to its last 3,100 characters". */
  cuts: string[];
}

/** Sections shorter than this after cutting are left out rather than shown as a useless fragment. */
const minimumUsefulChars = 300;

/** Cuts text to at most `max` characters at line boundaries, keeping the head or the tail. */
export function cutText(text: string, max: number, keep: "head" | "tail"): string {
  if (text.length <= max) return text;
  if (keep === "head") {
    const head = text.slice(0, max);
    const nl = head.lastIndexOf("\n");
    return nl > max / 2 ? head.slice(0, nl) : head;
  }
  const tail = text.slice(text.length - max);
  const nl = tail.indexOf("\n");
  return nl >= 0 && nl < max / 2 ? tail.slice(nl + 1) : tail;
}

function render(section: CollapsibleSection, text: string, cut: number): string {
  if (cut === 0 && section.format === "markdown") return details(section.title, text);
  const language = section.format === "markdown" ? "markdown" : "";
  const where = section.keep === "tail" ? "earlier" : "later";
  const marker = `[${cut.toLocaleString("en-US")} ${where} characters cut to fit the comment]`;
  const body = cut === 0 ? text : section.keep === "tail" ? `${marker}\n${text}` : `${text}\n${marker}`;
  return details(`${section.title}${cut === 0 ? "" : " (trimmed)"}`, codeBlock(body, language));
}

/** Renders a section within `budget` characters, or returns undefined when nothing useful fits. */
function renderWithin(
  section: CollapsibleSection,
  budget: number,
): { text: string; kept: number } | undefined {
  const prior = section.alreadyCut ?? 0;
  const whole = render(section, section.text, prior);
  if (whole.length <= budget) return { text: whole, kept: section.text.length };
  let allowed = budget - render(section, "", section.text.length + prior).length - 2;
  for (let attempt = 0; attempt < 4 && allowed >= minimumUsefulChars; attempt += 1) {
    const kept = cutText(section.text, allowed, section.keep);
    const text = render(section, kept, section.text.length - kept.length + prior);
    if (text.length <= budget) return { text, kept: kept.length };
    allowed -= text.length - budget;
  }
  return undefined;
}

/**
 * Shares `budget` characters among the sections: short ones stay whole, long ones get an equal share of what
 * is left (cut to their head or tail), and a section that cannot get a useful share is left out.
 */
export function fitSections(sections: CollapsibleSection[], budget: number): FittedSections {
  const separator = 2;
  const order = sections
    .map((section, index) => ({
      section,
      index,
      full: render(section, section.text, section.alreadyCut ?? 0),
    }))
    .sort((a, b) => a.full.length - b.full.length);
  const chosen = new Map<number, string>();
  const cuts: string[] = [];
  let remaining = budget;
  order.forEach(({ section, index }, i) => {
    const share = Math.floor(remaining / (order.length - i)) - separator;
    const fitted = share > 0 ? renderWithin(section, share) : undefined;
    if (fitted === undefined) {
      cuts.push(`${section.title} left out`);
      return;
    }
    chosen.set(index, fitted.text);
    remaining -= fitted.text.length + separator;
    if (fitted.kept < section.text.length)
      cuts.push(
        `${section.title} cut to its ${section.keep === "tail" ? "last" : "first"} ${fitted.kept.toLocaleString("en-US")} characters`,
      );
  });
  return {
    rendered: sections.flatMap((_, index) => {
      const text = chosen.get(index);
      return text === undefined ? [] : [text];
    }),
    cuts,
  };
}
