/**
 * Spreadsheet-safe CSV cells that round-trip exactly. A cell starting like a formula (= + - @ tab CR) would run
 * when the file is opened in a spreadsheet (OWASP "CSV injection"), so it gets a leading apostrophe, which
 * spreadsheets read as "this is text". A cell that itself starts with an apostrophe gets one too, so that
 * reading back (drop one leading apostrophe) gives the cell exactly: `'=x` is written `''=x` and read `'=x`.
 */
export function defuseCell(cell: string): string {
  return /^['=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** The cell as it was before `defuseCell`. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}
