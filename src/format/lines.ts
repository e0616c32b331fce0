/**
 * Splits what `read` returns into lines, a chunk at a time, so a file of any size is never held whole.
 * `read(into, position)` fills `into` from byte `position` and returns how many bytes it read (0 at the end).
 * `visit` gets each line's bytes without its newline, the byte offset where it starts and its 0-based index;
 * the bytes are only valid during the call. Returns the unterminated rest after the last newline (empty when
 * the input ends with one).
 */
export function forEachLine(read: (into: Uint8Array, position: number) => number, visit: (bytes: Uint8Array, offset: number, index: number) => void | false, chunkSize = 1 << 20): { rest: Uint8Array; restOffset: number } {
  const chunk = new Uint8Array(chunkSize);
  // The start of a line that spans chunks, kept as copied pieces and joined once its end is found: growing one
  // buffer chunk by chunk (and scanning it again) made a 50 MB line cost seconds.
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  /** Byte offset where the current line starts. */
  let lineStart = 0;
  let index = 0;
  for (;;) {
    const got = read(chunk, lineStart + partsLength);
    if (got === 0) break;
    const data = chunk.subarray(0, got);
    let start = 0;
    for (let newline = data.indexOf(10); newline >= 0; newline = data.indexOf(10, start)) {
      const line = partsLength ? join([...parts, data.subarray(start, newline)], partsLength + newline - start) : data.subarray(start, newline);
      if (visit(line, lineStart, index++) === false) return { rest: new Uint8Array(0), restOffset: lineStart + line.length + 1 };
      lineStart += line.length + 1;
      parts = [];
      partsLength = 0;
      start = newline + 1;
    }
    // Copied: `chunk` is overwritten by the next read.
    if (start < got) {
      parts.push(data.slice(start));
      partsLength += got - start;
    }
  }
  return { rest: join(parts, partsLength), restOffset: lineStart };
}

function join(pieces: readonly Uint8Array[], length: number): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
