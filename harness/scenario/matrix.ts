// Expands a scenario's matrix into cells with stable ids, applies include/exclude, and filters cells.
import { ScenarioError, UsageError, type ScenarioIssue } from "../errors.ts";
import { closestName } from "./did-you-mean.ts";
import { formatPath, locate, type LoadedScenario } from "./load.ts";
import { defaultMaxCells, matrixCellCeiling } from "./matrix-schema.ts";
import { scenarioSchema, type Scenario } from "./schema.ts";
import { toFieldProblems } from "./zod-issues.ts";

/** One runnable combination of a scenario's matrix. */
export interface ScenarioCell {
  /** Stable id: `name` or `name[axis=label,...]` in axis order. */
  id: string;
  scenarioName: string;
  file: string;
  /** Axis name -> chosen value label, in axis order. */
  labels: Record<string, string>;
  scenario: Scenario;
}

interface Override {
  path: string;
  value: unknown;
  /** Where in the file the override was written, for error messages. */
  origin: (string | number)[];
}

interface AxisChoice {
  label: string;
  overrides: Override[];
}

type Raw = Record<string, unknown>;

const forbiddenRoots = new Set(["name", "matrix", "$schema"]);

function splitPath(path: string): (string | number)[] {
  return path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function setPath(target: Raw, path: string, value: unknown): void {
  const segments = splitPath(path);
  let node: Record<string | number, unknown> = target;
  segments.forEach((seg, i) => {
    if (i === segments.length - 1) {
      node[seg] = structuredClone(value);
      return;
    }
    const next = node[seg];
    if (next === null || typeof next !== "object") node[seg] = typeof segments[i + 1] === "number" ? [] : {};
    node = node[seg] as Record<string | number, unknown>;
  });
}

function overridesFromSet(set: unknown, origin: (string | number)[]): Override[] {
  if (set === undefined || set === null || typeof set !== "object") return [];
  return Object.entries(set as Raw).map(([path, value]) => ({ path, value, origin: [...origin, path] }));
}

/** The choices of every axis, with labels and the overrides each implies. */
function axisChoices(loaded: LoadedScenario): Map<string, AxisChoice[]> {
  const axes = new Map<string, AxisChoice[]>();
  for (const [name, axis] of Object.entries(loaded.scenario.matrix?.axes ?? {})) {
    axes.set(
      name,
      axis.values.map((v, i) => {
        const origin = ["matrix", "axes", name, "values", i];
        if (typeof v === "object") {
          return {
            label: v.label,
            overrides: [
              { path: axis.path, value: v.value, origin: [...origin, "value"] },
              ...overridesFromSet(v.set, [...origin, "set"]),
            ],
          };
        }
        return { label: String(v), overrides: [{ path: axis.path, value: v, origin }] };
      }),
    );
  }
  return axes;
}

interface PendingCell {
  labels: Record<string, string>;
  overrides: Override[];
}

function cartesian(axes: Map<string, AxisChoice[]>): PendingCell[] {
  let cells: PendingCell[] = [{ labels: {}, overrides: [] }];
  for (const [name, choices] of axes) {
    cells = cells.flatMap((cell) =>
      choices.map((c) => ({
        labels: { ...cell.labels, [name]: c.label },
        overrides: [...cell.overrides, ...c.overrides],
      })),
    );
  }
  return cells;
}

function matches(cell: PendingCell, entry: Record<string, string>): boolean {
  return Object.entries(entry).every(([axis, label]) => cell.labels[axis] === label);
}

/** Cell id for a scenario name and its labels. */
export function cellId(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? name : `${name}[${parts.join(",")}]`;
}

/** How far a matrix may expand. */
export interface ExpandOptions {
  /** Most cells (default `defaultMaxCells`; `--max-cells`, at most `matrixCellCeiling`). */
  maxCells?: number;
}

/** Expands a loaded scenario into validated cells; throws ScenarioError with every problem in every cell. */
export function expandMatrix(loaded: LoadedScenario, options: ExpandOptions = {}): ScenarioCell[] {
  const { scenario, file, source } = loaded;
  const matrix = scenario.matrix;
  if (!matrix) return [{ id: scenario.name, scenarioName: scenario.name, file, labels: {}, scenario }];

  const issues: ScenarioIssue[] = [];
  const problem = (origin: (string | number)[], message: string, key?: string) => {
    const pos = key === undefined ? source.valueAt(origin) : source.keyAt(origin, key);
    issues.push({ file, ...pos, path: formatPath(key === undefined ? origin : [...origin, key]), message });
  };

  const maxCells = options.maxCells ?? defaultMaxCells;
  const tooMany = (count: number, what: string): never => {
    const pos = source.valueAt(["matrix", "axes"]);
    throw new ScenarioError([
      {
        file,
        ...pos,
        path: "matrix.axes",
        message: `${what} ${count} cells, more than the ${maxCells} allowed: pass --max-cells ${Math.min(count, matrixCellCeiling)} (at most ${matrixCellCeiling}), split the scenario, or drop values`,
      },
    ]);
  };
  const product = Object.values(matrix.axes).reduce((n, a) => n * a.values.length, 1);
  if (product > maxCells) tooMany(product, "the axes multiply to");

  const axes = axisChoices(loaded);
  const axisNames = [...axes.keys()];
  for (const [name, axis] of Object.entries(matrix.axes)) {
    const root = axis.path.split(".")[0] ?? "";
    if (forbiddenRoots.has(root)) problem(["matrix", "axes", name, "path"], `an axis cannot set ${root}`);
    const labels = axes.get(name)?.map((c) => c.label) ?? [];
    const dup = labels.find((l, i) => labels.indexOf(l) !== i);
    if (dup !== undefined) problem(["matrix", "axes", name, "values"], `duplicate value label "${dup}"`);
  }

  const checkEntry = (entry: Record<string, unknown>, origin: (string | number)[], allowSet: boolean) => {
    for (const [key, value] of Object.entries(entry)) {
      if (allowSet && key === "set") continue;
      const choices = axes.get(key);
      if (!choices) problem(origin, `unknown axis "${key}" (axes: ${axisNames.join(", ")})`, key);
      else if (!choices.some((c) => c.label === String(value)))
        problem(
          [...origin, key],
          `axis ${key} has no value "${String(value)}" (values: ${choices.map((c) => c.label).join(", ")})`,
        );
    }
  };

  let cells = cartesian(axes);
  matrix.exclude?.forEach((entry, i) => {
    checkEntry(entry, ["matrix", "exclude", i], false);
    const labels = Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, String(v)]));
    const before = cells.length;
    cells = cells.filter((c) => !matches(c, labels));
    if (before === cells.length) problem(["matrix", "exclude", i], "this exclude matches no cell");
  });
  matrix.include?.forEach((entry, i) => {
    const origin = ["matrix", "include", i];
    checkEntry(entry, origin, true);
    const labels = Object.fromEntries(
      Object.entries(entry)
        .filter(([k]) => k !== "set")
        .map(([k, v]) => [k, String(v)]),
    );
    const extra = overridesFromSet(entry.set, [...origin, "set"]);
    const hits = cells.filter((c) => matches(c, labels));
    if (hits.length > 0) {
      hits.forEach((c) => c.overrides.push(...extra));
    } else if (Object.keys(labels).length === axisNames.length) {
      const overrides = axisNames.flatMap(
        (a) => axes.get(a)?.find((c) => c.label === labels[a])?.overrides ?? [],
      );
      const ordered = Object.fromEntries(axisNames.map((a) => [a, labels[a] ?? ""]));
      cells.push({ labels: ordered, overrides: [...overrides, ...extra] });
    } else {
      problem(origin, "this include matches no cell; name a value for every axis to add a new cell");
    }
  });
  const setRoots = new Set<string>();
  for (const o of cells.flatMap((c) => c.overrides)) {
    const root = o.path.split(".")[0] ?? "";
    const at = formatPath(o.origin);
    if (forbiddenRoots.has(root) && !setRoots.has(at)) {
      setRoots.add(at);
      problem(o.origin, `a matrix value cannot set ${root} (every cell is the scenario ${scenario.name})`);
    }
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  if (cells.length > maxCells) tooMany(cells.length, "with its includes the matrix has");
  if (cells.length === 0)
    throw new ScenarioError([
      {
        file,
        ...source.valueAt(["matrix"]),
        path: "matrix",
        message: "the matrix has no cells left after exclude",
      },
    ]);

  const failing = new Map<string, { issue: ScenarioIssue; cells: string[] }>();
  const result: ScenarioCell[] = [];
  for (const cell of cells) {
    const raw = structuredClone(loaded.raw);
    delete raw.matrix;
    for (const o of cell.overrides) setPath(raw, o.path, o.value);
    const id = cellId(scenario.name, cell.labels);
    const parsed = scenarioSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = toFieldProblems(parsed.error.issues, scenarioSchema, raw).map((p) => {
        const owner = [...cell.overrides]
          .reverse()
          .find((o) => formatPath(p.path).startsWith(formatPath(splitPath(o.path))));
        return owner ? { path: owner.origin, message: `${formatPath(p.path)}: ${p.message}` } : p;
      });
      for (const issue of locate(file, source, problems)) {
        const key = `${issue.line}:${issue.col}:${issue.message}`;
        const same = failing.get(key);
        if (same) same.cells.push(id);
        else failing.set(key, { issue, cells: [id] });
      }
      continue;
    }
    result.push({
      id,
      scenarioName: scenario.name,
      file,
      labels: cell.labels,
      scenario: { ...parsed.data, matrix: scenario.matrix },
    });
  }
  // One problem per place, naming the first cell it occurs in and how many others share it.
  for (const { issue, cells: ids } of failing.values()) {
    const more = ids.length > 1 ? ` and ${ids.length - 1} more cell${ids.length > 2 ? "s" : ""}` : "";
    issues.push({ ...issue, message: `${issue.message} (in cell ${ids[0]}${more})` });
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return result;
}

/** Selects cells by exact id (`--cell`) and by `axis=label` filters (`--filter`, all must match). */
export function filterCells(
  cells: ScenarioCell[],
  options: { cell?: string; filters?: string[] },
): ScenarioCell[] {
  let selected = cells;
  if (options.cell !== undefined) selected = selected.filter((c) => c.id === options.cell);
  for (const filter of options.filters ?? []) {
    const eq = filter.indexOf("=");
    if (eq <= 0)
      throw new UsageError(
        `--filter ${filter}: expected axis=value`,
        "for example --filter containerd=1.7.24",
      );
    const axis = filter.slice(0, eq);
    const label = filter.slice(eq + 1);
    selected = selected.filter((c) => c.labels[axis] === label);
  }
  if (selected.length === 0) {
    const known = cells.map((c) => `  ${c.id}`).join("\n");
    const guess =
      options.cell === undefined
        ? null
        : closestName(
            options.cell,
            cells.map((c) => c.id),
          );
    throw new UsageError(
      `no cell matches ${[options.cell, ...(options.filters ?? [])].filter(Boolean).join(" ")}`,
      `${guess === null ? "" : `did you mean ${guess}? `}cells are:\n${known}`,
    );
  }
  return selected;
}
