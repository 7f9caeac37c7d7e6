import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../../../src-main/data/csv/csvCell.ts';
import { parseCsv } from '../demo/csv.ts';

/** What a spreadsheet runs: a cell beginning with one of these, unless it reads the cell as a number. */
const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];
const isNumber = (cell: string) => cell.trim() !== '' && Number.isFinite(Number(cell));
const looksLikeFormula = (cell: string) => FORMULA_START.some((c) => cell.startsWith(c)) && !isNumber(cell);

/** Text biased towards what attacks CSV files: formula starts, separators, quotes, line breaks. */
const hostileText = fc.oneof(
  fc.string({
    unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', ';', 'a', '1', '.', ' '),
  }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '=HYPERLINK("http://evil.example","clic")',
    '@SUM(A1:A9)',
    "-2+3+cmd|' /C calc'!A0",
    '+1',
    '-12.5',
  ),
);
const cell = fc.oneof(hostileText, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null));
const line = fc.array(cell, { minLength: 1, maxLength: 6 });

describe('csvCell', () => {
  it('gives back every cell: one leading quote dropped, the text is what was written', () => {
    fc.assert(
      fc.property(line, (cells) => {
        const [read] = parseCsv(csvLine(cells) + '\n');
        const decoded = read!.map((text) => (text.startsWith("'") ? text.slice(1) : text));
        expect(decoded).toEqual(cells.map((c) => (c === null ? '' : String(c))));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves no cell a spreadsheet would run', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
        for (const row of parseCsv(lines.map(csvLine).join('\n') + '\n')) {
          for (const read of row) expect(looksLikeFormula(read), JSON.stringify(read)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a text whole when French Excel splits the file on semicolons, or another reader on tabs', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        for (const separator of [';', '\t']) {
          const [read] = parseCsv(csvCell(text) + '\n', separator);
          expect(read).toHaveLength(1);
          expect(looksLikeFormula(read![0]!)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('writes our numbers as numbers, negative ones included, and leaves a text that is a plain number alone', () => {
    expect(csvLine([-1.5, 0, 1e-7, -42])).toBe('-1.5,0,1e-7,-42');
    expect(csvLine(['-12', '+3.5', '1e-3'])).toBe('-12,+3.5,1e-3');
  });

  it('neutralises formulas with a leading quote, and quotes what holds separators', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","clic")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""clic"")"`,
    );
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell("'quoted")).toBe("''quoted");
    expect(csvCell('a;=cmd')).toBe('"a;=cmd"');
    expect(csvCell('Spouse, partner')).toBe('"Spouse, partner"');
    expect(csvCell(null)).toBe('');
  });
});
