import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { quote, script } from "./shell.ts";

describe("quote", () => {
  it.each(["plain", "with space", "it's", "$(rm -rf /)", "a;b|c&d", "`id`", "new\nline", "", "*"])(
    "round-trips %j through bash as one word",
    (value) => {
      const out = execFileSync("bash", ["-c", `printf '%s' ${quote(value)}`], { encoding: "utf8" });
      expect(out).toBe(value);
    },
  );
});

describe("script", () => {
  it("starts with the strict-mode header and ends with a newline", () => {
    expect(script("echo a", "  ", "echo b")).toBe("#!/usr/bin/env bash\nset -euo pipefail\necho a\necho b\n");
  });
});
