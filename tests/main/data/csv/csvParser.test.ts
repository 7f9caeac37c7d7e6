import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CsvParser,
  DEFAULT_MAX_FIELD_LENGTH,
  DEFAULT_MAX_FIELDS,
  type CsvParserOptions,
  type CsvRecord,
} from '../../../../src-main/data/csv/csvParser.ts';
import { CsvFileError, readCsvFile } from '../../../../src-main/data/csv/readCsvFile.ts';

/** Parses `chunks` pushed one after the other, as the file reader does. */
function parseChunks(chunks: string[], options: CsvParserOptions = {}): CsvRecord[] {
  const records: CsvRecord[] = [];
  const parser = new CsvParser((record) => records.push(record), options);
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return records;
}

function parse(text: string, options: CsvParserOptions = {}): CsvRecord[] {
  return parseChunks([text], options);
}

/** The text cut into chunks of `size` characters. */
function chunksOf(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

function cutAt(text: string, cuts: number[]): string[] {
  const points = [...cuts].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

/** Physical line (1-based) of offset `at`: a CRLF, a lone CR and a lone LF each end a line. */
function physicalLine(text: string, at: number): number {
  return 1 + (text.slice(0, at).match(/\r\n|\r|\n/g)?.length ?? 0);
}

function fieldsOf(records: CsvRecord[]): string[][] {
  return records.map((r) => r.fields);
}

describe('CsvParser: well-formed input', () => {
  it('splits LF-terminated records and numbers their lines', () => {
    expect(parse('a,b,c\n1,2,3\n4,5,6\n')).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', '2', '3'], line: 2 },
      { fields: ['4', '5', '6'], line: 3 },
    ]);
  });

  it('treats CRLF as one line end', () => {
    expect(parse('a,b\r\n1,2\r\n3,4\r\n')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
      { fields: ['3', '4'], line: 3 },
    ]);
  });

  it('treats a lone CR as a line end', () => {
    expect(parse('a,b\r1,2\r3,4')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
      { fields: ['3', '4'], line: 3 },
    ]);
  });

  it('accepts mixed line ends in one file', () => {
    const records = parse('a\nb\r\nc\rd\n');
    expect(fieldsOf(records)).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4]);
  });

  it('gives the same records with or without a trailing line end', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const body = ['x,y', '1,2', '3,"4"'].join(eol);
      expect(parse(body)).toEqual(parse(body + eol));
      expect(fieldsOf(parse(body))).toEqual([
        ['x', 'y'],
        ['1', '2'],
        ['3', '4'],
      ]);
    }
  });

  it('keeps a comma inside a quoted field', () => {
    expect(fieldsOf(parse('id,name\n1,"Spouse, partner",x\n'))).toEqual([
      ['id', 'name'],
      ['1', 'Spouse, partner', 'x'],
    ]);
  });

  it('unescapes doubled quotes', () => {
    expect(fieldsOf(parse('"he said ""hi""",""""\n'))).toEqual([['he said "hi"', '"']]);
    expect(fieldsOf(parse('"a""b""c"'))).toEqual([['a"b"c']]);
  });

  it('keeps an LF inside a quoted field and numbers the following records by physical line', () => {
    const text = 'id,text\n1,"first\nsecond\nthird"\n2,plain\n3,"x\ny"\n4,z\n';
    const records = parse(text);
    expect(records).toEqual([
      { fields: ['id', 'text'], line: 1 },
      { fields: ['1', 'first\nsecond\nthird'], line: 2 },
      { fields: ['2', 'plain'], line: 5 },
      { fields: ['3', 'x\ny'], line: 6 },
      { fields: ['4', 'z'], line: 8 },
    ]);
  });

  it('keeps a CRLF inside a quoted field, counting it as one line', () => {
    const text = 'id,text\r\n1,"a\r\nb"\r\n2,c\r\n';
    expect(parse(text)).toEqual([
      { fields: ['id', 'text'], line: 1 },
      { fields: ['1', 'a\r\nb'], line: 2 },
      { fields: ['2', 'c'], line: 4 },
    ]);
  });

  it('counts a lone CR inside a quoted field as a line, as it does outside quotes', () => {
    const text = 'h\n"a\rb"\nc\n"d\r\ne\rf\ng"\nz';
    const records = parse(text);
    expect(fieldsOf(records)).toEqual([['h'], ['a\rb'], ['c'], ['d\r\ne\rf\ng'], ['z']]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5, 9]);
  });

  it('skips empty lines without losing count of them', () => {
    const records = parse('\n\na,b\n\n\r\n\rc,d\n\n');
    expect(records).toEqual([
      { fields: ['a', 'b'], line: 3 },
      { fields: ['c', 'd'], line: 7 },
    ]);
  });

  it('yields nothing for empty input or line ends only', () => {
    expect(parse('')).toEqual([]);
    expect(parse('\n\r\n\r')).toEqual([]);
    expect(parseChunks([])).toEqual([]);
  });

  it('keeps empty fields', () => {
    expect(fieldsOf(parse('a,,b\n,\n,x\nx,\n,,\n'))).toEqual([
      ['a', '', 'b'],
      ['', ''],
      ['', 'x'],
      ['x', ''],
      ['', '', ''],
    ]);
    expect(fieldsOf(parse('"",""\n'))).toEqual([['', '']]);
  });

  it('reads a lone "" as one empty field, unlike an empty line', () => {
    expect(parse('a\n""\nb\n')).toEqual([
      { fields: ['a'], line: 1 },
      { fields: [''], line: 2 },
      { fields: ['b'], line: 3 },
    ]);
    expect(parse('""')).toEqual([{ fields: [''], line: 1 }]);
  });

  it('keeps spaces, tabs and unicode as they are', () => {
    expect(fieldsOf(parse(' a , b\t,é€😀," q "\n'))).toEqual([[' a ', ' b\t', 'é€😀', ' q ']]);
  });

  it('does not strip a BOM itself (the file reader does)', () => {
    expect(fieldsOf(parse('\uFEFFa,b\n'))).toEqual([['\uFEFFa', 'b']]);
  });

  it('reports the line reached through currentLine', () => {
    const parser = new CsvParser(() => {});
    expect(parser.currentLine).toBe(1);
    parser.push('a\nb\r\n"c\nd');
    expect(parser.currentLine).toBe(4);
    parser.push('"\n');
    parser.end();
    expect(parser.currentLine).toBe(5);
  });
});

