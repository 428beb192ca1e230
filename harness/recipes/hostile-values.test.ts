// Hostile strings in every string field of the catalog's scenarios (user scripts, `run`, excepted: they are shell
// by design). Each value is refused at its field's file:line:col, or, when accepted, reaches the rendered scripts,
// log commands and probe commands only encoded: every changed script still parses (`bash -n`), the canary never
// stands outside single quotes or a quoted heredoc, and every heredoc (unit, YAML, JSON) keeps the structure the
// recipe gave it (no free text at all in a systemd unit).
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { ScenarioError } from "../errors.ts";
import type { Plan } from "../plan/plan.ts";
import { planCell } from "../plan/planner.ts";
import { catalogFiles } from "../scenario/catalog.ts";
import { formatPath, loadScenario, scenarioFromBytes } from "../scenario/load.ts";
import { expandMatrix } from "../scenario/matrix.ts";
import { defaultRecipes } from "./index.ts";
import { hostileCanary as canary, hostileValues } from "./testing/hostile-values.ts";

/** Scenarios that set the optional string fields no catalog scenario uses. */
const fixtureFiles = ["cri-dockerd.yaml", "containerd.yaml"].map((f) =>
  path.join(import.meta.dirname, "fixtures", "every-string-field", f),
);

type Path = (string | number)[];

/** Every string leaf of a parsed scenario, except user scripts. */
function stringLeaves(value: unknown, at: Path = []): Path[] {
  if (typeof value === "string") return at.at(-1) === "run" ? [] : [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...at, i]));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]));
  return [];
}

function withValue(raw: unknown, at: Path, value: string): unknown {
  const copy = structuredClone(raw) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of at.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[at.at(-1)!] = value;
  return copy;
}

/** Every shell text a plan runs on a guest, by a stable id. */
function shellTexts(plans: Plan[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const plan of plans) {
    for (const step of plan.phases.flatMap((p) => p.steps)) {
      if (step.kind === "script")
        for (const r of step.runs) texts.set(`${plan.cellId} ${step.id} ${r.node}`, r.script);
      if (step.kind === "collect-logs")
        for (const r of step.runs)
          for (const f of r.files) texts.set(`${plan.cellId} ${step.id} ${r.node} ${f.name}`, f.command);
    }
    for (const p of plan.probes)
      if (p.command !== null) texts.set(`${plan.cellId} probe ${p.name} ${p.node}`, p.command);
  }
  return texts;
}

/** A heredoc's body and its marker without the `_N` suffix `heredoc()` may add. */
interface Heredoc {
  marker: string;
  body: string;
}

/**
 * Splits bash text into what the shell would read as code (outside single quotes and quoted heredoc bodies, with
 * comments dropped) and the heredoc bodies. Double-quoted text counts as code: `$(...)` runs there.
 */
function scanShell(text: string): { code: string; heredocs: Heredoc[] } {
  let code = "";
  const heredocs: Heredoc[] = [];
  const pending: { word: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") {
      code += text.slice(i, i + 2);
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      i = end === -1 ? text.length : end + 1;
      code += "''";
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (text.startsWith("<<", i) && text[i + 2] !== "<") {
      const m = /^<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(text.slice(i));
      if (m) {
        pending.push({ word: m[2]!, quoted: m[1] !== "" });
        code += "<<";
        i += m[0].length;
      } else {
        code += c;
        i++;
      }
    } else if (c === "\n" && pending.length > 0) {
      i++;
      for (const { word, quoted } of pending.splice(0)) {
        const lines: string[] = [];
        while (i < text.length) {
          const end = text.indexOf("\n", i);
          const line = text.slice(i, end === -1 ? text.length : end);
          i = end === -1 ? text.length : end + 1;
          if (line === word) break;
          lines.push(line);
        }
        const body = lines.join("\n");
        if (!quoted) code += body;
        heredocs.push({ marker: word.replace(/_\d+$/, ""), body });
      }
      code += "\n";
    } else {
      code += c;
      i++;
    }
  }
  return { code, heredocs };
}

/** The part of a heredoc body that must not change with a value: unit directives, YAML/JSON key paths, lines. */
function structureOf(h: Heredoc): string {
  if (h.marker === "UNIT")
    return h.body
      .split("\n")
      .filter((l) => /^\[.*\]$/.test(l) || /^[A-Za-z]+=/.test(l))
      .map((l) => (l.startsWith("[") ? l : l.slice(0, l.indexOf("="))))
      .join(" ");
  if (h.marker === "YAML" || h.marker === "JSON") {
    const keys = (v: unknown, at: string): string[] =>
      Array.isArray(v)
        ? v.flatMap((x) => keys(x, `${at}[]`))
        : v !== null && typeof v === "object"
          ? Object.entries(v).flatMap(([k, x]) => [`${at}.${k}`, ...keys(x, `${at}.${k}`)])
          : [];
    const docs = parseAllDocuments(h.body).map((d) => {
      if (d.errors.length > 0)
        throw new Error(`${h.marker} heredoc no longer parses: ${d.errors[0]?.message}`);
      return d.toJS() as unknown;
    });
    return docs.flatMap((d) => keys(d, "")).join(" ");
  }
  return `${h.body.split("\n").length} lines`;
}

