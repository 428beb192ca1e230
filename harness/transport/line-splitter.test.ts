import { describe, expect, it } from "vitest";
import { LineSplitter } from "./line-splitter.ts";

describe("LineSplitter", () => {
  it.each([
    { name: "one chunk, two lines", chunks: ["a\nb\n"], lines: ["a", "b"] },
    { name: "a line split across chunks", chunks: ["he", "llo\nwor", "ld\n"], lines: ["hello", "world"] },
    { name: "unterminated last line is flushed", chunks: ["a\nb"], lines: ["a", "b"] },
    { name: "CRLF endings are stripped", chunks: ["a\r\nb\r\n"], lines: ["a", "b"] },
    { name: "empty lines are kept", chunks: ["\n\nx\n"], lines: ["", "", "x"] },
    { name: "no output, no lines", chunks: [], lines: [] },
  ])("$name", ({ chunks, lines }) => {
    const seen: string[] = [];
    const splitter = new LineSplitter((l) => seen.push(l));
    for (const c of chunks) splitter.push(c);
    splitter.flush();
    expect(seen).toEqual(lines);
  });
});
