import fc from 'fast-check';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  CsvWriter,
  formatFloat,
  type CsvColumn,
  type Row,
} from '../../../../src-main/data/demo/csvWriter.ts';
import { parseCsv } from './csv.ts';

async function writeAll(columns: CsvColumn[], rows: Row[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = new CsvWriter(out, columns);
  for (const row of rows) writer.write(row);
  await writer.end();
  return Buffer.concat(chunks).toString('utf8');
}

const columns: CsvColumn[] = [
  { name: 'ID', format: 'int' },
  { name: 'NOTE', format: 'text' },
  { name: 'AMOUNT', format: 'float' },
  { name: 'LABEL', format: 'text' },
];

describe('CsvWriter', () => {
  it('round-trips any text, number and missing value through a reference CSV parser', async () => {
    // Text with the characters that need quoting, and others that must pass through untouched.
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r', ' ', ';', "'", '€') }),
      fc.string({ unit: 'grapheme' }),
    );
    const row = fc.record({
      ID: fc.integer({ min: -1e9, max: 1e9 }),
      NOTE: fc.option(text, { nil: null }),
      AMOUNT: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
      LABEL: text.filter((s) => s !== ''),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), async (rows) => {
        const parsed = parseCsv(await writeAll(columns, rows));
        expect(parsed[0]).toEqual(['ID', 'NOTE', 'AMOUNT', 'LABEL']);
        expect(parsed.slice(1)).toEqual(
          rows.map((r) => [
            String(r.ID),
            r.NOTE ?? '',
            r.AMOUNT === null ? '' : formatFloat(r.AMOUNT),
            r.LABEL,
          ]),
        );
        for (const [i, r] of rows.entries()) {
          if (r.AMOUNT !== null) expect(Number(parsed[i + 1]![2])).toBe(r.AMOUNT === 0 ? 0 : r.AMOUNT);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('quotes exactly the fields that need it', async () => {
    const csv = await writeAll(columns, [{ ID: 1, NOTE: 'Stone, brick', AMOUNT: 2, LABEL: 'say "hi"' }]);
    expect(csv).toBe('ID,NOTE,AMOUNT,LABEL\n1,"Stone, brick",2.0,"say ""hi"""\n');
  });

  it('refuses rows that would silently corrupt a file, and leaves nothing of them behind', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new CsvWriter(out, columns);
    expect(() => writer.write({ ID: 1, NOTE: null, AMOUNT: 1 })).toThrow(/LABEL/);
    expect(() => writer.write({ ID: 1.5, NOTE: null, AMOUNT: 1, LABEL: 'x' })).toThrow(/ID/);
    expect(() => writer.write({ ID: 1, NOTE: null, AMOUNT: NaN, LABEL: 'x' })).toThrow(/non-finite/);
    expect(() => writer.write({ ID: 'one', NOTE: null, AMOUNT: 1, LABEL: 'x' })).toThrow(/numeric/);
    writer.write({ ID: 7, NOTE: 'kept', AMOUNT: 0.5, LABEL: 'x' });
    await writer.end();
    expect(Buffer.concat(chunks).toString('utf8')).toBe('ID,NOTE,AMOUNT,LABEL\n7,kept,0.5,x\n');
    expect(writer.rows).toBe(1);
  });

  it('waits for a slow stream instead of buffering without bound', async () => {
    let received = '';
    let pending = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.toString('utf8');
        pending++;
        setTimeout(() => {
          pending--;
          callback();
        }, 1);
      },
    });
    const writer = new CsvWriter(slow, columns);
    let waits = 0;
    for (let i = 0; i < 100_000; i++) {
      writer.write({ ID: i, NOTE: 'some text to fill the buffer', AMOUNT: i / 8, LABEL: 'label' });
      if (writer.needsDrain) {
        waits++;
        await writer.drained();
        expect(pending).toBe(0);
      }
    }
    await writer.end();
    expect(waits).toBeGreaterThan(5);
    const rows = parseCsv(received);
    expect(rows).toHaveLength(100_001);
    expect(rows[100_000]).toEqual(['99999', 'some text to fill the buffer', '12499.875', 'label']);
  });
});

describe('formatFloat', () => {
  it('writes floats as pandas does', () => {
    expect(formatFloat(1)).toBe('1.0');
    expect(formatFloat(-3648)).toBe('-3648.0');
    expect(formatFloat(365243)).toBe('365243.0');
    expect(formatFloat(0)).toBe('0.0');
    expect(formatFloat(24700.5)).toBe('24700.5');
    expect(formatFloat(0.0001)).toBe('0.0001');
    expect(formatFloat(0.00005)).toBe('5e-05');
    expect(formatFloat(8.173616518884397e-8)).toBe('8.173616518884397e-08');
    expect(formatFloat(0.08303696739132256)).toBe('0.08303696739132256');
    expect(formatFloat(1e16)).toBe('1e+16');
    expect(formatFloat(-1.2345678901234568e17)).toBe('-1.2345678901234568e+17');
  });

  it('reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatFloat(x);
        expect(Number(text)).toBe(x === 0 ? 0 : x);
        expect(text).toMatch(/[.e]/);
      }),
    );
  });
});
