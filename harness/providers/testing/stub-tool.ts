// Test support: a real stub executable (multipass, vagrant, ...) put on PATH that records its argv and replays canned output.
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** What the stub prints and returns for one call. */
export interface StubResponse {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

/** One recorded call of the stub. */
export interface StubCall {
  argv: string[];
  cwd: string;
}

/**
 * The stub's program: responses are keyed by the first argument (`launch`, `ssh-config`, `--version`);
 * the n-th call with a key gets the n-th response, the last one repeating; unknown keys exit 64.
 */
const stubProgram = `#!/usr/bin/env node
const fs = require("node:fs");
const path = require("node:path");
const dir = __dirname;
const argv = process.argv.slice(2);
fs.appendFileSync(path.join(dir, "calls.ndjson"), JSON.stringify({ argv, cwd: process.cwd() }) + "\\n");
const responses = JSON.parse(fs.readFileSync(path.join(dir, "responses.json"), "utf8"));
const key = argv[0] ?? "";
const list = responses[key];
if (!list || list.length === 0) {
  process.stderr.write("stub: no response for " + JSON.stringify(key) + "\\n");
  process.exit(64);
}
const counter = path.join(dir, "count-" + key.replace(/[^A-Za-z0-9-]/g, "_"));
const n = fs.existsSync(counter) ? Number(fs.readFileSync(counter, "utf8")) : 0;
fs.writeFileSync(counter, String(n + 1));
const r = list[Math.min(n, list.length - 1)];
if (r.stdout) process.stdout.write(r.stdout);
if (r.stderr) process.stderr.write(r.stderr);
process.exitCode = r.exitCode ?? 0;
`;

/** A stub executable in its own temp directory. */
export class StubTool {
  private constructor(
    readonly dir: string,
    readonly path: string,
  ) {}

  /** Writes the stub named `name` with its responses. */
  static async create(name: string, responses: Record<string, StubResponse[]>): Promise<StubTool> {
    const dir = await mkdtemp(join(tmpdir(), `stub-${name}-`));
    const path = join(dir, name);
    await writeFile(path, stubProgram);
    await chmod(path, 0o755);
    const stub = new StubTool(dir, path);
    await stub.respond(responses);
    return stub;
  }

  /** Replaces the canned responses and resets the per-key call counters. */
  async respond(responses: Record<string, StubResponse[]>): Promise<void> {
    await writeFile(join(this.dir, "responses.json"), JSON.stringify(responses));
    for (const key of Object.keys(responses)) {
      await rm(join(this.dir, `count-${key.replace(/[^A-Za-z0-9-]/g, "_")}`), { force: true });
    }
    await rm(join(this.dir, "calls.ndjson"), { force: true });
  }

  /** The calls made so far, in order. */
  async calls(): Promise<StubCall[]> {
    const text = await readFile(join(this.dir, "calls.ndjson"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as StubCall);
  }

  /** A PATH value with the stub's directory first. */
  pathWithStub(path = process.env.PATH ?? ""): string {
    return `${this.dir}${delimiter}${path}`;
  }

  /** Deletes the stub's directory. */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
