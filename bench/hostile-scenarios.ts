// Benchmark of hostile scenario files (issue 12): builds a set of at least 80 files (hostile field values, YAML
// tricks, special files) from one valid scenario, runs `harness validate` and, for the files it accepts,
// `harness plan` on each as a child process with a 60 s limit, and counts the outcomes: refused at file:line:col with
// the field, refused with a place but no field, refused without a place, accepted, internal error, hung.
// Run: node --import tsx bench/hostile-scenarios.ts   (prints one line per file, then the counts)
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa, execaSync } from "execa";
import { parse, stringify } from "yaml";
import { hostileValues } from "../harness/recipes/testing/hostile-values.ts";

const repo = path.resolve(import.meta.dirname, "..");
const base = `name: hostile
description: A hostile fixture.
links:
  - https://example.org/issue/1
tags: [fixture]
image: debian-13
nodes:
  - name: node1
    role: standalone
    cpus: 1
    memory: 1G
runtime:
  kind: containerd
  containerd:
    source:
      from: distro
    sandboxImage: registry.k8s.io/pause:3.9
  runc:
    source:
      from: distro
steps:
  - name: hello
    phase: workload
    run: echo hello
    timeout: 1m
observe:
  duration: 1m
  interval: 10s
  probes:
    - name: hello-result
      kind: step
      step: hello
    - name: denied
      kind: kernel-log
      match: apparmor="DENIED"
expect:
  verdict: healthy
  checks:
    - name: hello ran
      probe: hello-result
      equals: 0
`;

type Doc = Record<string, unknown>;
const set = (mutate: (d: Doc) => void) => () => {
  const d = parse(base) as Doc;
  mutate(d);
  return stringify(d);
};
const at = (d: Doc, keys: (string | number)[]): Doc => keys.reduce<Doc>((n, k) => n[k as string] as Doc, d);

const fields: { field: string; keys: (string | number)[] }[] = [
  { field: "name", keys: ["name"] },
  { field: "nodes[0].name", keys: ["nodes", 0, "name"] },
  { field: "runtime.containerd.sandboxImage", keys: ["runtime", "containerd", "sandboxImage"] },
  { field: "runtime.containerd.source.package", keys: ["runtime", "containerd", "source", "package"] },
  { field: "steps[0].name", keys: ["steps", 0, "name"] },
  { field: "observe.probes[1].name", keys: ["observe", "probes", 1, "name"] },
];

/** name -> how to write the case into `dir` (returns the file to validate). */
const cases: { name: string; write: (dir: string) => string }[] = [];
const textCase = (name: string, text: string | (() => string) | Buffer) =>
  cases.push({
    name,
    write: (dir) => {
      const file = path.join(dir, `${name}.yaml`);
      writeFileSync(file, typeof text === "function" ? text() : text);
      return file;
    },
  });

/** One case per value, each setting the field at `keys` of the base scenario to it. */
const fieldCases = (keys: (string | number)[], values: [string, unknown][]) => {
  for (const [name, value] of values)
    textCase(
      name,
      set((d) => {
        at(d, keys.slice(0, -1))[keys.at(-1) as string] = value;
      }),
    );
};

for (const { field, keys } of fields)
  fieldCases(
    keys,
    hostileValues.map((value, i) => [`inject-${field.replace(/[^a-z0-9]+/gi, "-")}-${i}`, value]),
  );
