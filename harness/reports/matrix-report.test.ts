import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuns, matrixHtml, matrixMarkdown, matrixRows } from "./matrix-report.ts";
import type { RunRecord } from "./run-record.ts";

const record = (
  cellId: string,
  runId: string,
  verdict: RunRecord["verdict"],
  pass: boolean,
  facts: Record<string, string> = { containerd: "1.6.20", runc: "1.1.5" },
) => ({
  runDir: `/r/${cellId}/${runId}`,
  record: {
    scenario: "s",
    cellId,
    runId,
    expect: "reproduced",
    verdict,
    pass,
    nodes: { node1: { clockOffsetMs: 0, facts } },
  } as unknown as RunRecord,
});

describe("matrix report", () => {
  const runs = [
    record("s[containerd=1.6]", "r1", "reproduced", true),
    record("s[containerd=1.6]", "r2", "not-reproduced", false),
    record("s[containerd=1.6]", "r3", "infra-failure", false),
    record("s[containerd=1.7]", "r4", "not-reproduced", false, { containerd: "1.7.24", runc: "1.1.15" }),
  ];

  it("groups runs by cell with counts and a reproduction rate over decided runs", () => {
    const rows = matrixRows(runs);
    expect(rows.map((r) => [r.cellId, r.counts, r.rate])).toEqual([
      [
        "s[containerd=1.6]",
        { reproduced: 1, "not-reproduced": 1, "infra-failure": 1 },
        { matched: 1, decided: 2 },
      ],
      ["s[containerd=1.7]", { "not-reproduced": 1 }, { matched: 0, decided: 1 }],
    ]);
  });

  it("renders Markdown with relative links, and HTML", () => {
    const md = matrixMarkdown(matrixRows(runs), "/r");
    expect(md).toContain(
      "| s[containerd=1.6] | reproduced | reproduced x1, not-reproduced x1, infra-failure x1 | no | 1/2 (50%) | containerd 1.6.20, runc 1.1.5 | [r1](s[containerd=1.6]/r1/summary.md) [r2](s[containerd=1.6]/r2/summary.md) [r3](s[containerd=1.6]/r3/summary.md) |",
    );
    expect(matrixHtml(matrixRows(runs), "/r")).toContain(
      '<a href="s[containerd=1.7]/r4/timeline.html">r4</a> (not-reproduced)',
    );
  });

  it("shows what each run had installed beside its verdict, one line per run when runs differ", () => {
    const md = matrixMarkdown(matrixRows(runs), "/r");
    expect(md).toContain("| not-reproduced | no | 0/1 (0%) | containerd 1.7.24, runc 1.1.15 |");
    const mixed = matrixRows([record("c", "a", "healthy", true), record("c", "b", "healthy", true, {})]);
    expect(matrixMarkdown(mixed, "/r")).toContain("| a: containerd 1.6.20, runc 1.1.5<br>b: not recorded |");
    expect(matrixHtml(mixed, "/r")).toContain(
      '<td class="installed">a: containerd 1.6.20, runc 1.1.5<br>b: not recorded</td>',
    );
  });

  it("finds run directories below a results directory (recorded fixtures)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "matrix-"));
    await cp(path.join(import.meta.dirname, "fixtures"), path.join(dir, "results"), { recursive: true });
    const loaded = await loadRuns([path.join(dir, "results")]);
    expect(loaded.map((r) => r.record.verdict).sort()).toEqual(["error", "reproduced", "reproduced"]);
    await rm(dir, { recursive: true });
  });
});
