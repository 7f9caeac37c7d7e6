import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CellBatch, cellValue, createCellBatch } from '../../../../src-main/data/import/cellBatch.ts';
import {
  ImportError,
  OTHER_LEVELS,
  RowConverter,
  layoutFromHeader,
  parseDecimal,
} from '../../../../src-main/data/import/rowConverter.ts';
import { type TableSpec, tableSpec } from '../../../../src-main/data/schema.ts';

const GRAMMAR = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Same value, telling -0 from 0. */
function same(a: number, b: number): boolean {
  return Object.is(a, b);
}

/** What parseDecimal must give for text in its grammar: Number(s), or NaN where that overflows to ±Infinity. */
function finiteNumber(s: string): number {
  const value = Number(s);
  return Number.isFinite(value) ? value : NaN;
}

// ---- parseDecimal ------------------------------------------------------------------------------------------

describe('parseDecimal', () => {
  it('reads back String(x) of any finite double exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseDecimal(String(x))).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with Number() on toFixed, toExponential and toPrecision forms', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 100 }),
        (x, k) => {
          for (const s of [x.toFixed(k), x.toExponential(k), x.toPrecision(Math.max(1, k))]) {
            // Rounding to fewer digits can carry past the largest double ("2e+308"): refused like "1e999".
            expect(same(parseDecimal(s), finiteNumber(s)), s).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with Number() on small-magnitude decimals (the one-pass path)', () => {
    // Up to 15 significant digits and exponents within ±22: the fast path must still round exactly as Number().
    const decimal = fc
      .record({
        sign: fc.constantFrom('', '+', '-'),
        int: fc.stringMatching(/^\d{0,16}$/),
        frac: fc.stringMatching(/^\d{0,16}$/),
        dot: fc.boolean(),
        exp: fc.option(fc.integer({ min: -30, max: 30 })),
        e: fc.constantFrom('e', 'E'),
      })
      .map(({ sign, int, frac, dot, exp, e }) => {
        const body = dot || frac !== '' ? `${int}.${frac}` : int;
        return `${sign}${body}${exp === null ? '' : `${e}${exp}`}`;
      })
      .filter((s) => GRAMMAR.test(s));
    fc.assert(
      fc.property(decimal, (s) => {
        expect(same(parseDecimal(s), finiteNumber(s)), s).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('agrees with Number() on integers and money amounts as exported by Kaggle', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 99 }), (units, cents) => {
        const s = `${units}.${String(cents).padStart(2, '0')}`;
        expect(same(parseDecimal(s), Number(s)), s).toBe(true);
        expect(parseDecimal(`${units}.0`)).toBe(units);
      }),
      { numRuns: 3000 },
    );
  });

  it('returns NaN or exactly Number(s) for arbitrary strings, and a number only for the strict grammar', () => {
    const numberish = fc.string({ unit: fc.constantFrom(...'0123456789.eE+- x,_\t'), maxLength: 24 });
    fc.assert(
      fc.property(
        fc.oneof(numberish, fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })),
        (s) => {
          const value = parseDecimal(s);
          if (Number.isNaN(value)) {
            // Refused: either outside the grammar or beyond double range.
            expect(!GRAMMAR.test(s) || !Number.isFinite(Number(s)), s).toBe(true);
          } else {
            expect(GRAMMAR.test(s), s).toBe(true);
            expect(same(value, Number(s)), s).toBe(true);
            expect(Number.isFinite(value)).toBe(true);
          }
        },
      ),
      { numRuns: 20000 },
    );
  });

  it.each([
    '',
    ' 1',
    '1 ',
    '0x10',
    'Infinity',
    '-Infinity',
    'NaN',
    '1e',
    '1e+',
    '.',
    '-',
    '+',
    '1,5',
    '1e999',
    '-1e999',
    '1_000',
    '1.2.3',
    '--1',
    '+-1',
    'e5',
    '.e5',
    '١٢',
    '１',
    '1e5.5',
    '0b1',
    '\t1',
    '1\n',
  ])('refuses %j', (s) => {
    expect(parseDecimal(s)).toBeNaN();
  });

  it.each([
    ['0', 0],
    ['-0', -0],
    ['+7', 7],
    ['007', 7],
    ['5.', 5],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['1E3', 1000],
    ['1e+3', 1000],
    ['2.5e-3', 0.0025],
    ['0.1', 0.1],
    ['-365243', -365243],
    ['9007199254740993', 9007199254740992],
    ['1e22', 1e22],
    ['1e23', 1e23],
    ['123456789012345e-22', 123456789012345e-22],
    ['0.000000000000000000001', 1e-21],
    ['1' + '0'.repeat(400) + 'e-400', 1],
    ['0.' + '0'.repeat(400) + '1e401', 1],
  ])('reads %j as %d', (s, expected) => {
    expect(same(parseDecimal(s), expected)).toBe(true);
    expect(same(parseDecimal(s), Number(s))).toBe(true);
  });
});

