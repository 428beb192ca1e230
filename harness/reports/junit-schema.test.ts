import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { junitXml } from "./junit.ts";
import type { RunRecord } from "./run-record.ts";

const schema = readFileSync(path.join(import.meta.dirname, "junit-consumers.xsd"), "utf8");

function recorded(name: string): RunRecord {
  return JSON.parse(
    readFileSync(path.join(import.meta.dirname, "fixtures", name, "run.json"), "utf8"),
  ) as RunRecord;
}

async function validate(xml: string) {
  return validateXML({
    xml: [{ fileName: "junit.xml", contents: xml }],
    schema: [{ fileName: "junit.xsd", contents: schema }],
  });
}

describe("junit.xml against the consumers' schema (libxml2's xmllint, as wasm)", () => {
  const runs = [recorded("recorded-apparmor-like"), recorded("recorded-step-timeout")];

  it.each(runs.map((r) => [r.cellId, r] as const))("%s validates", async (_name, run) => {
    const result = await validate(junitXml([run]));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("a report of two matrix cells with hostile text validates", async () => {
    const hostile = `<&>"'\u0007 ]]> ${"x".repeat(50)}`;
    const cells = runs.map((r, i) => ({ ...r, cellId: `${r.scenario}/runc=${i}`, reason: hostile }));
    const result = await validate(junitXml(cells));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the schema rejects what consumers reject: a testcase without classname", async () => {
    const broken = junitXml([runs[0] as RunRecord]).replace(/ classname="[^"]*"/, "");
    const result = await validate(broken);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.message).join("\n")).toMatch(/classname/);
  });
});
