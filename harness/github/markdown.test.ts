import { describe, expect, it } from "vitest";
import { codeBlock, details, formatBytes, formatDuration, inlineCode, table } from "./markdown.ts";

describe("markdown builders", () => {
  it("fences code with more backticks than the text holds", () => {
    expect(codeBlock("a\n```\nb\n")).toBe("````\na\n```\nb\n````");
    expect(codeBlock("gantt", "mermaid")).toBe("```mermaid\ngantt\n```");
  });

  it("wraps inline code around backticks", () => {
    expect(inlineCode("a`b")).toBe("``a`b``");
    expect(inlineCode("`x")).toBe("`` `x ``");
  });

  it("escapes pipes and newlines in table cells", () => {
    expect(table(["a", "b"], [["x|y", "1\n2"]])).toBe("| a | b |\n| --- | --- |\n| x\\|y | 1 2 |");
  });

  it("escapes HTML in a details summary", () => {
    expect(details("<b>&", "body")).toBe("<details><summary>&lt;b&gt;&amp;</summary>\n\nbody\n\n</details>");
  });

  it.each([
    [999, "999 B"],
    [12_345, "12.3 kB"],
    [4_100_000, "4.1 MB"],
  ])("formats %i bytes as %s", (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it.each([
    [850, "850 ms"],
    [12_345, "12.3 s"],
    [245_000, "4m05s"],
    [3_720_000, "1h02m"],
  ])("formats %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
