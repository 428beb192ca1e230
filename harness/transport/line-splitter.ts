// Splits a stream of text chunks into complete lines for ExecOptions.onLine (a partial last line is flushed at the end).

/** Buffers chunks and calls `emit` once per complete line, without the line ending. */
export class LineSplitter {
  private pending = "";

  constructor(private readonly emit: (line: string) => void) {}

  /** Feeds one chunk of output. */
  push(chunk: string): void {
    const text = this.pending + chunk;
    const lines = text.split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) this.emit(line.endsWith("\r") ? line.slice(0, -1) : line);
  }

  /** Emits what is left after the stream ended without a final newline. */
  flush(): void {
    if (this.pending !== "") this.emit(this.pending);
    this.pending = "";
  }
}
