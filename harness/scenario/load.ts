// Reads a scenario file: size limit, YAML with positions, alias-bomb guard, schema validation, local files that
// exist, all errors at once.
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { isScalar, LineCounter, parseDocument, visit } from "yaml";
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import { scenarioSchema, type Scenario } from "./schema.ts";
import { isInside, localFileProblems } from "./local-files.ts";
import { SourceMap } from "./source-map.ts";
import { toFieldProblems, type FieldProblem } from "./zod-issues.ts";

/** A problem with the file as a whole (its kind, size, encoding or top level), placed at its first position. */
function wholeFileError(file: string, message: string): ScenarioError {
  return new ScenarioError([{ file, line: 1, col: 1, path: "", message }]);
}

/** Largest scenario file accepted; anything bigger is a mistake or an attack. */
export const maxScenarioBytes = 1024 * 1024;

/** Most alias expansions a scenario file may use (guards against "billion laughs"). */
export const maxAliasCount = 100;

/** A scenario file that parsed and validated, with what is needed to locate fields later. */
export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  /** The plain data as written (before defaults), for matrix overrides. */
  raw: Record<string, unknown>;
  source: SourceMap;
}

/** Formats a dotted/indexed field path: `nodes[1].role`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc === "" ? seg : `${acc}.${seg}`),
    "",
  );
}

/** Locates field problems in the file. */
export function locate(file: string, source: SourceMap, problems: FieldProblem[]): ScenarioIssue[] {
  return problems.map((p) => {
    const pos =
      p.unknownKey !== undefined ? source.keyAt(p.path.slice(0, -1), p.unknownKey) : source.valueAt(p.path);
    return { file, ...pos, path: formatPath(p.path), message: p.message };
  });
}

/** Keys that would reach an object's prototype machinery instead of a field; refused wherever they appear. */
const reservedKeys = new Set(["__proto__", "constructor", "prototype"]);

/** The text of a scenario file's bytes, or the line and column of the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Buffer): { text: string } | { line: number; col: number; byte: number } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    // Find the first byte the decoder refuses, one byte at a time (only on this error path).
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < bytes.length; i++) {
      try {
        decoder.decode(bytes.subarray(i, i + 1), { stream: true });
      } catch {
        let start = i;
        while (start > lineStart && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
        // A byte refused after an unfinished sequence: the sequence's lead byte is the one at fault.
        let lead = i - 1;
        while (lead > lineStart && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
        const b = bytes[lead] ?? 0;
        const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        if (start === i && lead >= lineStart && b >= 0xc0 && i - lead < length) start = lead;
        return { line, col: start - lineStart + 1, byte: bytes[start] ?? 0 };
      }
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, col: bytes.length - lineStart + 1, byte: bytes[bytes.length - 1] ?? 0 };
  }
}

/** Parses YAML text into plain data with a source map; throws ScenarioError with every syntax error. */
export function parseScenarioText(file: string, text: string): { raw: unknown; source: SourceMap } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => ({
        file,
        ...lines.linePos(e.pos[0]),
        path: "",
        message: /Maximum call stack/.test(e.message)
          ? "YAML nests too deep to read: a scenario is a few levels of mappings and lists"
          : `YAML syntax: ${e.message.split("\n")[0] ?? e.message}`,
      })),
    );
  }
  // An unknown tag (`!!js/function`, `!custom`) would silently become a string: a scenario is plain YAML.
  const unknownTags = doc.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED");
  if (unknownTags.length > 0) {
    throw new ScenarioError(
      unknownTags.map((w) => ({
        file,
        ...lines.linePos(w.pos[0]),
        path: "",
        message: `YAML tag ${text.slice(w.pos[0], w.pos[1])} is not allowed: a scenario holds plain values; remove the tag`,
      })),
    );
  }
  const keyProblems: ScenarioIssue[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as { range?: [number, number, number] } | null;
      if (key !== null && !isScalar(key) && key.range)
        keyProblems.push({
          file,
          ...lines.linePos(key.range[0]),
          path: "",
          message:
            "a key must be a plain word, not a mapping or a list (`? {...}` / `? [...]`): write the field's name",
        });
      if (isScalar(pair.key) && reservedKeys.has(String(pair.key.value)) && pair.key.range)
        keyProblems.push({
          file,
          ...lines.linePos(pair.key.range[0]),
          path: "",
          message: `the key ${String(pair.key.value)} is not a scenario field and cannot be one (it names a JavaScript object's internals): remove it`,
        });
    },
  });
  if (keyProblems.length > 0) throw new ScenarioError(keyProblems);
  const source = new SourceMap(doc, lines);
  try {
    return { raw: doc.toJS({ maxAliasCount }) as unknown, source };
  } catch (err) {
    if (err instanceof ReferenceError) {
      throw wholeFileError(
        file,
        `YAML aliases expand too far (more than ${maxAliasCount} expansions): refusing a possible alias bomb; write the values out`,
      );
    }
    throw err;
  }
}

