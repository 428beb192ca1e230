import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEvents } from "../timeline/read-events.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import type { RunRecord } from "./run-record.ts";
import { summaryMarkdown } from "./summary-md.ts";

// The recorded local-dir run of reports.test.ts, with what a qemu run adds: script files, a harness commit,
// nodes' version outputs (runc's as fingerprint.sh's stand-in test prints it) and an accelerator event.
const dir = path.join(import.meta.dirname, "fixtures", "recorded-apparmor-like");
const recorded = JSON.parse(readFileSync(path.join(dir, "run.json"), "utf8")) as RunRecord;
const events = parseEvents(readFileSync(path.join(dir, "events.ndjson"), "utf8"));

const run: RunRecord = {
  ...recorded,
  provider: "qemu",
  file: "scenarios/recorded-apparmor-like.yaml",
  harnessVersion: "0.1.0+9f87db1fca11",
  steps: recorded.steps.map((s) =>
    s.id === "configure/flaky-setup" || s.id === "workload/kill"
      ? { ...s, script: `${s.id.replace("/", "--")}.sh` }
      : s,
  ),
  nodes: {
    node1: {
      clockOffsetMs: -41,
      facts: {
        runc: "1.0.0-rc93",
        "containerd --version": "containerd github.com/containerd/containerd 1.4.13~ds1 1.4.13~ds1-1~deb11u4",
        "runc --version":
          "runc version 1.0.0-rc93\ncommit: 12644e614e25b05da6fd08a38ffa0cfe1903fdec\nspec: 1.0.2-dev\ngo: go1.13.15\nlibseccomp: 2.5.1",
      },
    },
  },
};
const withAccelerator: TimelineEvent[] = [
  ...events,
  {
    kind: "machine",
    at: recorded.startedAt + 10,
    machine: "*",
    state: "accelerator",
    detail: "tcg: TCG because /dev/kvm is missing",
  },
];

describe("summary.md as a bug report", () => {
  const md = summaryMarkdown(run, withAccelerator);

  it("lists the scripts in run order with their files, after the command that runs the cell again", () => {
    const section = md.slice(md.indexOf("## Steps to reproduce"), md.indexOf("## Versions"));
    expect(section).toContain("at commit 9f87db1fca11 (`git checkout 9f87db1fca11`)");
    expect(section).toContain("npm run scenario -- scenarios/recorded-apparmor-like.yaml\n");
    const configure = section.indexOf(
      "1. `configure/flaky-setup` on node1, node2: `configure--flaky-setup.sh`",
    );
    const kill = section.indexOf("2. `workload/kill` on node1: `workload--kill.sh` (tolerated-failure)");
    expect(configure).toBeGreaterThan(0);
    expect(kill).toBeGreaterThan(configure);
  });

  it("prints each version command with its whole output, and keeps it out of the environment table", () => {
    expect(md).toContain(
      "node1$ containerd --version\ncontainerd github.com/containerd/containerd 1.4.13~ds1 1.4.13~ds1-1~deb11u4\nnode1$ runc --version\nrunc version 1.0.0-rc93\ncommit: 12644e614e25b05da6fd08a38ffa0cfe1903fdec\n",
    );
    const environment = md.slice(md.indexOf("## Environment"));
    expect(environment).toContain("| runc | 1.0.0-rc93 |");
    expect(environment).not.toContain("runc --version");
  });

  it("names the accelerator under the run table", () => {
    expect(md).toContain("Accelerator: tcg: TCG because /dev/kvm is missing");
  });

  it("names a matrix cell and a provider other than qemu in the command", () => {
    const cell = summaryMarkdown(
      { ...run, cellId: "recorded-apparmor-like/runc=rc93", provider: "ssh" },
      events,
    );
    expect(cell).toContain(
      "npm run scenario -- scenarios/recorded-apparmor-like.yaml --cell recorded-apparmor-like/runc=rc93 --provider ssh",
    );
  });
});