textCase("matrix-6x10", () => {
  const axes: Doc = {};
  for (let i = 0; i < 6; i++) axes[`a${i}`] = { path: "description", values: [...Array(10).keys()] };
  return stringify({ ...(parse(base) as Doc), matrix: { axes } });
});
textCase("matrix-40x2", () => {
  const axes: Doc = {};
  for (let i = 0; i < 40; i++) axes[`a${i}`] = { path: "description", values: [0, 1] };
  return stringify({ ...(parse(base) as Doc), matrix: { axes } });
});
textCase(
  "matrix-set-name",
  set((d) => {
    d.matrix = { axes: { x: { values: [{ value: "a", set: { name: "other" } }] } } };
  }),
);
textCase(
  "nodes-300",
  set((d) => {
    d.nodes = Array.from({ length: 300 }, (_, i) => ({ name: `n${i}`, role: "standalone" }));
  }),
);
fieldCases(
  ["steps", 0, "timeout"],
  [
    ["timeout-600h", "600h"],
    ["timeout-huge", "99999999999999h"],
    ["timeout-empty", ""],
    ["timeout-negative", "-5s"],
  ],
);
fieldCases(["observe", "interval"], [["interval-0", "0s"]]);
fieldCases(
  ["observe", "probes", 1, "match"],
  [
    ["regex-backtrack", "(a+)+$"],
    ["regex-backreference", "(a)\\1"],
    ["regex-lookahead", "(?=a)a"],
    ["regex-unclosed", "(a"],
    ["regex-huge", "a".repeat(100_000)],
  ],
);
fieldCases(
  ["nodes", 0, "memory"],
  [
    ["memory-huge", "1000000G"],
    ["memory-zero", "0M"],
  ],
);
fieldCases(["nodes", 0, "cpus"], [["cpus-10000", 10_000]]);
fieldCases(
  ["links"],
  (
    [
      ["link-javascript", "javascript:alert(1)"],
      ["link-file", "file:///etc/passwd"],
      ["link-data", "data:text/html,<script>alert(1)</script>"],
    ] as const
  ).map(([name, link]) => [name, [link]]),
);
fieldCases(
  ["description"],
  [
    ["description-nul", "a\u0000b"],
    ["description-esc", "a\u001b[2Jb"],
    ["description-bel", "a\u0007b"],
    ["description-huge", "x".repeat(200_000)],
  ],
);
fieldCases(
  ["runtime", "runc", "source"],
  (
    [
      ["file-shadow-relative", "../../../../etc/shadow"],
      ["file-shadow-absolute", "/etc/shadow"],
      ["file-missing", "./no-such-runc"],
      ["file-injection", "./x;touch /tmp/pwned"],
    ] as const
  ).map(([name, p]) => [name, { from: "file", path: p, sha256: "0".repeat(64) }]),
);
textCase(
  "key-outside",
  set((d) => {
    at(d, ["runtime", "containerd"]).source = {
      from: "apt",
      repo: { url: "https://example.org/debian", suite: "stable", component: "main", key: "/etc/shadow" },
      version: "1.7.24*",
    };
  }),
);
textCase("proto-key", base.replace("tags: [fixture]", "tags: [fixture]\n__proto__: {polluted: true}"));
textCase("constructor-key", base.replace("tags: [fixture]", "tags: [fixture]\nconstructor: {x: 1}"));
textCase("collection-key", base.replace("tags: [fixture]", "tags: [fixture]\n? {a: 1}\n: 1"));
textCase("duplicate-key", base.replace("tags: [fixture]", "tags: [fixture]\nimage: debian-12"));
textCase("unknown-key", base.replace("tags: [fixture]", "tags: [fixture]\nsurprise: 1"));
textCase("js-tag", base.replace("description: A hostile fixture.", "description: !!js/function 'x'"));
textCase("binary-tag", base.replace("description: A hostile fixture.", "description: !!binary aGVsbG8="));
textCase(
  "alias-bomb",
  `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n${base}`,
);
textCase("deep-nesting", `${"[".repeat(5_000)}${"]".repeat(5_000)}\n`);
textCase("deep-mapping", `${Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")} 1\n`);
textCase("big-file", `${base}# ${"x".repeat(2 * 1024 * 1024)}\n`);
textCase("latin1", Buffer.from(base.replace("A hostile fixture.", "Caf\u00e9"), "latin1"));
textCase("bom", `\uFEFF${base}`);
textCase("crlf", base.replace(/\n/g, "\r\n"));
textCase("tabs", base.replace("  - name: node1", "\t- name: node1"));
textCase("empty", "");
textCase("only-comment", "# nothing\n");
textCase("list-top", "- a\n- b\n");
textCase("scalar-top", "hello\n");
textCase("number-name", base.replace("name: hostile", "name: 12345"));
textCase("bool-name", base.replace("name: hostile", "name: true"));
textCase("null-nodes", base.replace(/nodes:\n(.*\n){4}/, "nodes: ~\n"));
textCase("huge-int", base.replace("cpus: 1", `cpus: ${"9".repeat(400)}`));
textCase("float-cpus", base.replace("cpus: 1", "cpus: 1.5"));
textCase("negative-cpus", base.replace("cpus: 1", "cpus: -1"));
textCase("kernel-arg-injection", base.replace("cpus: 1", "cpus: 1\n    kernelArgs: ['a; reboot']"));
textCase("two-docs", `${base}---\n${base}`);
/** A special file in place of a scenario: `make` creates it at the path. */
const specialCase = (name: string, make: (file: string) => void) =>
  cases.push({
    name,
    write: (dir) => {
      const file = path.join(dir, `${name}.yaml`);
      make(file);
      return file;
    },
  });
specialCase("fifo", (f) => execaSync("mkfifo", [f]));
specialCase("link-to-dev-zero", (f) => symlinkSync("/dev/zero", f));
specialCase("directory", (f) => mkdirSync(f));
specialCase("link-to-shadow", (f) => symlinkSync("/etc/shadow", f));

type Outcome =
  "refused at field" | "refused, place only" | "refused, no place" | "accepted" | "internal error" | "hung";

async function classify(file: string): Promise<{ outcome: Outcome; detail: string }> {
  const validate = await execa("node", ["bin/harness.js", "validate", file], {
    cwd: repo,
    reject: false,
    timeout: 60_000,
    env: { CI: "true" },
  });
  const err = `${validate.stderr}`;
  const first = err.split("\n").find((l) => l.trim() !== "") ?? "";
  if (validate.timedOut) return { outcome: "hung", detail: "validate ran 60 s" };
  if (/internal error|\n\s+at /.test(err)) return { outcome: "internal error", detail: first };
  if (validate.exitCode === 0) {
    const plan = await execa("node", ["bin/harness.js", "plan", file], {
      cwd: repo,
      reject: false,
      timeout: 60_000,
    });
    if (plan.timedOut) return { outcome: "hung", detail: "plan ran 60 s" };
    if (plan.exitCode !== 0)
      return { outcome: "internal error", detail: `plan: ${plan.stderr.split("\n")[0]}` };
    return { outcome: "accepted", detail: validate.stdout.trim() };
  }
  const located = /:\d+:\d+: /.test(first);
  if (!located) return { outcome: "refused, no place", detail: first };
  return {
    outcome: /:\d+:\d+: [A-Za-z_$][\w.[\]$]*: /.test(first) ? "refused at field" : "refused, place only",
    detail: first.slice(0, 160),
  };
}

const dir = mkdtempSync(path.join(tmpdir(), "hostile-bench-"));
const counts = new Map<Outcome, number>();
try {
  for (const c of cases) {
    const file = c.write(dir);
    const { outcome, detail } = await classify(file);
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    console.log(`${c.name.padEnd(42)} ${outcome.padEnd(20)} ${detail.replaceAll(dir, "<dir>")}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\n${cases.length} hostile files:`);
for (const [outcome, n] of counts) console.log(`  ${outcome}: ${n}`);
