// The matrix: axes that override scenario fields, with include/exclude like GitHub Actions.
import { z } from "zod";
import { safeLabel } from "./identifiers.ts";

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Dotted paths into the scenario, e.g. `image` or `runtime.containerd.source.version`. */
const fieldPath = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*|\.\d+)*$/,
    "must be a dotted field path like runtime.containerd.source",
  );

/** Overrides applied to a cell: field path -> value. */
const overrides = z.record(fieldPath, z.unknown());

/** One value of an axis: a scalar (its own label), or a labelled value with extra overrides. */
const axisValue = z.union([
  scalar,
  z.strictObject({
    label: safeLabel,
    value: z.unknown(),
    set: overrides.optional().describe("Further fields to override when this value is chosen"),
  }),
]);

/** Most cells a matrix may expand to unless `--max-cells` says more; checked before anything is expanded. */
export const defaultMaxCells = 256;

/** The most `--max-cells` may allow: the schema refuses larger matrices outright. */
export const matrixCellCeiling = 4096;

/** One axis: the field it sets and the values it takes. */
const axis = z.strictObject({
  path: fieldPath,
  values: z.array(axisValue).min(1).max(matrixCellCeiling),
});

/** The matrix of a scenario. */
export const matrixSpec = z.strictObject({
  axes: z
    .record(safeLabel, axis)
    .refine((a) => Object.keys(a).length > 0, "needs at least one axis")
    .refine((a) => Object.keys(a).length <= 8, "at most 8 axes")
    .refine(
      (a) => Object.values(a).reduce((n, x) => n * x.values.length, 1) <= matrixCellCeiling,
      `the axes multiply to more than ${matrixCellCeiling} cells, the most --max-cells allows: split the scenario, or drop values`,
    ),
  include: z
    .array(z.record(z.string(), z.unknown()))
    .max(matrixCellCeiling)
    .optional()
    .describe("Cells to add, as axis=label maps (an optional `set` adds overrides)"),
  exclude: z
    .array(z.record(safeLabel, scalar))
    .max(matrixCellCeiling)
    .optional()
    .describe("Cells to drop, as partial axis=label maps"),
});

/** A parsed matrix. */
export type MatrixSpec = z.infer<typeof matrixSpec>;

/** One parsed axis value. */
export type AxisValue = z.infer<typeof axisValue>;
