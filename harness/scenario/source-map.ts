// Maps field paths of a parsed YAML document back to line:col positions for error messages.
import type { LineCounter } from "yaml";
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type Node } from "yaml";

/** A 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

/** Finds where a field path lives in the YAML text it was parsed from. */
export class SourceMap {
  readonly #doc: Document;
  readonly #lines: LineCounter;

  constructor(doc: Document, lines: LineCounter) {
    this.#doc = doc;
    this.#lines = lines;
  }

  /** Position of the value at `path`, or of its nearest existing ancestor. */
  valueAt(path: readonly PropertyKey[]): Position {
    for (let n = path.length; n >= 0; n--) {
      const node = this.#nodeAt(path.slice(0, n));
      if (node?.range) return this.#pos(node.range[0]);
    }
    return { line: 1, col: 1 };
  }

  /** Position of the key `key` inside the mapping at `path` (for unknown keys), else of the mapping. */
  keyAt(path: readonly PropertyKey[], key: string): Position {
    const node = this.#nodeAt(path);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range)
          return this.#pos(pair.key.range[0]);
      }
    }
    return this.valueAt(path);
  }

  #nodeAt(path: readonly PropertyKey[]): Node | undefined {
    let node: unknown = this.#doc.contents;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        node = pair?.value;
      } else if (isSeq(node) && typeof segment === "number") {
        node = node.items[segment];
      } else {
        return undefined;
      }
    }
    return isNode(node) ? node : undefined;
  }

  #pos(offset: number): Position {
    const { line, col } = this.#lines.linePos(offset);
    return { line, col };
  }
}