describe('CsvParser: malformed records', () => {
  it('rejects a quote inside an unquoted field and carries on with the next record', () => {
    const records = parse('a,b\nx,y"z,w\nc,d\n');
    expect(records[0]).toEqual({ fields: ['a', 'b'], line: 1 });
    expect(records[1]!.line).toBe(2);
    expect(records[1]!.error).toMatch(/quote inside an unquoted field/);
    expect(records[2]).toEqual({ fields: ['c', 'd'], line: 3 });
  });

  it('rejects a quote after leading spaces (RFC 4180 has no padding around quotes)', () => {
    expect(parse(' "a"')[0]!.error).toMatch(/quote inside an unquoted field/);
  });

  it('rejects text after the closing quote', () => {
    const records = parse('"abc"def,x\n"ok",y\n"a" ,b\n');
    expect(records[0]!.error).toMatch(/text after the closing quote/);
    expect(records[0]!.line).toBe(1);
    expect(records[1]).toEqual({ fields: ['ok', 'y'], line: 2 });
    expect(records[2]!.error).toMatch(/text after the closing quote/);
    expect(records[2]!.line).toBe(3);
  });

  it('rejects a second quoted section in one field', () => {
    expect(parse('"a""b" "c"\n')[0]!.error).toMatch(/text after the closing quote/);
  });

  it('rejects a quoted field still open at the end of the file, on the line where it starts', () => {
    const records = parse('a,b\n1,"never\nclosed\n2,3\n');
    expect(records).toHaveLength(2);
    expect(records[0]).toEqual({ fields: ['a', 'b'], line: 1 });
    expect(records[1]!.line).toBe(2);
    expect(records[1]!.error).toMatch(/quoted field not closed before the end of the file/);
  });

  it('treats a final doubled quote as an escape, so the field is still open', () => {
    expect(parse('"a""')[0]!.error).toMatch(/not closed/);
    expect(parseChunks(['"a"', '"'])[0]!.error).toMatch(/not closed/);
    expect(parse('"a"""')).toEqual([{ fields: ['a"'], line: 1 }]);
  });

  it('accepts a field of exactly maxFieldLength characters', () => {
    const field = 'x'.repeat(10);
    expect(parse(`${field},"${field}"\n`, { maxFieldLength: 10 })).toEqual([
      { fields: [field, field], line: 1 },
    ]);
  });

  it('rejects a longer field without holding it, then goes on', () => {
    for (const long of [
      'y'.repeat(11),
      '"' + 'y'.repeat(11) + '"',
      '"' + 'y'.repeat(5) + '""' + 'y'.repeat(5) + '"',
    ]) {
      for (const size of [1, 3, 1000]) {
        const text = `a,${long},b\nc,d\n`;
        const records = parseChunks(chunksOf(text, size), { maxFieldLength: 10 });
        expect(records).toHaveLength(2);
        expect(records[0]!.error).toBe('field longer than 10 characters');
        expect(records[0]!.line).toBe(1);
        for (const f of records[0]!.fields) expect(f.length).toBeLessThanOrEqual(10);
        expect(records[1]).toEqual({ fields: ['c', 'd'], line: 2 });
      }
    }
  });

  it('keeps line numbers right after an over-long quoted field spanning lines', () => {
    const text = `h\n"${'a\n'.repeat(20)}"\nnext\n`;
    const records = parse(text, { maxFieldLength: 5 });
    expect(records.map((r) => [r.line, r.error !== undefined])).toEqual([
      [1, false],
      [2, true],
      [23, false],
    ]);
  });

  it('uses a default bound of 65536 characters', () => {
    expect(DEFAULT_MAX_FIELD_LENGTH).toBe(65536);
    expect(parse('x'.repeat(DEFAULT_MAX_FIELD_LENGTH))[0]!.error).toBeUndefined();
    expect(parse('x'.repeat(DEFAULT_MAX_FIELD_LENGTH + 1))[0]!.error).toMatch(/longer than 65536/);
  });

  it('keeps at most 1024 fields of a record, and reads a 150 MB line of commas in bounded memory', () => {
    expect(DEFAULT_MAX_FIELDS).toBe(1024);
    expect(parse(','.repeat(1023))[0]!.error).toBeUndefined();
    expect(parse(','.repeat(1024) + '\nnext')).toMatchObject([
      { error: 'more than 1024 fields', line: 1 },
      { fields: ['next'], line: 2 },
    ]);
    // The attack that crashed V8: one record of 150 million commas, pushed as the file reader does, by MiB.
    const chunk = ','.repeat(1 << 20);
    const records: CsvRecord[] = [];
    const parser = new CsvParser((record) => records.push(record));
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 150; i++) parser.push(chunk);
    parser.end();
    expect(records).toHaveLength(1);
    expect(records[0]!.fields).toHaveLength(1024);
    expect(records[0]!.error).toBe('more than 1024 fields');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 2 ** 20);
  });

  it('reports only the first problem of a record and resets for the next one', () => {
    const records = parse('a"b"c,"d"e\n"f\n', {});
    expect(records[0]!.error).toMatch(/quote inside an unquoted field/);
    expect(records[1]!.error).toMatch(/not closed/);
    expect(records[1]!.line).toBe(2);
  });
});

