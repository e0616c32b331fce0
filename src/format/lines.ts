/**
 * Splits what `read` returns into lines, a chunk at a time, so a file of any size is never held whole.
 * `read(into, position)` fills `into` from byte `position` and returns how many bytes it read (0 at the end).
 * `visit` gets each line's bytes without its newline, the byte offset where it starts and its 0-based index;
 * the bytes are only valid during the call. Returns the unterminated rest after the last newline (empty when
 * the input ends with one).
 */
export function forEachLine(read: (into: Uint8Array, position: number) => number, visit: (bytes: Uint8Array, offset: number, index: number) => void | false, chunkSize = 1 << 20): { rest: Uint8Array; restOffset: number } {
  const chunk = new Uint8Array(chunkSize);
  let carry: Uint8Array = new Uint8Array(0);
  /** Byte offset of the first byte of `carry`. */
  let base = 0;
  let index = 0;
  for (;;) {
    const got = read(chunk, base + carry.length);
    if (got === 0) break;
    let data: Uint8Array;
    if (carry.length) {
      data = new Uint8Array(carry.length + got);
      data.set(carry);
      data.set(chunk.subarray(0, got), carry.length);
    } else data = chunk.subarray(0, got);
    let start = 0;
    for (let newline = data.indexOf(10, start); newline >= 0; newline = data.indexOf(10, start)) {
      if (visit(data.subarray(start, newline), base + start, index++) === false) return { rest: new Uint8Array(0), restOffset: base + newline + 1 };
      start = newline + 1;
    }
    // Copied: `chunk` is overwritten by the next read.
    carry = data.slice(start);
    base += start;
  }
  return { rest: carry, restOffset: base };
}