// ---- layoutFromHeader ---------------------------------------------------------------------------------------

const application = tableSpec('application');
const installments = tableSpec('installments_payments');
const trainFile = application.files.find((f) => f.name === 'application_train.csv')!;
const testFile = application.files.find((f) => f.name === 'application_test.csv')!;
const installmentsFile = installments.files[0]!;
const names = (table: TableSpec) => table.columns.map((c) => c.name);

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('layoutFromHeader', () => {
  it('maps a header in schema order', () => {
    const layout = layoutFromHeader('application_train.csv', application, trainFile, names(application));
    expect([...layout.sourceIndex]).toEqual(application.columns.map((_, i) => i));
    expect(layout.fieldCount).toBe(application.columns.length);
    expect(layout.unknownColumns).toEqual([]);
    expect(layout.file).toBe('application_train.csv');
    expect(layout.table).toBe(application);
  });

  it('refuses a header missing a required column, naming the file and the column', () => {
    const header = names(application).filter((n) => n !== 'TARGET');
    const error = caught(() => layoutFromHeader('application_train.csv', application, trainFile, header));
    expect(error).toBeInstanceOf(ImportError);
    expect(error.message).toContain('application_train.csv');
    expect(error.message).toContain('TARGET');
    expect(error.message).toMatch(/required column missing/);
    const noKey = names(installments).filter((n) => n !== 'SK_ID_CURR');
    const keyError = caught(() =>
      layoutFromHeader('installments_payments.csv', installments, installmentsFile, noKey),
    );
    expect(keyError.message).toMatch(/^installments_payments\.csv: .*SK_ID_CURR/);
  });

  it('names the first five missing columns and counts the rest', () => {
    const header = names(application).slice(0, 10);
    const missing = names(application).slice(10);
    const error = caught(() => layoutFromHeader('application_train.csv', application, trainFile, header));
    expect(error).toBeInstanceOf(ImportError);
    expect(error.message).toContain(
      `required columns missing from the header: ${missing.slice(0, 5).join(', ')}`,
    );
    expect(error.message).toContain(`and ${missing.length - 5} more`);
  });

  it('lets application_test.csv go without TARGET, which then maps to no field', () => {
    const header = names(application).filter((n) => n !== 'TARGET');
    const layout = layoutFromHeader('application_test.csv', application, testFile, header);
    const target = names(application).indexOf('TARGET');
    expect(layout.sourceIndex[target]).toBe(-1);
    expect(layout.fieldCount).toBe(application.columns.length - 1);
    // Every other column still maps to its own field.
    application.columns.forEach((c, k) => {
      if (k !== target) expect(header[layout.sourceIndex[k]!]).toBe(c.name);
    });
    // Only TARGET may be absent there.
    const noGender = header.filter((n) => n !== 'CODE_GENDER');
    expect(() => layoutFromHeader('application_test.csv', application, testFile, noGender)).toThrow(
      /CODE_GENDER/,
    );
  });

  it('lists extra columns in header order and ignores them', () => {
    const header = [
      'EXTRA_A',
      ...names(installments).slice(0, 3),
      'EXTRA_B',
      ...names(installments).slice(3),
      'x',
    ];
    const layout = layoutFromHeader('installments_payments.csv', installments, installmentsFile, header);
    expect(layout.unknownColumns).toEqual(['EXTRA_A', 'EXTRA_B', 'x']);
    expect(layout.fieldCount).toBe(header.length);
    installments.columns.forEach((c, k) => expect(header[layout.sourceIndex[k]!]).toBe(c.name));
  });

  it('refuses a column that appears twice', () => {
    const header = [...names(installments), 'AMT_PAYMENT'];
    const error = caught(() =>
      layoutFromHeader('installments_payments.csv', installments, installmentsFile, header),
    );
    expect(error).toBeInstanceOf(ImportError);
    expect(error.message).toBe('installments_payments.csv: column AMT_PAYMENT appears twice in the header');
    // Also an extra column twice.
    expect(() =>
      layoutFromHeader('installments_payments.csv', installments, installmentsFile, [
        ...names(installments),
        'X',
        'X',
      ]),
    ).toThrow(/column X appears twice/);
  });

  it('refuses an empty header', () => {
    for (const header of [[], ['']]) {
      const error = caught(() =>
        layoutFromHeader('bureau.csv', tableSpec('bureau'), tableSpec('bureau').files[0]!, header),
      );
      expect(error).toBeInstanceOf(ImportError);
      expect(error.message).toBe('bureau.csv: the file is empty (no header line)');
    }
  });

  it('trims spaces around header names', () => {
    const header = names(installments).map((n) => ` ${n} `);
    const layout = layoutFromHeader('installments_payments.csv', installments, installmentsFile, header);
    expect([...layout.sourceIndex]).toEqual(installments.columns.map((_, i) => i));
    expect(layout.unknownColumns).toEqual([]);
  });

  it('maps columns given in any order, with extras anywhere', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(names(application), { minLength: application.columns.length }),
        fc.array(fc.stringMatching(/^EXTRA_[A-Z]{1,4}$/), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.boolean(),
        (shuffled, extras, positions, dropTarget) => {
          const header = dropTarget ? shuffled.filter((n) => n !== 'TARGET') : [...shuffled];
          const uniqueExtras = [...new Set(extras)];
          uniqueExtras.forEach((extra, i) =>
            header.splice((positions[i] ?? 0) % (header.length + 1), 0, extra),
          );
          const layout = layoutFromHeader('application_test.csv', application, testFile, header);
          application.columns.forEach((c, k) => {
            const at = layout.sourceIndex[k]!;
            if (dropTarget && c.name === 'TARGET') expect(at).toBe(-1);
            else expect(header[at]).toBe(c.name);
          });
          expect(layout.unknownColumns).toEqual(header.filter((h) => uniqueExtras.includes(h)));
          expect(layout.fieldCount).toBe(header.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---- RowConverter.convertInto -------------------------------------------------------------------------------

/** A converter for `table` fed through `header`, and a way to convert one row given as column → text. */
function setup(table: TableSpec, fileName: string, header = names(table)) {
  const fileSpec = table.files.find((f) => f.name === fileName)!;
  const layout = layoutFromHeader(fileName, table, fileSpec, header);
  const converter = new RowConverter(layout);
  const batch = createCellBatch(table, 16);
  const fieldsOf = (values: Record<string, string>) => header.map((h) => values[h] ?? '');
  const convert = (values: Record<string, string>, line = 2) =>
    converter.convertInto(fieldsOf(values), line, batch);
  const row = (r = batch.rowCount) =>
    Object.fromEntries(table.columns.map((c, k) => [c.name, cellValue(batch, r, k)])) as Record<
      string,
      number | string | null
    >;
  return { layout, converter, batch, convert, row, fieldsOf };
}

function keep(batch: CellBatch): void {
  batch.rowCount++;
}

describe('RowConverter on application rows', () => {
  it('writes typed cells and NULL for every empty field', () => {
    const { convert, row, batch } = setup(application, 'application_train.csv');
    const result = convert({
      SK_ID_CURR: '100002',
      TARGET: '1',
      NAME_CONTRACT_TYPE: 'Cash loans',
      CODE_GENDER: 'M',
      AMT_CREDIT: '406597.5',
      DAYS_BIRTH: '-9461',
      NAME_TYPE_SUITE: 'Spouse, partner',
    });
    expect(result).toEqual({ warned: false });
    const cells = row();
    expect(cells).toMatchObject({
      SK_ID_CURR: 100002,
      TARGET: 1,
      NAME_CONTRACT_TYPE: 'Cash loans',
      CODE_GENDER: 'M',
      AMT_CREDIT: 406597.5,
      DAYS_BIRTH: -9461,
      NAME_TYPE_SUITE: 'Spouse, partner',
    });
    const given = new Set([
      'SK_ID_CURR',
      'TARGET',
      'NAME_CONTRACT_TYPE',
      'CODE_GENDER',
      'AMT_CREDIT',
      'DAYS_BIRTH',
      'NAME_TYPE_SUITE',
    ]);
    for (const [name, value] of Object.entries(cells)) if (!given.has(name)) expect(value, name).toBeNull();
    keep(batch);
  });

  it('accepts "9.0" in an integer column as 9 and refuses "9.5" as not an integer', () => {
    const { convert, row } = setup(application, 'application_train.csv');
    expect(convert({ SK_ID_CURR: '1', CNT_CHILDREN: '9.0' }).reject).toBeUndefined();
    expect(row().CNT_CHILDREN).toBe(9);
    expect(convert({ SK_ID_CURR: '1', CNT_CHILDREN: '9e0' }).reject).toBeUndefined();
    expect(convert({ SK_ID_CURR: '1', CNT_CHILDREN: '9.5' }, 7).reject).toEqual({
      file: 'application_train.csv',
      line: 7,
      column: 'CNT_CHILDREN',
      value: '9.5',
      reason: 'not an integer',
    });
    // An integer beyond 2^53 cannot be stored exactly: refused as well.
    expect(convert({ SK_ID_CURR: '1', DAYS_BIRTH: '1e20' }).reject?.reason).toBe('not an integer');
    expect(convert({ SK_ID_CURR: '100002.5' }).reject?.reason).toBe('not an integer');
  });

  it('refuses text in a number column as not a number', () => {
    const { convert } = setup(application, 'application_train.csv');
    for (const value of ['abc', ' 1', '1,5', 'NaN', 'Infinity', '0x10', '1e999']) {
      expect(convert({ SK_ID_CURR: '1', AMT_CREDIT: value }, 3).reject, value).toEqual({
        file: 'application_train.csv',
        line: 3,
        column: 'AMT_CREDIT',
        value,
        reason: 'not a number',
      });
    }
  });

  it('enforces the range of TARGET: 0 and 1 in, 2 and -1 out', () => {
    const { convert, row } = setup(application, 'application_train.csv');
    for (const ok of ['0', '1', '1.0', '-0']) {
      expect(convert({ SK_ID_CURR: '1', TARGET: ok }).reject, ok).toBeUndefined();
      expect(row().TARGET).toBe(Number(ok));
    }
    for (const bad of ['2', '-1', '1e1']) {
      expect(convert({ SK_ID_CURR: '1', TARGET: bad }, 9).reject, bad).toEqual({
        file: 'application_train.csv',
        line: 9,
        column: 'TARGET',
        value: bad,
        reason: 'outside the allowed range [0, 1]',
      });
    }
    expect(convert({ SK_ID_CURR: '1', TARGET: '0.5' }).reject?.reason).toBe('not an integer');
    // Empty TARGET is a NULL, not a range problem.
    expect(convert({ SK_ID_CURR: '1', TARGET: '' }).reject).toBeUndefined();
    expect(row().TARGET).toBeNull();
  });

  it('refuses a row without SK_ID_CURR', () => {
    const { convert } = setup(application, 'application_train.csv');
    expect(convert({ SK_ID_CURR: '', TARGET: '0' }, 12).reject).toEqual({
      file: 'application_train.csv',
      line: 12,
      column: 'SK_ID_CURR',
      value: '',
      reason: 'missing value for a key column',
    });
  });

  it('refuses a row with the wrong number of fields, with its line', () => {
    const { converter, batch } = setup(application, 'application_train.csv');
    const width = application.columns.length;
    const short = ['100002', '1', 'Cash loans'];
    expect(converter.convertInto(short, 41, batch)).toEqual({
      reject: {
        file: 'application_train.csv',
        line: 41,
        column: '',
        value: '100002,1,Cash loans',
        reason: `expected ${width} fields, found 3`,
      },
      warned: false,
    });
    const long = [...Array<string>(width + 1).fill('')];
    long[0] = '1';
    expect(converter.convertInto(long, 42, batch).reject?.reason).toBe(
      `expected ${width} fields, found ${width + 1}`,
    );
    expect(converter.convertInto(long, 42, batch).reject?.line).toBe(42);
  });

  it('cuts reported values to 200 characters', () => {
    const { convert, converter, batch } = setup(application, 'application_train.csv');
    const long = '9'.repeat(150) + 'x'.repeat(150);
    expect(convert({ SK_ID_CURR: '1', AMT_CREDIT: long }).reject?.value).toBe(long.slice(0, 200));
    expect(converter.convertInto(['a'.repeat(300)], 1, batch).reject?.value).toHaveLength(200);
  });

  it('fills TARGET with NULL for application_test.csv, which has no such column', () => {
    const header = names(application).filter((n) => n !== 'TARGET');
    const { convert, row } = setup(application, 'application_test.csv', header);
    expect(convert({ SK_ID_CURR: '100001', CODE_GENDER: 'F' })).toEqual({ warned: false });
    expect(row()).toMatchObject({ SK_ID_CURR: 100001, TARGET: null, CODE_GENDER: 'F' });
  });

  it('reads fields through the header mapping whatever their order', () => {
    const header = [...names(application)].reverse();
    header.splice(3, 0, 'SOMETHING_ELSE');
    const { converter, batch, row } = setup(application, 'application_train.csv', header);
    const fields = header.map((h) =>
      h === 'SK_ID_CURR'
        ? '7'
        : h === 'CODE_GENDER'
          ? 'XNA'
          : h === 'AMT_ANNUITY'
            ? '12.5'
            : h === 'SOMETHING_ELSE'
              ? 'zz'
              : '',
    );
    expect(converter.convertInto(fields, 2, batch).reject).toBeUndefined();
    expect(row()).toMatchObject({ SK_ID_CURR: 7, CODE_GENDER: 'XNA', AMT_ANNUITY: 12.5, AMT_CREDIT: null });
  });

  it('keeps an unknown level, counts it per column and flags the row as warned', () => {
    const { convert, row, converter, batch } = setup(application, 'application_train.csv');
    expect(convert({ SK_ID_CURR: '1', CODE_GENDER: 'X' })).toEqual({ warned: true });
    expect(row().CODE_GENDER).toBe('X');
    keep(batch);
    expect(convert({ SK_ID_CURR: '2', CODE_GENDER: 'X', NAME_CONTRACT_TYPE: 'Mortgage' })).toEqual({
      warned: true,
    });
    keep(batch);
    expect(convert({ SK_ID_CURR: '3', CODE_GENDER: 'M' })).toEqual({ warned: false });
    keep(batch);
    expect(converter.unknownLevels).toEqual(
      new Map([
        ['CODE_GENDER', new Map([['X', 2]])],
        ['NAME_CONTRACT_TYPE', new Map([['Mortgage', 1]])],
      ]),
    );
    // Levels are case-sensitive: "m" is not "M".
    expect(convert({ SK_ID_CURR: '4', CODE_GENDER: 'm' }).warned).toBe(true);
  });

  it('does not count the unknown level of a row it refuses', () => {
    const { convert, converter } = setup(application, 'application_train.csv');
    // NAME_CONTRACT_TYPE comes before AMT_CREDIT: the level is seen before the bad number.
    expect(
      convert({ SK_ID_CURR: '1', NAME_CONTRACT_TYPE: 'Mortgage', AMT_CREDIT: 'abc' }).reject?.column,
    ).toBe('AMT_CREDIT');
    expect(convert({ SK_ID_CURR: '1', NAME_CONTRACT_TYPE: 'Mortgage', TARGET: '3' }).reject?.column).toBe(
      'TARGET',
    );
    expect(converter.unknownLevels.size).toBe(0);
    expect(convert({ SK_ID_CURR: '1', NAME_CONTRACT_TYPE: 'Mortgage' })).toEqual({ warned: true });
    expect(converter.unknownLevels.get('NAME_CONTRACT_TYPE')).toEqual(new Map([['Mortgage', 1]]));
  });

  it('lists at most 100 distinct unknown levels per column, the rest in one bucket', () => {
    const { convert, converter } = setup(application, 'application_train.csv');
    for (let i = 0; i < 130; i++) {
      expect(convert({ SK_ID_CURR: String(i + 1), OCCUPATION_TYPE: `job ${i}` }).warned).toBe(true);
    }
    // A level already listed keeps being counted under its own name.
    convert({ SK_ID_CURR: '1000', OCCUPATION_TYPE: 'job 5' });
    // Another column has its own allowance.
    convert({ SK_ID_CURR: '1001', ORGANIZATION_TYPE: 'Spaceport' });
    const levels = converter.unknownLevels.get('OCCUPATION_TYPE')!;
    expect(levels.size).toBe(101);
    expect(levels.get(OTHER_LEVELS)).toBe(30);
    expect(levels.get('job 99')).toBe(1);
    expect(levels.get('job 100')).toBeUndefined();
    expect(levels.get('job 5')).toBe(2);
    expect([...levels.values()].reduce((a, b) => a + b, 0)).toBe(131);
    expect(converter.unknownLevels.get('ORGANIZATION_TYPE')).toEqual(new Map([['Spaceport', 1]]));
  });

  it('counts long unknown levels under their first 200 characters but stores them whole', () => {
    const { convert, converter, row } = setup(application, 'application_train.csv');
    const level = 'L'.repeat(250);
    convert({ SK_ID_CURR: '1', OCCUPATION_TYPE: level });
    expect(row().OCCUPATION_TYPE).toBe(level);
    convert({ SK_ID_CURR: '2', OCCUPATION_TYPE: level + 'x' });
    expect(converter.unknownLevels.get('OCCUPATION_TYPE')).toEqual(new Map([['L'.repeat(200), 2]]));
  });

  it('leaves nothing of a refused row in the next one written at the same place', () => {
    const { convert, row } = setup(application, 'application_train.csv');
    expect(
      convert({ SK_ID_CURR: '1', CODE_GENDER: 'F', AMT_INCOME_TOTAL: '1000', TARGET: '5' }).reject,
    ).toBeDefined();
    expect(convert({ SK_ID_CURR: '2' }).reject).toBeUndefined();
    expect(row()).toMatchObject({ SK_ID_CURR: 2, CODE_GENDER: null, AMT_INCOME_TOTAL: null, TARGET: null });
  });
});

describe('RowConverter on installments_payments rows', () => {
  const header = names(installments);

  it('converts a Kaggle row', () => {
    const { converter, batch, row } = setup(installments, 'installments_payments.csv');
    const fields = '1054186,161674,1.0,6,-1180.0,-1187.0,6948.36,6948.36'.split(',');
    expect(converter.convertInto(fields, 2, batch)).toEqual({ warned: false });
    expect(row()).toEqual({
      SK_ID_PREV: 1054186,
      SK_ID_CURR: 161674,
      NUM_INSTALMENT_VERSION: 1,
      NUM_INSTALMENT_NUMBER: 6,
      DAYS_INSTALMENT: -1180,
      DAYS_ENTRY_PAYMENT: -1187,
      AMT_INSTALMENT: 6948.36,
      AMT_PAYMENT: 6948.36,
    });
  });

  it('refuses a row missing either key', () => {
    const { converter, batch } = setup(installments, 'installments_payments.csv');
    expect(converter.convertInto(['', '1', '', '', '', '', '', ''], 5, batch).reject?.column).toBe(
      'SK_ID_PREV',
    );
    expect(converter.convertInto(['1', '', '', '', '', '', '', ''], 5, batch).reject).toEqual({
      file: 'installments_payments.csv',
      line: 5,
      column: 'SK_ID_CURR',
      value: '',
      reason: 'missing value for a key column',
    });
  });

  it('keeps every row of valid or empty cells, with the values Number() gives', () => {
    const integerText = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }).map(String),
      fc.integer({ min: -1e6, max: 1e6 }).map((n) => `${n}.0`),
      fc.constant(''),
    );
    const realText = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map(String),
      fc.integer({ min: 0, max: 1e8 }).map((n) => (n / 100).toFixed(2)),
      fc.constant(''),
    );
    const key = fc.integer({ min: 1, max: 2 ** 31 }).map(String);
    const rowArb = fc.tuple(key, key, integerText, integerText, integerText, integerText, realText, realText);
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 16 }), (rows) => {
        const { converter, batch } = setup(installments, 'installments_payments.csv');
        rows.forEach((fields, i) => {
          expect(converter.convertInto(fields, i + 2, batch)).toEqual({ warned: false });
          batch.rowCount++;
        });
        rows.forEach((fields, r) => {
          fields.forEach((text, k) => {
            expect(cellValue(batch, r, k), `${header[k]} = ${text}`).toBe(text === '' ? null : Number(text));
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});
