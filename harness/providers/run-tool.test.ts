import { describe, expect, it } from "vitest";
import { outputTail, runTool } from "./run-tool.ts";

describe("runTool (real processes)", () => {
  it.each([
    {
      name: "success",
      args: ["-c", "echo out; echo err >&2"],
      expected: { exitCode: 0, stdout: "out", stderr: "err", timedOut: false },
    },
    { name: "a non-zero exit", args: ["-c", "exit 3"], expected: { exitCode: 3, timedOut: false } },
    {
      name: "killed by a signal (not missing)",
      args: ["-c", "kill -9 $$"],
      expected: { exitCode: null, timedOut: false },
    },
  ])("reports $name", async ({ args, expected }) => {
    const r = await runTool("sh", args, { timeoutMs: 10_000 });
    expect(r).toMatchObject(expected);
    expect(r.missing).toBeUndefined();
  });

  it("says when the executable is missing", async () => {
    const r = await runTool("no-such-tool-here", ["x"], { timeoutMs: 10_000 });
    expect(r.exitCode).toBeNull();
    expect(r.missing).toContain("ENOENT");
  });

  it("kills a tool that runs past its timeout", async () => {
    const r = await runTool("sleep", ["30"], { timeoutMs: 200 });
    expect(r).toMatchObject({ timedOut: true, exitCode: null });
    expect(r.missing).toBeUndefined();
  });

  it("streams output chunks and runs in cwd with extra env", async () => {
    const chunks: string[] = [];
    const r = await runTool("sh", ["-c", 'printf "%s %s" "$PWD" "$EXTRA"'], {
      timeoutMs: 10_000,
      cwd: "/tmp",
      env: { EXTRA: "yes" },
      onOutput: (c) => chunks.push(c),
    });
    expect(r.stdout).toBe("/tmp yes");
    expect(chunks.join("")).toBe("/tmp yes");
  });

  it.each([
    { text: "a\n\n  \nb   \nc\n", lines: 2, expected: "b\nc" },
    { text: "one\r\ntwo\r\n", lines: 10, expected: "one\ntwo" },
    { text: "", lines: 3, expected: "" },
  ])("keeps the last non-blank lines: %j", ({ text, lines, expected }) => {
    expect(outputTail(text, lines)).toBe(expected);
  });
});