describe('CsvParser: chunk boundaries', () => {
  const text = 'id,"a ""quoted"" value",x\r\n2,"multi\r\nline",""\r\n3,,"z"\r\n\r\n4,"end"';
  const expected = parse(text);

  it('gives the same records for every single split point', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      expect(parseChunks([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(expected);
    }
  });

  it('gives the same records with 1-character chunks', () => {
    expect(parseChunks([...text])).toEqual(expected);
    expect(expected.map((r) => r.line)).toEqual([1, 2, 4, 6]);
  });

  it('joins a CR and LF split by empty chunks', () => {
    expect(parseChunks(['a\r', '', '\nb\n'])).toEqual([
      { fields: ['a'], line: 1 },
      { fields: ['b'], line: 2 },
    ]);
    expect(parseChunks(['"a\r', '', '\nb"\nc'])).toEqual([
      { fields: ['a\r\nb'], line: 1 },
      { fields: ['c'], line: 3 },
    ]);
  });

  it('resolves a quote at the end of a chunk by the next chunk', () => {
    expect(parseChunks(['"a"', '"b"'])).toEqual([{ fields: ['a"b'], line: 1 }]);
    expect(parseChunks(['"a"', ',b'])).toEqual([{ fields: ['a', 'b'], line: 1 }]);
    expect(parseChunks(['"a"', '', '\nb'])).toEqual([
      { fields: ['a'], line: 1 },
      { fields: ['b'], line: 2 },
    ]);
    expect(parseChunks(['"', '"'])).toEqual([{ fields: [''], line: 1 }]);
    expect(parseChunks(['"a"', 'x'])[0]!.error).toMatch(/text after the closing quote/);
  });
});

// ---- Properties ----------------------------------------------------------------------------------------------

const trickyChar = fc.constantFrom(
  ',',
  '"',
  '\r',
  '\n',
  'a',
  'Z',
  '0',
  ' ',
  '\t',
  'é',
  '€',
  '😀',
  '\u2028',
  '\uFEFF',
);
const field = fc.oneof(
  fc.string({ unit: trickyChar, maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constant(''),
);
const table = fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { maxLength: 15 });

interface Serialised {
  text: string;
  /** Offset at which each record starts. */
  starts: number[];
}

function needsQuotes(value: string): boolean {
  return /[",\r\n]/.test(value);
}

/** RFC 4180 text for `rows`: quoted when needed (or when `forceQuotes` says so), one line end per record. */
const serialised = table.chain((rows) =>
  fc
    .record({
      forceQuotes: fc.array(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), {
        minLength: rows.length,
        maxLength: rows.length,
      }),
      eols: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: rows.length, maxLength: rows.length }),
      blankLines: fc.array(fc.constantFrom('', '', '', '\n', '\r\n', '\n\n'), {
        minLength: rows.length,
        maxLength: rows.length,
      }),
      trailingEol: fc.boolean(),
      eolStyle: fc.constantFrom('LF', 'CRLF', 'mixed'),
    })
    .map(({ forceQuotes, eols, blankLines, trailingEol, eolStyle }) => {
      let text = '';
      const starts: number[] = [];
      rows.forEach((row, r) => {
        if (r > 0) {
          const eol = eolStyle === 'LF' ? '\n' : eolStyle === 'CRLF' ? '\r\n' : eols[r]!;
          text += eol + blankLines[r]!;
        }
        starts.push(text.length);
        text += row
          .map((value, f) => {
            // A record made of one empty field must be quoted, or it would read as an empty line.
            const quote = needsQuotes(value) || forceQuotes[r]![f]! || (row.length === 1 && value === '');
            return quote ? `"${value.replaceAll('"', '""')}"` : value;
          })
          .join(',');
      });
      if (trailingEol && rows.length > 0) text += eolStyle === 'CRLF' ? '\r\n' : '\n';
      return { rows, serialised: { text, starts } satisfies Serialised };
    }),
);

