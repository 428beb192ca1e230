// Escapes text for XML/HTML attributes and content, dropping characters XML 1.0 cannot carry.

/** Characters XML 1.0 allows: tab, newline, carriage return and the printable ranges. */
function allowedInXml(cp: number): boolean {
  return (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Text safe inside XML or HTML content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return [...text]
    .map((ch) => (allowedInXml(ch.codePointAt(0) ?? 0) ? ch : "\uFFFD"))
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
