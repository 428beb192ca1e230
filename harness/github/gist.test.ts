import { afterAll, describe, expect, it } from "vitest";
import { gistFiles, maxGistFileChars } from "./gist.ts";
import { readRunBundle } from "./run-bundle.ts";
import { removeTempDirs, writeRunDir } from "./testing/run-dir-fixture.ts";

describe("gistFiles", () => {
  it("flattens paths, keeps the tail of long logs, skips empty files and redacts secrets", async () => {
    const long = `${"x".repeat(maxGistFileChars)}\nthe end\n`;
    const dir = await writeRunDir({
      logs: {
        "node1/long.log": long,
        "node1/empty.log": "",
        "node2/env.log": "TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n",
      },
    });
    const { files, leftOut } = await gistFiles(await readRunBundle(dir), []);
    expect(Object.keys(files).sort()).toEqual([
      "logs__node1__long.log",
      "logs__node2__env.log",
      "run.json",
      "summary.md",
      "timeline.html",
    ]);
    const kept = files["logs__node1__long.log"]?.content ?? "";
    expect(
      kept.startsWith(`[earlier part cut: the gist keeps the last ${maxGistFileChars} characters]\n`),
    ).toBe(true);
    expect(kept.endsWith("the end\n")).toBe(true);
    expect(files["logs__node2__env.log"]?.content).toBe("TOKEN=[REDACTED GitHub token]\n");
    expect(leftOut).toEqual([]);
  });
});

afterAll(removeTempDirs);
