import { describe, expect, it } from "vitest";
import { terminalText, terminalValue } from "./terminal-text.ts";

describe("terminalText", () => {
  it.each([
    ["an OSC 52 clipboard write", "x\u001b]52;c;ZXZpbA==\u0007y", "x\u241b]52;c;ZXZpbA==\u2407y"],
    ["a screen clear", "\u001b[2J\u001b[H", "\u241b[2J\u241b[H"],
    ["a carriage return that hides what came before", "ok\rFAIL", "ok\u240dFAIL"],
    ["NUL and DEL", "a\u0000b\u007f", "a\u2400b\u2421"],
    ["a C1 CSI", "a\u009b2Jb", "a\\x9b2Jb"],
    ["tabs, newlines and other text", "a\tb\nc é ✓", "a\tb\nc é ✓"],
  ])("shows %s as visible characters", (_, input, shown) => {
    expect(terminalText(input)).toBe(shown);
  });

  it("reaches every string of an event", () => {
    expect(terminalValue({ kind: "output", line: "\u001b[31mred", nodes: ["n\u0007"], at: 1 })).toEqual({
      kind: "output",
      line: "\u241b[31mred",
      nodes: ["n\u2407"],
      at: 1,
    });
  });
});
