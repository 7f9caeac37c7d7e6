import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/support/runCli.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../../shared/fixtures/treeshap');
const SMALL = join(FIXTURES, 'small');
const work = mkdtempSync(join(tmpdir(), 'scoring-desk-explain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]) => runCli('explain', ...args);

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

function table(path: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return {
    header: lines[0]!.split(','),
    rows: lines.slice(1).map((line) => line.split(',').map((field) => (field === '' ? NaN : Number(field)))),
  };
}

function expectClose(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => {
    expect(row.length).toBe(expected[r]!.length);
    row.forEach((value, j) => expect(Math.abs(value - expected[r]![j]!)).toBeLessThan(tolerance));
  });
}

const inputText = readFileSync(join(SMALL, 'inputs.csv'), 'utf8');
const [inputHeader, ...inputLines] = inputText.trim().split('\n');

describe('scoring-desk explain --model --input --out', () => {
  it('reproduces the golden file: margin, probability, shap_<feature>..., shap_bias', async () => {
    const out = join(work, 'small.csv');
    const result = await run(
      '--model',
      join(SMALL, 'model.onnx'),
      '--input',
      join(SMALL, 'inputs.csv'),
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Explained 50 rows into .*small\.csv/);
    expect(result.stdout).toMatch(/Input: columns matched by name to the model's 8 features\n/);
    expect(result.stdout).toMatch(/Method: Path-dependent TreeSHAP/);
    const expected = table(join(SMALL, 'expected.csv'));
    const actual = table(out);
    expect(actual.header).toEqual(expected.header);
    expectClose(actual.rows, expected.rows, 1e-5);
  });

  it('matches columns by name whatever their order, ignoring the others', async () => {
    const names = inputHeader!.split(',');
    const order = [...names.keys()].reverse();
    const text = [
      ['SK_ID_CURR', ...order.map((j) => names[j])].join(','),
      ...inputLines.map((line, r) => {
        const fields = line.split(',');
        return [String(100000 + r), ...order.map((j) => fields[j])].join(',');
      }),
    ].join('\n');
    const out = join(work, 'reordered.csv');
    const result = await run(
      '--model',
      join(SMALL, 'model.onnx'),
      '--input',
      file('reordered-in.csv', text),
      '--out',
      out,
    );
    expect(result.stdout).toMatch(
      /columns matched by name to the model's 8 features \(ignored: SK_ID_CURR\)/,
    );
    expectClose(table(out).rows, table(join(SMALL, 'expected.csv')).rows, 1e-5);
  });

  it('takes columns by position when the header names no feature, or when there is no header', async () => {
    const renamed = file('renamed.csv', [inputHeader!.replace(/f/g, 'x'), ...inputLines].join('\n'));
    const bare = file('bare.csv', inputLines.slice(1).join('\n'));
    const model = join(SMALL, 'model.onnx');
    const expected = table(join(SMALL, 'expected.csv')).rows;

    let result = await run('--model', model, '--input', renamed, '--out', join(work, 'renamed-out.csv'));
    expect(result.stdout).toMatch(/the header names none of the model's features: columns taken by position/);
    expectClose(table(join(work, 'renamed-out.csv')).rows, expected, 1e-5);

    // Without the header, the first line is all numbers: read as data.
    result = await run('--model', model, '--input', bare, '--out', join(work, 'bare-out.csv'));
    expect(result.stdout).toMatch(/no header line: columns taken by position/);
    expectClose(table(join(work, 'bare-out.csv')).rows, expected.slice(1), 1e-5);
  });

  it('explains against a background sample when the model has no covers', async () => {
    const out = join(work, 'interventional.csv');
    const result = await run(
      '--model',
      join(SMALL, 'model-nocovers.onnx'),
      '--input',
      join(SMALL, 'inputs.csv'),
      '--background',
      join(SMALL, 'background.csv'),
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Method: Interventional TreeSHAP over 64 background rows \(the model has no usable node covers/,
    );
    const expected = table(join(SMALL, 'expected-interventional.csv')).rows;
    // expected: margin, shap..., bias; ours has the probability in second place.
    const ours = table(out)
      .rows.slice(0, expected.length)
      .map((row) => [row[0]!, ...row.slice(2)]);
    expectClose(ours, expected, 1e-6);
  });

  it('gives the same values on two worker threads as on one', async () => {
    const wide = join(FIXTURES, 'wide');
    const one = join(work, 'wide-1.csv');
    const two = join(work, 'wide-2.csv');
    await run(
      '--model',
      join(wide, 'model.onnx'),
      '--input',
      join(wide, 'inputs.csv'),
      '--out',
      one,
      '--threads',
      '1',
    );
    const result = await run(
      '--model',
      join(wide, 'model.onnx'),
      '--input',
      join(wide, 'inputs.csv'),
      '--out',
      two,
      '--threads',
      '2',
    );
    expect(result.stdout).toMatch(/\(2 threads\)/);
    expect(readFileSync(two, 'utf8')).toBe(readFileSync(one, 'utf8'));
  });
});

describe('scoring-desk explain refuses bad input clearly', () => {
  const model = join(SMALL, 'model.onnx');
  const cases: [string, () => string[], RegExp][] = [
    [
      'a missing column',
      () => ['--input', file('missing.csv', inputText.replace('f3,', 'g3,'))],
      /missing\.csv: missing column for the model's features: f3/,
    ],
    [
      'a wrong column count',
      () => ['--input', file('narrow.csv', 'a,b,c\n1,2,3\n')],
      /narrow\.csv: line 1 has 3 columns but the model has 8 features/,
    ],
    [
      'a value that is not a number',
      () => [
        '--input',
        file('word.csv', [inputHeader, inputLines[0], inputLines[1]!.replace(/^[^,]*/, 'abc')].join('\n')),
      ],
      /word\.csv: line 3, column f0: "abc" is not a number/,
    ],
    [
      'a line with too few fields',
      () => ['--input', file('short.csv', [inputHeader, inputLines[0], '1,2'].join('\n'))],
      /short\.csv: line 3 has 2 fields, expected 8/,
    ],
    [
      'an unreadable model',
      () => ['--input', join(SMALL, 'inputs.csv'), '--model', join(SMALL, 'inputs.csv')],
      /inputs\.csv: not an ONNX model \(invalid wire type/,
    ],
    ['a missing input', () => ['--input', join(work, 'nowhere.csv')], /nowhere\.csv: cannot read the input/],
  ];
  for (const [label, args, message] of cases) {
    it(label, async () => {
      const out = join(work, `${label}.csv`);
      const result = await run('--model', model, '--out', out, ...args());
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(false);
    });
  }

  it('a usage error when --model, --input or --out is missing', async () => {
    const result = await run('--model', model);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /explain needs --model, --input and --out together \(missing --input, --out\)/,
    );
  });
});
