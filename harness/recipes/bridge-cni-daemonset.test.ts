import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  bridgeDaemonSetManifest,
  bridgeDaemonSetRecipe,
  installCniConfigScript,
  keepCniConfigScript,
  upstreamCniInstallerImage,
} from "./bridge-cni-daemonset.ts";
import { bridgeCniRecipe, bridgeConfigPath } from "./bridge-cni.ts";
import type { StepPlan } from "../plan/plan.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

/** The nodes and script of a script step (every step these recipes plan is one). */
function runsOf(step: StepPlan | undefined): { node: string; script: string }[] {
  if (step?.kind !== "script") throw new Error(`not a script step: ${step?.id ?? "none"}`);
  return step.runs;
}

const debianScenario = (overrides = {}) =>
  kubeScenario({
    image: "debian-11",
    kubernetes: { version: "1.20.2" },
    cni: { plugin: "bridge-daemonset" },
    ...overrides,
  });

interface Doc {
  kind: string;
  data?: Record<string, string>;
  spec?: {
    template: {
      spec: {
        hostNetwork: boolean;
        tolerations: { operator: string }[];
        initContainers: { image: string; command: string[] }[];
        containers: { image: string }[];
        volumes: { name: string; hostPath?: { path: string } }[];
      };
    };
  };
}

describe("bridgeDaemonSetManifest", () => {
  it("holds one conflist per planned node (its /24) and a host-network DaemonSet that tolerates every taint", () => {
    const ctx = recipeContext(debianScenario());
    const docs = parseAllDocuments(bridgeDaemonSetManifest(ctx.machines, "10.244.0.0/16", "img:1")).map(
      (d) => d.toJS() as Doc,
    );
    expect(docs.map((d) => d.kind)).toEqual(["ConfigMap", "DaemonSet"]);
    const data = docs[0]?.data ?? {};
    expect(Object.keys(data)).toEqual(["cp1.conflist", "worker1.conflist"]);
    const subnet = (conf: string | undefined) =>
      (JSON.parse(conf ?? "{}") as { plugins: { ipam?: { ranges: { subnet: string }[][] } }[] }).plugins[0]
        ?.ipam?.ranges[0]?.[0]?.subnet;
    expect(subnet(data["cp1.conflist"])).toBe("10.244.0.0/24");
    expect(subnet(data["worker1.conflist"])).toBe("10.244.1.0/24");
    const pod = docs[1]?.spec?.template.spec;
    expect(pod?.hostNetwork).toBe(true);
    expect(pod?.tolerations).toEqual([{ operator: "Exists" }]);
    expect(pod?.initContainers[0]?.image).toBe("img:1");
    expect(pod?.containers[0]?.image).toBe("img:1");
    expect(pod?.volumes.find((v) => v.name === "cni-net-d")?.hostPath?.path).toBe("/etc/cni/net.d");
  });
});

describe("the DaemonSet's scripts, run by a real sh", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cni-installer-"));
    await mkdir(path.join(dir, "config"));
    await mkdir(path.join(dir, "net.d"));
    await writeFile(path.join(dir, "config", "cp1.conflist"), '{"name":"harness-bridge"}\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const conflist = path.basename(bridgeConfigPath);

  it("install-cni writes the conflist of the node it runs on, and leaves no partial file", async () => {
    const script = installCniConfigScript(path.join(dir, "config"), path.join(dir, "net.d"));
    const r = await execa("sh", ["-c", script], { env: { NODE_NAME: "cp1" } });
    expect(r.stdout).toBe(`wrote ${bridgeConfigPath} for node cp1`);
    expect(await readdir(path.join(dir, "net.d"))).toEqual([conflist]);
    expect(await readFile(path.join(dir, "net.d", conflist), "utf8")).toBe('{"name":"harness-bridge"}\n');
  });

  it("install-cni fails, naming the node and what the ConfigMap has, when the node has no conflist", async () => {
    const script = installCniConfigScript(path.join(dir, "config"), path.join(dir, "net.d"));
    const r = await execa("sh", ["-c", script], { env: { NODE_NAME: "worker9" }, reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      "no CNI config for node worker9 in ConfigMap harness-bridge-cni; it has:\ncp1.conflist",
    );
    expect(await readdir(path.join(dir, "net.d"))).toEqual([]);
  });

  it("keep-cni-config exits 1 once the config is gone", async () => {
    await writeFile(path.join(dir, "net.d", conflist), "{}");
    const run = execa("sh", ["-c", keepCniConfigScript(path.join(dir, "net.d"), 1)], { reject: false });
    await rm(path.join(dir, "net.d", conflist));
    const r = await run;
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`${bridgeConfigPath} is gone`);
  });
});

describe("bridgeDaemonSetRecipe", () => {
  it("applies the DaemonSet from the control plane in the cni phase, with the locally built installer image", () => {
    const { steps } = bridgeDaemonSetRecipe.plan(recipeContext(debianScenario()));
    expect(steps.map((s) => [s.id, s.expect, runsOf(s).map((r) => r.node)])).toEqual([
      ["cni/bridge-daemonset", "success", ["cp1"]],
    ]);
    expect(runsOf(steps[0])[0]?.script).toContain("image: harness.local/cni-installer:1.30.1");
  });

  it("uses busybox from Docker Hub for a pkgs.k8s.io release (where the internet is)", () => {
    const { steps } = bridgeDaemonSetRecipe.plan(
      recipeContext(kubeScenario({ cni: { plugin: "bridge-daemonset" } })),
    );
    expect(runsOf(steps[0])[0]?.script).toContain(`image: ${upstreamCniInstallerImage}`);
  });

  it("lets the step fail as evidence under the cgroup driver mismatch", () => {
    const ctx = recipeContext(debianScenario({ faults: [{ kind: "cgroupfs-driver" }] }));
    expect(bridgeDaemonSetRecipe.plan(ctx).steps[0]?.expect).toBe("any");
  });

  it("leaves the node without a CNI config before kubelet starts, and still routes and records pod CIDRs", () => {
    const { steps } = bridgeCniRecipe.plan(recipeContext(debianScenario()));
    expect(steps.map((s) => s.id)).toEqual(["configure/bridge-cni", "join/pod-cidrs"]);
    const configure = runsOf(steps[0])[0]?.script ?? "";
    expect(configure).not.toContain(`cat > '${bridgeConfigPath}'`);
    expect(configure).toContain("route_via 10.244.1.0/24 ");
  });

  it("plans nothing for the other CNI choices", () => {
    for (const plugin of ["none", "bridge", "flannel"] as const)
      expect(bridgeDaemonSetRecipe.plan(recipeContext(debianScenario({ cni: { plugin } }))).steps).toEqual(
        [],
      );
  });
});
