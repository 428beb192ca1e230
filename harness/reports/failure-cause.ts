// The line of a step's failure message that says why it failed, for one-line views (junit's message, tables).

/** Words of a line that states a cause, as runc, containerd, kubeadm, kubectl and ssh word them. */
const causeWords =
  /\b(?:error|errors|failed|failure|denied|refused|not found|no such|unable|cannot|can't|invalid|timed out|timeout|killed|panic|fatal|unsupported|not supported)\b/i;

/** At most this many characters of the chosen line. */
const maxLength = 300;

/**
 * The first non-blank line of `message`, followed by the first later line that states a cause (when it is not
 * the first line already; kubeadm's `[ERROR <check>]` lines first): `node1: exit code 1 after 69ms: runc did not
 * terminate successfully: ... denied`.
 * A last line like `: unknown` is never chosen over a line that says what went wrong.
 */
export function failureCause(message: string): string {
  const lines = message
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const [first, ...rest] = lines;
  if (first === undefined) return "";
  const cause = causeWords.test(first)
    ? undefined
    : (rest.find((l) => l.includes("[ERROR ")) ?? rest.find((l) => causeWords.test(l)));
  const line = cause === undefined ? first : `${first.replace(/:$/, "")}: ${cause}`;
  return line.length > maxLength ? `${line.slice(0, maxLength - 3)}...` : line;
}
