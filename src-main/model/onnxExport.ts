import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { metadataProps, type ModelMetadata } from './modelMetadata.ts';
import type { TreeModel } from './treeModel.ts';
import { writeFileAtomic } from '../runtime/durableFiles.ts';

const { onnx } = onnxProto;
const AttributeType = onnx.AttributeProto.AttributeType;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

export const MODEL_FILE = 'model.onnx';
export const INPUT_NAME = 'features';
export const PROBABILITY_OUTPUT = 'probabilities';

/**
 * The model as an ONNX TreeEnsembleClassifier (ai.onnx.ml opset 3): BRANCH_LEQ nodes (true = left = float32(x) ≤
 * threshold, exactly the trainer's rule), NaN tracking the trainer's default direction, hessian covers of every
 * node in nodes_hitrates (for exact TreeSHAP from the file alone), one class weight per leaf, base_values the base
 * margin, LOGISTIC. Outputs `label` [N] and `probabilities` [N, 2] = [1 − p, p].
 */
export function onnxModelBytes(model: TreeModel, metadata: ModelMetadata): Uint8Array {
  const features = model.featureNames.length;
  if (
    metadata.featureNames.length !== features ||
    metadata.featureNames.some((n, i) => n !== model.featureNames[i])
  ) {
    throw new Error('the metadata feature names differ from the model feature names');
  }
  const n = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as Uint8Array[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    missingTrue: [] as number[],
    hitrates: [] as number[],
  };
  const leaves = { treeIds: [] as number[], nodeIds: [] as number[], weights: [] as number[] };
  const branch = new TextEncoder().encode('BRANCH_LEQ');
  const leaf = new TextEncoder().encode('LEAF');
  model.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.feature.length; i++) {
      const isLeaf = tree.feature[i]! < 0;
      n.treeIds.push(t);
      n.nodeIds.push(i);
      n.featureIds.push(isLeaf ? 0 : tree.feature[i]!);
      n.modes.push(isLeaf ? leaf : branch);
      n.values.push(isLeaf ? 0 : tree.threshold[i]!);
      n.trueIds.push(isLeaf ? 0 : tree.left[i]!);
      n.falseIds.push(isLeaf ? 0 : tree.right[i]!);
      n.missingTrue.push(isLeaf ? 0 : tree.defaultLeft[i]!);
      n.hitrates.push(tree.cover[i]!);
      if (isLeaf) {
        leaves.treeIds.push(t);
        leaves.nodeIds.push(i);
        leaves.weights.push(tree.value[i]!);
      }
    }
  });
  const ints = (name: string, values: number[]) => ({ name, type: AttributeType.INTS, ints: values });
  const floats = (name: string, values: number[]) => ({ name, type: AttributeType.FLOATS, floats: values });
  const ensemble = {
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    name: 'trees',
    input: [INPUT_NAME],
    output: ['label', PROBABILITY_OUTPUT],
    attribute: [
      ints('nodes_treeids', n.treeIds),
      ints('nodes_nodeids', n.nodeIds),
      ints('nodes_featureids', n.featureIds),
      { name: 'nodes_modes', type: AttributeType.STRINGS, strings: n.modes },
      floats('nodes_values', n.values),
      ints('nodes_truenodeids', n.trueIds),
      ints('nodes_falsenodeids', n.falseIds),
      ints('nodes_missing_value_tracks_true', n.missingTrue),
      floats('nodes_hitrates', n.hitrates),
      ints('class_treeids', leaves.treeIds),
      ints('class_nodeids', leaves.nodeIds),
      ints(
        'class_ids',
        leaves.treeIds.map(() => 0),
      ),
      floats('class_weights', leaves.weights),
      ints('classlabels_int64s', [0, 1]),
      floats('base_values', [model.baseMargin]),
      { name: 'post_transform', type: AttributeType.STRING, s: new TextEncoder().encode('LOGISTIC') },
    ],
  };
  const tensor = (name: string, elemType: number, dims: onnxProto.onnx.TensorShapeProto.IDimension[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims } } },
  });
  const rows = { dimParam: 'N' };
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'scoring-desk',
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    graph: {
      name: 'scoring-desk-gbdt',
      node: [ensemble],
      input: [tensor(INPUT_NAME, FLOAT, [rows, { dimValue: features }])],
      output: [tensor('label', INT64, [rows]), tensor(PROBABILITY_OUTPUT, FLOAT, [rows, { dimValue: 2 }])],
    },
    metadataProps: metadataProps(metadata),
  });
  return onnx.ModelProto.encode(proto).finish();
}

/**
 * A version naming the model's content: the same trees, inputs, training fingerprint, threshold and costs give the
 * same version whatever the creation date, so re-scoring with a retrained identical model replaces its scores.
 */
export function contentVersion(
  model: TreeModel,
  metadata: Omit<ModelMetadata, 'modelVersion' | 'createdAt'>,
): string {
  const bytes = onnxModelBytes(model, { ...metadata, modelVersion: '-', createdAt: '-' });
  return `gbdt-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
}

/**
 * Writes `<dir>/model.onnx` atomically: a temporary file in the same folder, flushed to disk, then renamed over
 * the old model, so a reader never sees half a file. Returns the path.
 */
export function writeOnnxModel(dir: string, model: TreeModel, metadata: ModelMetadata): string {
  const bytes = onnxModelBytes(model, metadata);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, MODEL_FILE);
  writeFileAtomic(path, bytes);
  return path;
}
