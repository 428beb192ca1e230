import { describe, expect, it } from "vitest";
import { cutText, fitSections, type CollapsibleSection } from "./comment-limit.ts";

const lines = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix} line ${i}`).join("\n");
const log = (title: string, text: string): CollapsibleSection => ({
  title,
  text,
  format: "text",
  keep: "tail",
});

describe("cutText", () => {
  it.each([
    ["tail", "line 9", "line 0"],
    ["head", "line 0", "line 9"],
  ] as const)("keeps the %s at line boundaries", (keep, kept, dropped) => {
    const text = lines("x", 10);
    const cut = cutText(text, 40, keep);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut).toContain(kept);
    expect(cut).not.toContain(dropped);
    expect(text).toContain(cut);
  });
});

describe("fitSections", () => {
  it("keeps every section whole when they fit, and says nothing was cut", () => {
    const fitted = fitSections([log("a.log", "alpha"), log("b.log", "beta")], 10_000);
    expect(fitted.cuts).toEqual([]);
    expect(fitted.rendered).toHaveLength(2);
    expect(fitted.rendered[0]).toContain("alpha");
  });

  it("keeps short sections whole and cuts long ones to their tail within the budget", () => {
    const small = log("small.log", "tiny");
    const big = log("big.log", lines("big", 5000));
    const huge = log("huge.log", lines("huge", 20_000));
    const budget = 20_000;
    const fitted = fitSections([big, small, huge], budget);
    const total = fitted.rendered.reduce((n, s) => n + s.length + 2, 0);
    expect(total).toBeLessThanOrEqual(budget);
    expect(fitted.rendered).toHaveLength(3);
    expect(fitted.rendered[1]).toContain("tiny");
    expect(fitted.rendered[0]).toContain("big line 4999");
    expect(fitted.rendered[0]).not.toContain("big line 0\n");
    expect(fitted.rendered[0]).toMatch(/\[[\d,]+ earlier characters cut to fit the comment\]/);
    expect(fitted.rendered[2]).toContain("huge.log (trimmed)");
    expect(fitted.cuts).toEqual([
      expect.stringMatching(/^big\.log cut to its last [\d,]+ characters$/),
      expect.stringMatching(/^huge\.log cut to its last [\d,]+ characters$/),
    ]);
  });

  it("leaves out sections that cannot get a useful share, and names them", () => {
    const many = Array.from({ length: 50 }, (_, i) => log(`n${i}.log`, lines(`n${i}`, 500)));
    const fitted = fitSections(many, 5_000);
    expect(fitted.rendered.reduce((n, s) => n + s.length + 2, 0)).toBeLessThanOrEqual(5_000);
    expect(fitted.cuts.filter((c) => c.endsWith("left out")).length).toBeGreaterThan(30);
  });

  it("renders Markdown whole but a cut Markdown section as a code block, so a fence cannot break", () => {
    const summary: CollapsibleSection = {
      title: "summary.md",
      text: "# t\n```mermaid\ngantt\n```\n",
      format: "markdown",
      keep: "head",
    };
    expect(fitSections([summary], 1_000).rendered[0]).toContain("\n# t\n```mermaid");
    const long = { ...summary, text: `${summary.text}${lines("row", 2000)}` };
    const cut = fitSections([long], 2_000).rendered[0] ?? "";
    expect(cut).toContain("````markdown\n# t");
    expect(cut).toMatch(/later characters cut to fit the comment\]\n````\n\n<\/details>$/);
  });
});
