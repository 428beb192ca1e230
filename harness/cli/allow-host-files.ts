// The `--allow-host-files` flag: `from: file` sources may then name files outside the scenario's folder.
import { Option } from "commander";

/** A fresh option for each command that loads scenario files. */
export function allowHostFilesOption(): Option {
  return new Option(
    "--allow-host-files",
    "let `from: file` sources name files outside the scenario's folder (read, hashed and uploaded to the guests)",
  );
}
