// Parser of `vagrant ssh-config` output (OpenSSH client config blocks), read once after `vagrant up`.

/** One `Host` block: how vagrant itself reaches a machine. */
export interface SshConfigHost {
  /** The `Host` alias: vagrant prints the machine name. */
  host: string;
  hostName: string;
  /** 22 when the block has no Port line. */
  port: number;
  /** null when the block has no User line. */
  user: string | null;
  /** Every non-empty IdentityFile, quotes removed; may be empty or Windows-style paths. */
  identityFiles: string[];
}

/** Reads every Host block; keys are case-insensitive, lines before the first Host and unknown keys are ignored. */
export function parseSshConfig(text: string): SshConfigHost[] {
  const hosts: SshConfigHost[] = [];
  let current: SshConfigHost | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(\S+?)(?:\s*=\s*|\s+|$)(.*)$/.exec(line);
    const key = match?.[1]?.toLowerCase();
    const value = unquote(match?.[2]?.trim() ?? "");
    if (key === "host") {
      current = { host: value, hostName: value, port: 22, user: null, identityFiles: [] };
      hosts.push(current);
      continue;
    }
    if (current === null) continue;
    if (key === "hostname" && value !== "") current.hostName = value;
    else if (key === "port" && /^\d+$/.test(value)) current.port = Number(value);
    else if (key === "user" && value !== "") current.user = value;
    else if (key === "identityfile" && value !== "") current.identityFiles.push(value);
  }
  return hosts;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
