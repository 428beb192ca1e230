// Parser of `multipass version` text output: client and daemon versions, whatever the spacing and suffix.

/** Client and daemon versions; `daemon` is null when multipassd did not answer. */
export interface MultipassVersion {
  client: string | null;
  daemon: string | null;
}

/** Reads `multipass  1.14.0` / `multipassd 1.14.0+mac` lines; ignores update notices around them. */
export function parseMultipassVersion(text: string): MultipassVersion {
  const version = (program: string): string | null => {
    const match = new RegExp(`^\\s*${program}\\s+(\\S+)\\s*$`, "m").exec(text);
    return match?.[1] ?? null;
  };
  return { client: version("multipass"), daemon: version("multipassd") };
}
