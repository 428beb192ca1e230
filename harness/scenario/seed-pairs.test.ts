// The catalog's seed pairs: a here-runnable reproduction and its fixed twin differ in the one thing the bug is about.
import { beforeAll, describe, expect, it } from "vitest";
import { catalogFiles } from "./catalog.ts";
import { loadScenario } from "./load.ts";
import type { Scenario } from "./schema.ts";

/**
 * What a pair may differ in besides the words about it (name, description, tags, links) and its expectation.
 * `reproducesHere: false`: the reproduced cell ran here and did not show the bug, so it is not tagged runs-here
 * and its description says so; its twin still runs here.
 */
const pairs: { reproduced: string; twin: string; differ: string[]; reproducesHere?: false }[] = [
  {
    reproduced: "debian11-cgroup-driver-mismatch",
    twin: "debian11-cgroup-driver-systemd",
    differ: ["faults"],
  },
  { reproduced: "debian11-swap-preflight", twin: "debian11-swap-off", differ: ["faults"] },
  {
    reproduced: "debian11-swap-kubelet-refuses",
    twin: "debian11-swap-off",
    differ: ["faults", "kubernetes.ignorePreflightErrors"],
  },
  { reproduced: "debian11-dockershim-no-cni", twin: "debian11-dockershim-cni", differ: ["faults"] },
  {
    reproduced: "debian11-cni-daemonset-cgroupfs",
    twin: "debian11-cni-daemonset-systemd",
    differ: ["faults"],
    reproducesHere: false,
  },
  {
    reproduced: "debian11-runc-rc93-pipe-hang",
    twin: "debian11-runc-rc93-debian-pipe-ok",
    differ: ["runtime.runc.source.build"],
  },
  {
    reproduced: "debian11-runc-rc93-pipe-hang",
    twin: "debian11-runc-115-pipe-ok",
    differ: ["runtime.runc.source.build"],
  },
];

const wordsAbout = new Set(["name", "description", "tags", "links", "expect"]);
const notTopics = new Set(["kubeadm", "runs-here", "fixed", "runtime-only", "matrix"]);

/** Dotted paths where two parsed values differ (a list that differs in length is one path). */
function differences(a: unknown, b: unknown, at = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const objects = typeof a === "object" && a !== null && typeof b === "object" && b !== null;
  if (!objects || Array.isArray(a) || Array.isArray(b)) return [at];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    at === "" && wordsAbout.has(k)
      ? []
      : differences(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
          at ? `${at}.${k}` : k,
        ),
  );
}

let catalog: Scenario[] = [];
beforeAll(async () => {
  catalog = await Promise.all((await catalogFiles()).map(async (f) => (await loadScenario(f)).scenario));
});
const named = (name: string): Scenario => {
  const s = catalog.find((x) => x.name === name);
  if (!s) throw new Error(`no catalog scenario ${name}`);
  return s;
};

describe("seed pairs that run here", () => {
  it.each(pairs)(
    "$reproduced and $twin differ only in $differ",
    ({ reproduced, twin, differ, reproducesHere }) => {
      const bug = named(reproduced);
      const fixed = named(twin);
      expect(differences(bug, fixed).sort()).toEqual([...differ].sort());
      expect([bug.expect.verdict, fixed.expect.verdict]).toEqual(["reproduced", "healthy"]);
      const seed = bug.tags.find((t) => t.startsWith("seed-"));
      expect(seed).toBeDefined();
      expect(fixed.tags).toEqual(expect.arrayContaining(["runs-here", "kubeadm", seed]));
      expect(fixed.tags).toContain("fixed");
      if (reproducesHere === false) {
        expect(bug.tags).toEqual(expect.arrayContaining(["kubeadm", seed]));
        expect(bug.tags).not.toContain("runs-here");
        expect(bug.description).toContain("It does not reproduce here");
      } else expect(bug.tags).toEqual(expect.arrayContaining(["runs-here", "kubeadm", seed]));
    },
  );

  it("lists every here-runnable seed scenario that expects the bug", () => {
    const reproducing = catalog
      .filter((s) => s.tags.includes("runs-here") && s.tags.some((t) => t.startsWith("seed-")))
      .filter((s) => s.expect.verdict === "reproduced")
      .map((s) => s.name);
    const reproducingHere = pairs.filter((p) => p.reproducesHere !== false).map((p) => p.reproduced);
    expect(reproducing.sort()).toEqual([...new Set(reproducingHere)].sort());
  });

  it("each scenario that needs the internet names a here-runnable scenario of its topic in its description", () => {
    const here = catalog.filter((s) => s.tags.includes("runs-here"));
    const topics = (s: Scenario) => s.tags.filter((t) => !notTopics.has(t) && !t.startsWith("seed-"));
    const unnamed = catalog
      .filter((x) => !x.tags.includes("runs-here"))
      .map((s) => ({
        s,
        names: here.filter((h) => topics(h).some((t) => topics(s).includes(t))).map((h) => h.name),
      }))
      .filter(({ s, names }) => names.length > 0 && !names.some((n) => s.description.includes(n)))
      .map(({ s, names }) => `${s.name} should name one of ${names.join(", ")}`);
    expect(unnamed).toEqual([]);
  });
});
