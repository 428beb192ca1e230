import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { harnessVersion, headCommit } from "./harness-version.ts";

describe("harnessVersion, on real git repositories", () => {
  let root = "";
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "harness-version-"));
    await writeFile(path.join(root, "package.json"), JSON.stringify({ version: "1.2.3" }));
    const git = (...args: string[]) => execa("git", args, { cwd: root });
    await git("init", "-q", "-b", "main");
    await git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "one");
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const revParse = async (cwd: string) => (await execa("git", ["rev-parse", "HEAD"], { cwd })).stdout;

  it("names the branch's commit (loose ref)", async () => {
    const sha = await revParse(root);
    expect(headCommit(root)).toBe(sha);
    expect(harnessVersion(root)).toBe(`1.2.3+${sha.slice(0, 12)}`);
  });

  it("reads packed refs and a detached HEAD", async () => {
    const sha = await revParse(root);
    await execa("git", ["pack-refs", "--all", "--prune"], { cwd: root });
    expect(headCommit(root)).toBe(sha);
    await execa("git", ["checkout", "-q", "--detach"], { cwd: root });
    expect(headCommit(root)).toBe(sha);
  });

  it("follows a worktree's .git file to its HEAD and the common refs", async () => {
    const tree = path.join(root, "wt");
    await execa("git", ["worktree", "add", "-q", "-b", "other", tree], { cwd: root });
    expect(headCommit(tree)).toBe(await revParse(tree));
  });

  it("is the bare version outside a checkout, and unknown without package.json", async () => {
    await rm(path.join(root, ".git"), { recursive: true });
    expect(harnessVersion(root)).toBe("1.2.3");
    await rm(path.join(root, "package.json"));
    expect(harnessVersion(root)).toBe("unknown");
  });
});
