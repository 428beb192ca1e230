import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HarnessError } from "../../errors.ts";
import { parseMultipassInfo, parseMultipassList } from "./multipass-json.ts";

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");

describe("parseMultipassInfo", () => {
  it("reads states and ipv4 arrays, empty while starting (documented format, not recorded: fixtures/info-running-two-instances.json)", () => {
    expect(parseMultipassInfo(fixture("info-running-two-instances.json"))).toEqual([
      {
        name: "h-20261123-184212-3f9a1c-cp",
        state: "Running",
        ipv4: ["10.93.146.21", "10.1.0.1"],
        release: "Ubuntu 24.04.1 LTS",
      },
      { name: "h-20261123-184212-3f9a1c-worker", state: "Starting", ipv4: [], release: "" },
    ]);
  });

  it("reads a stopped instance with empty fields (documented format, not recorded: fixtures/info-stopped.json)", () => {
    expect(parseMultipassInfo(fixture("info-stopped.json"))).toEqual([
      { name: "h-20261123-184212-3f9a1c-cp", state: "Stopped", ipv4: [], release: "" },
    ]);
  });

  it.each([
    { name: "no info object", text: '{"errors": []}' },
    {
      name: "not JSON: the plain-text error (recorded info-error-invalid-ip-octet-1.9.0-dev.txt)",
      text: readFileSync(
        join(import.meta.dirname, "recorded", "info-error-invalid-ip-octet-1.9.0-dev.txt"),
        "utf8",
      ).replace(/^\$.*\n/, ""),
    },
    { name: "empty output", text: "" },
  ])("refuses unreadable output with a hint: $name", ({ text }) => {
    const error = (() => {
      try {
        parseMultipassInfo(text);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe("MULTIPASS_OUTPUT_UNREADABLE");
    expect((error as HarnessError).hint).toContain("multipass version");
  });

  it("tolerates a non-array ipv4 and missing fields (documented format, not recorded)", () => {
    expect(
      parseMultipassInfo('{"errors":[],"info":{"a":{"ipv4":"","state":"Unknown"},"b":{"snapshots":{}}}}'),
    ).toEqual([
      { name: "a", state: "Unknown", ipv4: [], release: "" },
      { name: "b", state: "", ipv4: [], release: "" },
    ]);
  });
});

describe("parseMultipassList", () => {
  it("reads every instance, Not Available releases as empty (documented format, not recorded: fixtures/list-mixed-runs.json)", () => {
    expect(parseMultipassList(fixture("list-mixed-runs.json"))).toEqual([
      {
        name: "h-20261123-184212-3f9a1c-cp",
        state: "Running",
        ipv4: ["10.93.146.21"],
        release: "Ubuntu 24.04 LTS",
      },
      { name: "h-20261123-184212-3f9a1c-worker", state: "Deleted", ipv4: [], release: "" },
      {
        name: "h-20261122-090000-aaaaaa-node1",
        state: "Running",
        ipv4: ["10.93.146.40"],
        release: "Ubuntu 22.04 LTS",
      },
      { name: "primary", state: "Stopped", ipv4: [], release: "" },
    ]);
  });

  it("reads an empty list", () => {
    expect(parseMultipassList('{\n    "list": [\n    ]\n}\n')).toEqual([]);
  });
});