/** Validates parsed data against the schema; throws ScenarioError listing every problem. */
export function validateScenarioData(file: string, raw: unknown, source: SourceMap): Scenario {
  if (raw === null || raw === undefined) {
    throw wholeFileError(
      file,
      "file is empty: a scenario needs at least name, description, image, nodes, runtime and expect",
    );
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw wholeFileError(file, "a scenario file must be a YAML mapping (key: value) at the top level");
  }
  const result = scenarioSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ScenarioError(locate(file, source, toFieldProblems(result.error.issues, scenarioSchema, raw)));
}

/** How a scenario file is loaded. */
export interface LoadOptions {
  /** `from: file` sources may name files outside the scenario's folder (`--allow-host-files`). */
  allowHostFiles?: boolean;
}

/** Loads and validates one scenario file. */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<LoadedScenario> {
  let bytes: number;
  try {
    if (!options.allowHostFiles && (await lstat(file)).isSymbolicLink()) {
      const real = await realpath(file);
      if (!isInside(real, await realpath(path.dirname(file))))
        throw wholeFileError(
          file,
          `is a link to ${real}, outside its folder: give the scenario file itself, or pass --allow-host-files`,
        );
    }
    const info = await stat(file);
    if (!info.isFile())
      throw wholeFileError(
        file,
        "is not a regular file (a directory, a device or a FIFO): give the path of a scenario's .yaml file",
      );
    bytes = info.size;
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    throw wholeFileError(file, "file not found or not readable");
  }
  if (bytes > maxScenarioBytes) {
    throw wholeFileError(
      file,
      `file is ${(bytes / 1024 / 1024).toFixed(1)} MB; scenario files are limited to ${maxScenarioBytes / 1024 / 1024} MB`,
    );
  }
  const loaded = scenarioFromBytes(file, await readFile(file));
  const fileProblems = await localFileProblems(file, loaded.scenario, options);
  if (fileProblems.length > 0) throw new ScenarioError(locate(file, loaded.source, fileProblems));
  return loaded;
}

/**
 * A scenario file's bytes, decoded, parsed and validated in memory (what loadScenario does after reading, before
 * it checks the host files the scenario names); throws ScenarioError with every problem.
 */
export function scenarioFromBytes(file: string, bytes: Buffer): LoadedScenario {
  const decoded = decodeUtf8(bytes);
  if (!("text" in decoded))
    throw new ScenarioError([
      {
        file,
        line: decoded.line,
        col: decoded.col,
        path: "",
        message: `is not UTF-8: byte 0x${decoded.byte.toString(16).padStart(2, "0")} here starts no UTF-8 character; save the file as UTF-8`,
      },
    ]);
  const { raw, source } = parseScenarioText(file, decoded.text);
  const scenario = validateScenarioData(file, raw, source);
  return { file, scenario, raw: raw as Record<string, unknown>, source };
}