async function bashParses(text: string): Promise<string | null> {
  const r = await execa("bash", ["-n"], { input: text, reject: false });
  return r.exitCode === 0 ? null : r.stderr.trim();
}

describe("hostile values in every field of the catalog (rendered scripts checked with bash -n)", () => {
  it("are refused at the field's location, or reach guest shell text only encoded", async () => {
    const outcomes = { refused: 0, accepted: 0 };
    const failures: string[] = [];
    const seenFields = new Set<string>();
    for (const file of [...(await catalogFiles()), ...fixtureFiles]) {
      const loaded = await loadScenario(file);
      const benign = shellTexts(expandMatrix(loaded).map((c) => planCell(c, defaultRecipes)));
      for (const at of stringLeaves(loaded.raw)) {
        const field = formatPath(at.map((s) => (typeof s === "number" ? 0 : s)));
        if (seenFields.has(field)) continue;
        seenFields.add(field);
        for (const value of hostileValues) {
          const where = `${file} ${formatPath(at)} = ${JSON.stringify(value)}`;
          const text = stringify(withValue(loaded.raw, at, value));
          let plans: Plan[];
          try {
            plans = expandMatrix(scenarioFromBytes(file, Buffer.from(text))).map((c) =>
              planCell(c, defaultRecipes),
            );
          } catch (err) {
            if (!(err instanceof ScenarioError)) {
              failures.push(`${where}: ${(err as Error).message.split("\n")[0]} (not a ScenarioError)`);
              continue;
            }
            outcomes.refused++;
            if (!err.issues.every((i) => i.line > 0 && i.col > 0 && i.path !== ""))
              failures.push(`${where}: refused without a location and field: ${err.message}`);
            continue;
          }
          outcomes.accepted++;
          for (const [id, shell] of shellTexts(plans)) {
            const before = benign.get(id);
            if (shell === before) continue;
            const parseError = await bashParses(shell);
            if (parseError !== null) failures.push(`${where}: ${id} no longer parses: ${parseError}`);
            const scanned = scanShell(shell);
            if (scanned.code.includes(canary)) failures.push(`${where}: ${id} has the value as shell code`);
            if (before === undefined) continue;
            const was = scanShell(before).heredocs;
            if (was.length !== scanned.heredocs.length) {
              failures.push(`${where}: ${id} has ${scanned.heredocs.length} heredocs, not ${was.length}`);
              continue;
            }
            scanned.heredocs.forEach((h, n) => {
              // systemd expands `$VAR` and `%` specifiers in a unit's values: no free text belongs there.
              if (h.marker === "UNIT" && h.body.includes(canary))
                failures.push(`${where}: ${id} has the value in a systemd unit`);
              try {
                if (structureOf(h) !== structureOf(was[n]!))
                  failures.push(`${where}: ${id} heredoc ${h.marker} changed structure`);
              } catch (err) {
                failures.push(`${where}: ${id}: ${(err as Error).message}`);
              }
            });
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.accepted).toBeGreaterThan(0);
  }, 120_000);
});

describe("the shell scan the hostile-values test relies on", () => {
  it("sees a value that ended a heredoc early, or left its quotes, as code", () => {
    const injected = `cat > /etc/x.service <<'UNIT'\nExecStart=/bin/x\nUNIT\ntouch /tmp/${canary}\nUNIT\n`;
    expect(scanShell(injected).code).toContain(canary);
    expect(scanShell(`echo 'x'; touch /tmp/${canary}; echo ''`).code).toContain(canary);
    expect(scanShell(`echo "$(touch /tmp/${canary})"`).code).toContain(canary);
  });

  it("sees single-quoted values, quoted heredoc bodies and comments as data", () => {
    const safe = `echo 'x'\\''; touch /tmp/${canary}'\ncat > f <<'UNIT_1'\nUNIT\n${canary}\nUNIT_1\n# ${canary}\n`;
    const scanned = scanShell(safe);
    expect(scanned.code).not.toContain(canary);
    expect(scanned.heredocs).toEqual([{ marker: "UNIT", body: `UNIT\n${canary}` }]);
  });

  it("tells a unit with an added directive from the recipe's", () => {
    const unit = (body: string) => structureOf({ marker: "UNIT", body });
    expect(unit("[Service]\nExecStart=/bin/x")).not.toBe(
      unit("[Service]\nExecStart=/bin/x\nExecStartPre=/bin/y"),
    );
  });
});
