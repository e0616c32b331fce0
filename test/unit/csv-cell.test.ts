import { describe, expect, it } from 'vitest';
import { defuseCell, restoreCell } from '../../src/format/csv-cell.js';

describe('CSV cells', () => {
  it('defuses every cell a spreadsheet would run: = + - @ tab CR', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(defuseCell(cell)).toBe(`'${cell}`);
    for (const cell of ['plain', '1', ' =not first', '']) expect(defuseCell(cell)).toBe(cell);
  });

  it('round-trips every cell exactly, one that starts with an apostrophe included', () => {
    for (const cell of ['=x', "'=already", "'", "''", 'plain', '-', "'plain"]) expect(restoreCell(defuseCell(cell))).toBe(cell);
    expect(defuseCell("'=already")).toBe("''=already");
  });
});
