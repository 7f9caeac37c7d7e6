import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { prng, type ForestSpec, type SpecNode } from './forestSpec.ts';

const { onnx } = onnxProto;

export interface EncodeOptions {
  operator?: 'TreeEnsembleClassifier' | 'TreeEnsembleRegressor';
  postTransform?: string;
  /** Write nodes_hitrates (default true). */
  covers?: boolean;
  /** Raw `feature_names` metadata value; default a JSON array f0, f1, ... */
  featureNames?: string | null;
  /** Number node ids in a shuffled order from this seed instead of preorder. */
  shuffleIdsSeed?: number;
  inputType?: 'float' | 'double';
  /** Edits the operator's attributes before encoding, to build broken files. */
  edit?: (attributes: Attributes) => void;
}

export type Attributes = Record<string, number[] | string[] | string | number>;

/** Encodes a forest as an ONNX TreeEnsembleClassifier (binary, one score) or TreeEnsembleRegressor. */
export function encodeForest(spec: ForestSpec, options: EncodeOptions = {}): Uint8Array {
  const operator = options.operator ?? 'TreeEnsembleClassifier';
  const prefix = operator === 'TreeEnsembleClassifier' ? 'class' : 'target';
  const nodes = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    missing: [] as number[],
    hitrates: [] as number[],
  };
  const leaves = { treeIds: [] as number[], nodeIds: [] as number[], weights: [] as number[] };
  const random = prng(options.shuffleIdsSeed ?? 0);
  spec.trees.forEach((root, treeId) => {
    const order: SpecNode[] = [];
    const collect = (node: SpecNode) => {
      order.push(node);
      if (node.kind === 'branch') {
        collect(node.onTrue);
        collect(node.onFalse);
      }
    };
    collect(root);
    const ids = order.map((_, i) => i);
    if (options.shuffleIdsSeed !== undefined) {
      for (let i = ids.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
    }
    // onnxruntime takes a tree's first listed node as its root and wants node ids below the node count.
    const idOf = new Map(order.map((node, i) => [node, ids[i]!]));
    for (const node of order) {
      nodes.treeIds.push(treeId);
      nodes.nodeIds.push(idOf.get(node)!);
      nodes.hitrates.push(node.cover);
      if (node.kind === 'leaf') {
        nodes.featureIds.push(0);
        nodes.modes.push('LEAF');
        nodes.values.push(0);
        nodes.trueIds.push(0);
        nodes.falseIds.push(0);
        nodes.missing.push(0);
        leaves.treeIds.push(treeId);
        leaves.nodeIds.push(idOf.get(node)!);
        leaves.weights.push(node.value);
      } else {
        nodes.featureIds.push(node.feature);
        nodes.modes.push(node.mode);
        nodes.values.push(node.threshold);
        nodes.trueIds.push(idOf.get(node.onTrue)!);
        nodes.falseIds.push(idOf.get(node.onFalse)!);
        nodes.missing.push(node.missingTracksTrue ? 1 : 0);
      }
    }
  });
  const attributes: Attributes = {
    nodes_treeids: nodes.treeIds,
    nodes_nodeids: nodes.nodeIds,
    nodes_featureids: nodes.featureIds,
    nodes_modes: nodes.modes,
    nodes_values: nodes.values,
    nodes_truenodeids: nodes.trueIds,
    nodes_falsenodeids: nodes.falseIds,
    nodes_missing_value_tracks_true: nodes.missing,
    [`${prefix}_treeids`]: leaves.treeIds,
    [`${prefix}_nodeids`]: leaves.nodeIds,
    [`${prefix}_ids`]: leaves.weights.map(() => 0),
    [`${prefix}_weights`]: leaves.weights,
    base_values: [spec.base],
    post_transform: options.postTransform ?? (operator === 'TreeEnsembleClassifier' ? 'LOGISTIC' : 'NONE'),
  };
  if (options.covers ?? true) attributes.nodes_hitrates = nodes.hitrates;
  if (operator === 'TreeEnsembleClassifier') attributes.classlabels_int64s = [0, 1];
  else attributes.n_targets = 1;
  options.edit?.(attributes);

  const elemType = options.inputType === 'double' ? 11 : 1;
  const outputs =
    operator === 'TreeEnsembleClassifier'
      ? [tensorInfo('label', 7, ['N']), tensorInfo('probabilities', 1, ['N', 2])]
      : [tensorInfo('variable', 1, ['N', 1])];
  const names =
    options.featureNames === undefined
      ? JSON.stringify(Array.from({ length: spec.nFeatures }, (_, i) => `f${i}`))
      : options.featureNames;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'scoring-desk-tests',
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    metadataProps: names === null ? [] : [{ key: 'feature_names', value: names }],
    graph: {
      name: 'forest',
      input: [tensorInfo('input', elemType, ['N', spec.nFeatures])],
      output: outputs,
      node: [
        {
          opType: operator,
          domain: 'ai.onnx.ml',
          input: ['input'],
          output: outputs.map((output) => output.name!),
          attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
        },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function tensorInfo(
  name: string,
  elemType: number,
  dims: (string | number)[],
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function attribute(name: string, value: Attributes[string]): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (name.endsWith('_as_tensor')) {
    const values = value as number[];
    return {
      name,
      type: AttributeType.TENSOR,
      t: { dataType: 11, dims: [values.length], doubleData: values },
    };
  }
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: Buffer.from(value) };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if (value.length > 0 && typeof value[0] === 'string') {
    return { name, type: AttributeType.STRINGS, strings: (value as string[]).map((s) => Buffer.from(s)) };
  }
  const floats = name.endsWith('values') || name.endsWith('weights') || name.endsWith('hitrates');
  return floats
    ? { name, type: AttributeType.FLOATS, floats: value as number[] }
    : { name, type: AttributeType.INTS, ints: value as number[] };
}

/** The model's positive-class output for each row, computed by onnxruntime. */
export async function runOnnxruntime(
  bytes: Uint8Array,
  rows: number[][],
  double = false,
): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const width = rows[0]!.length;
    const data = double ? Float64Array.from(rows.flat()) : Float32Array.from(rows.flat());
    const input = new ort.Tensor(double ? 'float64' : 'float32', data, [rows.length, width]);
    const results = await session.run({ input });
    const out = results.probabilities ?? results.variable;
    const values = out!.data as Float32Array;
    const stride = results.probabilities ? 2 : 1;
    return Float64Array.from({ length: rows.length }, (_, r) => values[r * stride + stride - 1]!);
  } finally {
    await session.release();
  }
}

/** A valid ONNX model with no trees in it. */
export function encodeIdentityModel(): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'identity',
        input: [tensorInfo('input', 1, ['N', 2])],
        output: [tensorInfo('output', 1, ['N', 2])],
        node: [{ opType: 'Identity', input: ['input'], output: ['output'] }],
      },
    }),
  ).finish();
}
