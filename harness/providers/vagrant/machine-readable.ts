// Parser of vagrant's `--machine-readable` output: `timestamp,target,type,data...` with escaped commas and newlines.

/** One machine-readable line. */
export interface MachineReadableRow {
  timestamp: number;
  /** The machine name, or "" for project-wide rows (e.g. `ui`). */
  target: string;
  type: string;
  /** The data fields, unescaped: `%!(VAGRANT_COMMA)` back to `,`, literal `\n` / `\r` back to newlines. */
  data: string[];
}

/** A machine's status from `vagrant status --machine-readable`. */
export interface VagrantMachineStatus {
  name: string;
  /** Provider-specific: `running`, `shutoff` (libvirt), `poweroff` (virtualbox), `not_created`, ... */
  state: string;
  /** The provider vagrant reports for the machine, or "" when it printed none. */
  provider: string;
}

/** Reads every `timestamp,target,type,data...` line; other lines (plugin warnings, blank lines) are skipped. */
export function parseMachineReadable(text: string): MachineReadableRow[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const match = /^(\d+),([^,]*),([^,]+),?(.*)$/.exec(line);
    if (!match) return [];
    const [, timestamp = "0", target = "", type = "", rest = ""] = match;
    return [{ timestamp: Number(timestamp), target, type, data: rest.split(",").map(unescapeField) }];
  });
}

/** Folds `status --machine-readable` rows into one status per machine, in the order vagrant printed them. */
export function parseVagrantStatus(text: string): VagrantMachineStatus[] {
  const machines = new Map<string, VagrantMachineStatus>();
  for (const row of parseMachineReadable(text)) {
    if (row.target === "") continue;
    const machine = machines.get(row.target) ?? { name: row.target, state: "", provider: "" };
    machines.set(row.target, machine);
    if (row.type === "state") machine.state = row.data[0] ?? "";
    else if (row.type === "provider-name") machine.provider = row.data[0] ?? "";
    else if (row.type === "metadata" && row.data[0] === "provider" && machine.provider === "")
      machine.provider = row.data[1] ?? "";
  }
  return [...machines.values()];
}

function unescapeField(field: string): string {
  return field.replaceAll("%!(VAGRANT_COMMA)", ",").replaceAll("\\n", "\n").replaceAll("\\r", "\r");
}
