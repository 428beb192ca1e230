import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalTransport } from "./local-transport.ts";

describe("LocalTransport (real processes)", () => {
  const transport = new LocalTransport();
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "local-transport-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    { name: "success", command: "echo hi", exitCode: 0, stdout: "hi\n", stderr: "" },
    { name: "non-zero exit", command: "echo oops >&2; exit 3", exitCode: 3, stdout: "", stderr: "oops\n" },
    { name: "pipefail-free bash -c", command: "false | true", exitCode: 0, stdout: "", stderr: "" },
  ])("runs a command: $name", async ({ command, exitCode, stdout, stderr }) => {
    const r = await transport.exec(command, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ command, exitCode, stdout, stderr, signal: null, timedOut: false });
    expect(r.transportError).toBeUndefined();
  });

  it("streams lines of both streams in order", async () => {
    const lines: string[] = [];
    await transport.exec("echo a; echo b >&2; printf c", {
      timeoutMs: 10_000,
      onLine: (s, l) => lines.push(`${s}:${l}`),
    });
    expect(lines).toEqual(expect.arrayContaining(["stdout:a", "stderr:b", "stdout:c"]));
  });

  it("passes stdin", async () => {
    const r = await transport.exec("tr a-z A-Z", { timeoutMs: 10_000, stdin: "shout\n" });
    expect(r.stdout).toBe("SHOUT\n");
  });

  it("reports the signal of a killed command", async () => {
    const r = await transport.exec("kill -9 $$", { timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: null, signal: "SIGKILL", timedOut: false });
  });

  it("kills the whole process group on timeout, grandchildren included", async () => {
    const marker = join(dir, "grandchild-alive");
    const r = await transport.exec(`(sleep 2; touch ${marker}) & sleep 30`, { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    await new Promise((res) => setTimeout(res, 2_500));
    await expect(stat(marker)).rejects.toThrow();
  });

  it("kills the command when aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await transport.exec("sleep 30", { timeoutMs: 60_000, signal: controller.signal });
    expect(r.signal).toBe("SIGTERM");
    expect(r.timedOut).toBe(false);
  });

  it("uploads with a mode and downloads", async () => {
    const src = join(dir, "src.txt");
    await writeFile(src, "payload");
    await transport.upload(src, join(dir, "sub", "dst.sh"), 0o750);
    expect((await stat(join(dir, "sub", "dst.sh"))).mode & 0o777).toBe(0o750);
    await transport.download(join(dir, "sub", "dst.sh"), join(dir, "back", "copy.txt"));
    expect(await readFile(join(dir, "back", "copy.txt"), "utf8")).toBe("payload");
  });
});
