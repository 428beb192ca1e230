// Hidden HTML markers that let the harness find its own comments and tracking issue again.

const prefix = "<!-- k8s-node-harness:";

/** Characters a marker value keeps; anything else (notably `--` and `>`) would end the HTML comment early. */
function markerValue(text: string): string {
  return text.replace(/[^A-Za-z0-9._=,[\]/:+-]/g, "_").replace(/-{2,}/g, "-");
}

/** The marker of an `attach` comment for one cell: `<!-- k8s-node-harness:attach cell=<id> -->`. */
export function attachMarker(cellId: string): string {
  return `${prefix}attach cell=${markerValue(cellId)} -->`;
}

/** The marker of the nightly tracking issue for one workflow (its name keeps several trackers apart). */
export function trackingMarker(name: string): string {
  return `${prefix}tracking ${markerValue(name)} -->`;
}

/** Whether a comment or issue body carries this marker. */
export function hasMarker(body: string | null | undefined, marker: string): boolean {
  return (body ?? "").includes(marker);
}
