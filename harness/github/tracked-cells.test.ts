import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.ts";
import { removeTempDirs, sampleRunRecord, tempDir, writeRunDir } from "./testing/run-dir-fixture.ts";
import { plannedCells, trackedCells } from "./tracked-cells.ts";

describe("trackedCells", () => {
  it("makes one row per cell from run directories and a failing row per planned cell without a result", async () => {
    const results = await tempDir("harness-results-");
    const passing = await writeRunDir({ parent: results });
    const failing = await writeRunDir({
      record: sampleRunRecord({ cellId: "c17", scenario: "c17", verdict: "not-reproduced", pass: false }),
    });
    const cells = await trackedCells(
      [path.dirname(passing), failing],
      ["debian13-containerd16-apparmor", "c17", "lost"],
    );
    const byId = Object.fromEntries(cells.map((c) => [c.cellId, c]));
    expect(byId["debian13-containerd16-apparmor"]).toEqual({
      cellId: "debian13-containerd16-apparmor",
      expect: "reproduced",
      verdict: "reproduced",
      pass: true,
    });
    expect(byId.c17).toMatchObject({ verdict: "not-reproduced", pass: false });
    expect(byId.lost).toEqual({ cellId: "lost", expect: "?", verdict: "no result", pass: false });
  });
});

describe("plannedCells", () => {
  it("reads the cell ids of `harness matrix --github` output", () => {
    expect(plannedCells('{"include":[{"scenario":"s","cell":"s[a=1]","name":"s[a=1]"}]}')).toEqual([
      "s[a=1]",
    ]);
  });

  it.each(["not json", '{"include":[{"name":"x"}]}', "[]"])("rejects %s", (text) => {
    expect(() => plannedCells(text)).toThrow(UsageError);
  });
});

afterAll(removeTempDirs);