/** Cut points: random ones, every character, or every place between CR-LF and between two quotes (plus random). */
function chunking(text: string): fc.Arbitrary<string[]> {
  const tricky: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const pair = text.slice(i - 1, i + 1);
    if (pair === '\r\n' || pair === '""' || pair === '"\r' || pair === '"\n' || pair === '",') tricky.push(i);
  }
  return fc.oneof(
    fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }).map((cuts) => cutAt(text, cuts)),
    fc.constant(text.split('')),
    fc.integer({ min: 1, max: 7 }).map((size) => chunksOf(text, size)),
    fc
      .array(fc.integer({ min: 0, max: text.length }), { maxLength: 4 })
      .map((cuts) => cutAt(text, [...tricky, ...cuts])),
  );
}

describe('CsvParser: properties', () => {
  it('round-trips any table, whatever the chunking, with the physical line of each record', () => {
    fc.assert(
      fc.property(
        serialised.chain((s) => chunking(s.serialised.text).map((chunks) => ({ ...s, chunks }))),
        ({ rows, serialised: { text, starts }, chunks }) => {
          expect(chunks.join('')).toBe(text);
          const records = parseChunks(chunks);
          expect(records.map((r) => r.error)).toEqual(rows.map(() => undefined));
          expect(fieldsOf(records)).toEqual(rows);
          expect(records.map((r) => r.line)).toEqual(starts.map((at) => physicalLine(text, at)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('does not depend on how any text (valid or not) is cut into chunks', () => {
    const anyText = fc.string({
      unit: fc.constantFrom(',', '"', '"', '\r', '\n', 'a', 'b', ' ', 'é'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(
        anyText.chain((text) => chunking(text).map((chunks) => ({ text, chunks }))),
        fc.constantFrom(undefined, 2, 5),
        ({ text, chunks }, maxFieldLength) => {
          const options = maxFieldLength === undefined ? {} : { maxFieldLength };
          const whole = parse(text, options);
          expect(parseChunks(chunks, options)).toEqual(whole);
          // Lines never go backwards and always name a line of the text.
          const lastLine = physicalLine(text, text.length);
          for (let i = 0; i < whole.length; i++) {
            expect(whole[i]!.line).toBeGreaterThanOrEqual(i === 0 ? 1 : whole[i - 1]!.line + 1);
            expect(whole[i]!.line).toBeLessThanOrEqual(lastLine);
          }
          if (maxFieldLength !== undefined) {
            for (const r of whole)
              for (const f of r.fields) expect(f.length).toBeLessThanOrEqual(maxFieldLength);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ---- readCsvFile -------------------------------------------------------------------------------------------

describe('readCsvFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scoring-desk-csv-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  let counter = 0;
  function file(content: string | Buffer): string {
    const path = join(dir, `f${counter++}.csv`);
    writeFileSync(path, content);
    return path;
  }

  function read(path: string, options: Parameters<typeof readCsvFile>[2] = {}): CsvRecord[] {
    const records: CsvRecord[] = [];
    readCsvFile(path, (r) => records.push(r), options);
    return records;
  }

  it('refuses a named pipe, a device or a folder at once, naming what it is', () => {
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const link = join(dir, 'zero.csv');
    symlinkSync('/dev/zero', link);
    expect(() => read(fifo)).toThrow(
      new CsvFileError(`${fifo}: not a regular file (a named pipe); copy the data into a file first`),
    );
    expect(() => read(link)).toThrow(/zero\.csv: not a regular file \(a device\)/);
    expect(() => read(dir)).toThrow(/not a regular file \(a folder\)/);
  });

  it('strips a UTF-8 BOM from the first field', () => {
    const withBom = file(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('SK_ID_CURR,NAME\r\n1,Café\r\n', 'utf8')]),
    );
    expect(read(withBom)).toEqual([
      { fields: ['SK_ID_CURR', 'NAME'], line: 1 },
      { fields: ['1', 'Café'], line: 2 },
    ]);
  });

  it('reads UTF-8 without BOM, and keeps a U+FEFF that is not at the start', () => {
    expect(read(file('a,b\n\uFEFFx,€\n'))).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['\uFEFFx', '€'], line: 2 },
    ]);
  });

  it('reads an empty file as no record', () => {
    expect(read(file(''))).toEqual([]);
    expect(read(file(Buffer.from([0xef, 0xbb, 0xbf])))).toEqual([]);
  });

  it('refuses latin-1 text with a CsvFileError naming the file', () => {
    const path = file(Buffer.concat([Buffer.from('id,name\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    let caught: unknown;
    try {
      read(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvFileError);
    expect((caught as Error).message).toContain(path);
    expect((caught as Error).message).toMatch(/UTF-8/);
  });

  it('refuses a file ending in the middle of a UTF-8 sequence', () => {
    const path = file(Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xc3])]));
    expect(() => read(path)).toThrow(CsvFileError);
  });

  it('refuses a UTF-16 file', () => {
    const path = file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]));
    expect(() => read(path)).toThrow(CsvFileError);
  });

  it('throws for a missing file', () => {
    expect(() => read(join(dir, 'nope.csv'))).toThrow(/ENOENT/);
  });

  it('decodes characters, CRLFs and quoted fields straddling its 1 MiB read chunks', () => {
    const chunk = 1 << 20;
    const header = 'k,v\n';
    /** ASCII lines "f,xxx" of at most ~1000 bytes (fields stay under the default bound), `bytes` bytes in all. */
    const filler = (bytes: number) => {
      const full = Math.floor((bytes - 4) / 1000);
      const line = (length: number) => `f,${'x'.repeat(length - 3)}\n`;
      return { text: line(1000).repeat(full) + line(bytes - 1000 * full), lines: full + 1 };
    };
    /** The text as a file: the records must be those of the in-memory parser, the tail ones as given. */
    const check = (text: string, tail: CsvRecord[]) => {
      const records = read(file(text));
      const expected = parse(text);
      expect(records.length).toBe(expected.length);
      expect(JSON.stringify(records) === JSON.stringify(expected)).toBe(true);
      expect(records.slice(-tail.length)).toEqual(tail);
    };
    // "é" is 2 bytes: its first byte is the last of the first chunk. "😀" is 4 bytes, split 2 + 2.
    for (const [tail, at, fields] of [
      ['é,1\n', chunk - 1, ['é', '1']],
      ['😀,2\n', chunk - 2, ['😀', '2']],
    ] as const) {
      const fill = filler(at - header.length);
      const text = header + fill.text + tail + 'z,z\n';
      expect(Buffer.byteLength(header + fill.text)).toBe(at);
      check(text, [
        { fields: [...fields], line: fill.lines + 2 },
        { fields: ['z', 'z'], line: fill.lines + 3 },
      ]);
    }
    // CR as the last byte of the first chunk and LF as the first of the next, outside quotes...
    const outside = filler(chunk - header.length);
    const crlfOutside = header + outside.text.slice(0, -1) + '\r\n' + 'a,b\r\n';
    expect(Buffer.byteLength(crlfOutside.slice(0, crlfOutside.indexOf('\r') + 1))).toBe(chunk);
    check(crlfOutside, [{ fields: ['a', 'b'], line: outside.lines + 2 }]);
    // ... and inside quotes.
    const inside = filler(chunk - 10 - header.length);
    const quoted = header + inside.text + '"abcdefgh\r\nhij"\nz,z\n';
    expect(Buffer.byteLength(quoted.slice(0, quoted.indexOf('\r') + 1))).toBe(chunk);
    check(quoted, [
      { fields: ['abcdefgh\r\nhij'], line: inside.lines + 2 },
      { fields: ['z', 'z'], line: inside.lines + 4 },
    ]);
  });

  it('reports progress in bytes after each chunk', () => {
    const content = 'a,b\n' + '1,2\n'.repeat(300_000);
    const path = file(content);
    const calls: [number, number][] = [];
    const records = read(path, { onChunk: (done, total) => calls.push([done, total]) });
    expect(records).toHaveLength(300_001);
    expect(calls.length).toBe(Math.ceil(content.length / (1 << 20)));
    expect(calls.at(-1)).toEqual([content.length, content.length]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
  });

  it('passes maxFieldLength on to the parser', () => {
    const records = read(file('a,b\n1,123456\n'), { maxFieldLength: 5 });
    expect(records[1]!.error).toMatch(/longer than 5/);
  });

  it('reads back any table written as UTF-8, with or without BOM', () => {
    fc.assert(
      fc.property(serialised, fc.boolean(), ({ rows, serialised: { text, starts } }, bom) => {
        // Without a BOM, a first field starting with U+FEFF cannot be told from a BOM: that case is left out.
        fc.pre(bom || !text.startsWith('\uFEFF'));
        const path = file(bom ? '\uFEFF' + text : text);
        try {
          const records = read(path);
          expect(fieldsOf(records)).toEqual(rows);
          expect(records.map((r) => r.line)).toEqual(starts.map((at) => physicalLine(text, at)));
        } finally {
          rmSync(path);
        }
      }),
      { numRuns: 60 },
    );
  });
});
