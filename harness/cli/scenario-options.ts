// Options of the commands that load scenario files: `--allow-host-files` and `--max-cells`.
import { InvalidArgumentError, Option } from "commander";
import { defaultMaxCells, matrixCellCeiling } from "../scenario/matrix-schema.ts";

/** `--allow-host-files`: `from: file` sources and keyrings may name files outside the scenario's folder. */
export function allowHostFilesOption(): Option {
  return new Option(
    "--allow-host-files",
    "let `from: file` sources name files outside the scenario's folder (read, hashed and uploaded to the guests)",
  );
}

/** `--max-cells <n>`: how many cells a matrix may expand to. */
export function maxCellsOption(): Option {
  return new Option("--max-cells <n>", `most cells a matrix may expand to (at most ${matrixCellCeiling})`)
    .argParser((v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > matrixCellCeiling)
        throw new InvalidArgumentError(`must be a whole number from 1 to ${matrixCellCeiling}`);
      return n;
    })
    .default(defaultMaxCells);
}
