import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeModelFolder } from '../../../src-main/model/modelFolder.ts';

const work = mkdtempSync(join(tmpdir(), 'scoring-desk-model-folder-'));

describe('writeModelFolder', () => {
  it('creates the folder, replaces the staged files, keeps the others, leaves no staging folder', async () => {
    const dir = join(work, 'models');
    mkdirSync(dir);
    writeFileSync(join(dir, 'README.md'), 'readme');
    writeFileSync(join(dir, 'model.onnx'), 'old model');
    const written = await writeModelFolder(dir, (staging) => {
      writeFileSync(join(staging, 'model.onnx'), 'new model');
      writeFileSync(join(staging, 'model-card.json'), '{}');
    });
    // The model goes last, after its card.
    expect(written).toEqual([join(dir, 'model-card.json'), join(dir, 'model.onnx')]);
    expect(readFileSync(join(dir, 'model.onnx'), 'utf8')).toBe('new model');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('readme');
    expect(readdirSync(work)).toEqual(['models']);
  });

  it('changes nothing when staging fails half way', async () => {
    const dir = join(work, 'kept');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.onnx'), 'old model');
    await expect(
      writeModelFolder(dir, (staging) => {
        writeFileSync(join(staging, 'model.onnx'), 'half a model');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readdirSync(dir)).toEqual(['model.onnx']);
    expect(readFileSync(join(dir, 'model.onnx'), 'utf8')).toBe('old model');
    expect(readdirSync(work).filter((f) => f.includes('staging'))).toEqual([]);
    await expect(
      writeModelFolder(join(work, 'fresh'), () => Promise.reject(new Error('no'))),
    ).rejects.toThrow();
    expect(existsSync(join(work, 'fresh'))).toBe(false);
  });
});
