// Table-aware TOML edits for containerd's config, as bash functions backed by awk (mawk and gawk alike).
// A key is set inside the named table only, never by a global substitution: `SystemdCgroup` under the runc
// options table, not the top-level `systemd_cgroup` that runc v2 ignores.

// Shared by both programs: `norm` makes `[plugins.'x'.y]` and `[plugins."x".y]` compare equal.
const normFunction = `function norm(s,   q) { q = sprintf("%c", 39); gsub(/[ \\t]/, "", s); gsub(q, "\\"", s); return s }`;

/** awk program: prints the file with KEY = VALUE set inside TABLE ("" = top level), adding the key or table when absent. */
export const tomlSetAwk = `${normFunction}
BEGIN { want = norm(ENVIRON["TOML_TABLE"]); key = ENVIRON["TOML_KEY"]; value = ENVIRON["TOML_VALUE"]; cur = ""; done = 0; indent = "" }
/^[ \\t]*\\[/ {
  if (cur == want && !done) { print indent key " = " value; done = 1 }
  h = $0; sub(/#.*$/, "", h); cur = norm(h)
  if (cur == want) { indent = $0; sub(/[^ \\t].*$/, "", indent); indent = indent "  " }
  print; next
}
cur == want && !done && $0 ~ ("^[ \\t]*" key "[ \\t]*=") {
  lead = $0; sub(/[^ \\t].*$/, "", lead); print lead key " = " value; done = 1; next
}
{ print }
END {
  if (!done && cur == want) print indent key " = " value
  else if (!done) { print ""; print ENVIRON["TOML_TABLE"]; print "  " key " = " value }
}`;

/**
 * awk program: prints KEY's value inside TABLE, quotes normalised (`'x'` and `"x"` both print x); nothing when
 * absent. It reads its whole input (no early exit), so a writer like `containerd config dump` never gets SIGPIPE.
 */
export const tomlGetAwk = `${normFunction}
BEGIN { want = norm(ENVIRON["TOML_TABLE"]); key = ENVIRON["TOML_KEY"]; cur = ""; found = 0 }
/^[ \\t]*\\[/ { h = $0; sub(/#.*$/, "", h); cur = norm(h); next }
!found && cur == want && $0 ~ ("^[ \\t]*" key "[ \\t]*=") {
  v = $0; sub(/^[^=]*=[ \\t]*/, "", v); sub(/[ \\t]+$/, "", v); q = sprintf("%c", 39); gsub(q, "\\"", v); gsub(/, /, ",", v)
  if (v ~ /^".*"$/) v = substr(v, 2, length(v) - 2)
  found = 1
}
END { if (found) print v }`;

/** awk program: exits 0 when TABLE appears in the file. */
export const tomlHasTableAwk = `${normFunction}
BEGIN { want = norm(ENVIRON["TOML_TABLE"]); found = 0 }
/^[ \\t]*\\[/ { h = $0; sub(/#.*$/, "", h); if (norm(h) == want) { found = 1; exit } }
END { exit found ? 0 : 1 }`;

function singleQuoted(program: string): string {
  if (program.includes("'")) throw new Error("awk program must not contain a single quote");
  return `'${program}'`;
}

/**
 * Bash functions for scripts that edit containerd's config:
 * `toml_set FILE TABLE KEY VALUE` (VALUE is TOML: `true`, `"text"`, `["cri"]`), `toml_get TABLE KEY` (reads stdin)
 * and `toml_has_table FILE TABLE`.
 */
export const tomlBashFunctions = `toml_set() {
  TOML_TABLE="$2" TOML_KEY="$3" TOML_VALUE="$4" awk ${singleQuoted(tomlSetAwk)} "$1" > "$1.harness-new"
  mv "$1.harness-new" "$1"
}
toml_get() {
  TOML_TABLE="$1" TOML_KEY="$2" awk ${singleQuoted(tomlGetAwk)}
}
toml_has_table() {
  TOML_TABLE="$2" awk ${singleQuoted(tomlHasTableAwk)} "$1"
}`;

/** A TOML basic string for a value (JSON string syntax is valid TOML for these printable values). */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}
