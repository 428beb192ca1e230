// Text from guests and scenario files made safe for a terminal: a step that prints ESC, BEL or an OSC sequence
// (which can retitle the window, write the clipboard or clear the screen) shows it as visible characters instead.

/**
 * `text` with C0 control characters other than tab and newline shown as Unicode control pictures (ESC as ␛, BEL
 * as ␇), DEL as ␡ and C1 controls (U+0080-U+009F) as `\x9b`-style escapes.
 */
export function terminalText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this replaces
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return `\\x${code.toString(16)}`;
  });
}

/** A copy of a JSON-like value (an event) with every string passed through terminalText. */
export function terminalValue<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return terminalText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
