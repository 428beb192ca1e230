// Turns zod issues into short, human messages with a field path and did-you-mean hints.
import type { z } from "zod";
import { closestName } from "./did-you-mean.ts";

/** One validation problem: where (path) and what. */
export interface FieldProblem {
  path: (string | number)[];
  message: string;
  /** Set when the problem is an unknown key: position the message at that key. */
  unknownKey?: string;
}

type Issue = z.core.$ZodIssue;
type Def = { type: string } & Record<string, unknown>;

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Follows optional/default/pipe wrappers down to the schema that does the work. */
function unwrap(schema: unknown): unknown {
  let s = schema;
  for (let def = defOf(s); def; def = defOf(s)) {
    if (["optional", "default", "prefault", "nullable", "readonly", "catch"].includes(def.type))
      s = def.innerType;
    else if (def.type === "pipe") s = def.in;
    else break;
  }
  return s;
}

/** The keys an object schema at `path` accepts, following the data through discriminated unions. */
export function allowedKeysAt(root: unknown, path: readonly (string | number)[], data: unknown): string[] {
  let schema = unwrap(root);
  let value = data;
  for (const segment of [...path, null]) {
    const def = defOf(schema);
    if (!def) return [];
    if (def.type === "union") {
      const options = def.options as unknown[];
      const disc = def.discriminator as string | undefined;
      const tag =
        disc && value && typeof value === "object" ? (value as Record<string, unknown>)[disc] : undefined;
      const objectOptions = options.map(unwrap).filter((o) => defOf(o)?.type === "object");
      const chosen =
        objectOptions.find((o) => {
          const shape = defOf(o)?.shape as Record<string, unknown>;
          const lit = defOf(unwrap(disc ? shape[disc] : undefined));
          return lit && (lit.values as unknown[] | undefined)?.includes(tag);
        }) ?? objectOptions[0];
      if (!chosen) return [];
      schema = chosen;
    }
    const current = defOf(schema);
    if (segment === null) return current?.type === "object" ? Object.keys(current.shape as object) : [];
    if (current?.type === "object") schema = unwrap((current.shape as Record<string, unknown>)[segment]);
    else if (current?.type === "array") schema = unwrap(current.element);
    else if (current?.type === "record") schema = unwrap(current.valueType);
    else return [];
    value =
      value && typeof value === "object" ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  return [];
}

/** ` (did you mean "x"?)` when a string value is close to one of the allowed values. */
function suggestion(value: unknown, allowed: readonly string[]): string {
  if (typeof value !== "string") return "";
  const guess = closestName(value, allowed);
  return guess === null ? "" : ` (did you mean "${guess}"?)`;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const s of path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[s] : undefined;
  return v;
}

const typeNames: Record<string, string> = { object: "a mapping", array: "a list", int: "an integer" };

/** Of a union's branches, the one whose problems say most about what the author meant. */
function bestBranch(branches: Issue[][]): Issue[] {
  const shallow = (issues: Issue[]) =>
    issues.filter((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value"))
      .length;
  const sorted = [...branches].sort((a, b) => shallow(a) - shallow(b) || a.length - b.length);
  return sorted[0] ?? [];
}

function unionExpectation(branches: Issue[][]): string {
  const parts = branches.flatMap((b) =>
    b
      .filter((i) => i.path.length === 0)
      .map((i) => {
        if (i.code === "invalid_value") return i.values.map((v) => JSON.stringify(v)).join(" or ");
        if (i.code === "invalid_type") return typeNames[i.expected] ?? `a ${i.expected}`;
        return undefined;
      }),
  );
  return [...new Set(parts.filter((p): p is string => p !== undefined))].join(" or ");
}

/** Flattens zod issues (descending into unions) into field problems with readable messages. */
export function toFieldProblems(
  issues: readonly Issue[],
  root: unknown,
  data: unknown,
  prefix: (string | number)[] = [],
): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    const value = valueAt(data, path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          const allowed = allowedKeysAt(root, path, data);
          const hint =
            suggestion(key, allowed) !== ""
              ? suggestion(key, allowed)
              : allowed.length > 0
                ? ` (known keys: ${allowed.filter((k) => k !== "$schema").join(", ")})`
                : "";
          out.push({ path: [...path, key], message: `unknown key "${key}"${hint}`, unknownKey: key });
        }
        break;
      case "invalid_value":
        out.push({
          path,
          message: `expected ${issue.values.length > 1 ? "one of " : ""}${issue.values.map(String).join(", ")}, got ${describeType(value)}${suggestion(value, issue.values.map(String))}`,
        });
        break;
      case "invalid_type":
        out.push({
          path,
          message:
            value === undefined
              ? `is required (${typeNames[issue.expected] ?? `a ${issue.expected}`})`
              : `expected ${typeNames[issue.expected] ?? `a ${issue.expected}`}, got ${describeType(value)}`,
        });
        break;
      case "invalid_union": {
        const disc = (issue as { discriminator?: string }).discriminator;
        if (disc !== undefined && issue.errors.length === 0) {
          const unionPath = path[path.length - 1] === disc ? path.slice(0, -1) : path;
          const allowed = discriminatorValues(root, unionPath);
          out.push({
            path: [...unionPath, disc],
            message: `expected one of ${allowed.join(", ")}, got ${describeType(valueAt(data, [...unionPath, disc]))}${suggestion(valueAt(data, [...unionPath, disc]), allowed)}`,
          });
          break;
        }
        const branch = bestBranch(issue.errors);
        const shallow = branch.some(
          (i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value"),
        );
        if (shallow)
          out.push({
            path,
            message: `expected ${unionExpectation(issue.errors)}, got ${describeType(value)}`,
          });
        else out.push(...toFieldProblems(branch, root, data, path));
        break;
      }
      case "too_small":
        out.push({
          path,
          message:
            issue.origin === "array"
              ? issue.message.startsWith("Too small")
                ? `needs at least ${String(issue.minimum)} item(s)`
                : issue.message
              : issue.origin === "string"
                ? "must not be empty"
                : `must be at least ${String(issue.minimum)}, got ${describeType(value)}`,
        });
        break;
      case "too_big":
        out.push({ path, message: `must be at most ${String(issue.maximum)}, got ${describeType(value)}` });
        break;
      case "invalid_format":
        out.push({
          path,
          message: issue.message.startsWith("Invalid")
            ? `must be a valid ${issue.format}, got ${describeType(value)}`
            : `${issue.message}, got ${describeType(value)}`,
        });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** Values the discriminated union at `path` accepts for its discriminator. */
function discriminatorValues(root: unknown, path: readonly (string | number)[]): string[] {
  let schema = unwrap(root);
  for (const segment of path) {
    const def = defOf(schema);
    if (def?.type === "object") schema = unwrap((def.shape as Record<string, unknown>)[segment]);
    else if (def?.type === "array") schema = unwrap(def.element);
    else if (def?.type === "record") schema = unwrap(def.valueType);
    else if (def?.type === "union") {
      const next = (def.options as unknown[]).map(unwrap).find((o) => defOf(o)?.type === "object");
      schema = unwrap((defOf(next)?.shape as Record<string, unknown> | undefined)?.[segment]);
    } else return [];
  }
  const def = defOf(schema);
  if (def?.type !== "union") return [];
  const disc = def.discriminator as string;
  return (def.options as unknown[]).flatMap((o) => {
    const lit = defOf(unwrap((defOf(unwrap(o))?.shape as Record<string, unknown>)[disc]));
    return (lit?.values as unknown[] | undefined)?.map(String) ?? [];
  });
}
