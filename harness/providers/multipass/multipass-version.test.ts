import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMultipassVersion } from "./multipass-version.ts";

describe("parseMultipassVersion", () => {
  it("reads both versions with a +mac suffix and uneven spacing (recorded 1.0.0+mac, launch-error-hash-mismatch-and-version-1.0.0-mac.txt)", () => {
    const text = readFileSync(
      join(import.meta.dirname, "recorded", "launch-error-hash-mismatch-and-version-1.0.0-mac.txt"),
      "utf8",
    );
    expect(parseMultipassVersion(text)).toEqual({ client: "1.0.0+mac", daemon: "1.0.0+mac" });
  });

  it.each([
    {
      name: "dev build with an update notice (documented format, not recorded)",
      text: "multipass   1.15.0-dev.354+g533e02ffc\nmultipassd  1.15.0-dev.354+g533e02ffc\n\n####\nMultipass 1.15.1 release\n####\n",
      expected: { client: "1.15.0-dev.354+g533e02ffc", daemon: "1.15.0-dev.354+g533e02ffc" },
    },
    {
      name: "daemon not answering (documented format, not recorded)",
      text: "multipass  1.14.0\n",
      expected: { client: "1.14.0", daemon: null },
    },
    { name: "empty output", text: "", expected: { client: null, daemon: null } },
  ])("$name", ({ text, expected }) => {
    expect(parseMultipassVersion(text)).toEqual(expected);
  });
});
