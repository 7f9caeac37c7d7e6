import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { buildForest, type EnsembleNodes, type Forest, type LeafWeights } from './forest.ts';
import { TreeModelError } from './modelError.ts';

const { onnx } = onnxProto;
type Attribute = onnxProto.onnx.IAttributeProto;
// Decoded messages always carry their repeated fields (empty when absent), unlike the I* interfaces suggest.
type Graph = onnxProto.onnx.GraphProto;
type Node = onnxProto.onnx.NodeProto;
type Long = { toNumber(): number };

/** The trees of an ONNX tree-ensemble model, as far as explaining its positive-class score needs them. */
export interface TreeModel {
  file: string;
  operator: 'TreeEnsembleClassifier' | 'TreeEnsembleRegressor';
  /** LOGISTIC: the model's output is sigmoid(margin); NONE: the margin itself. */
  postTransform: 'NONE' | 'LOGISTIC';
  /** Added to the sum of the trees' leaf values to make the margin. */
  base: number;
  featureNames: string[];
  /**
   * onnxruntime casts a float model's input to float32 and compares it with float32 thresholds; a model whose
   * trees read doubles compares in double.
   */
  float32Inputs: boolean;
  forest: Forest;
  /** The file's metadata_props (our models keep their threshold, version and costs there). */
  metadata: { key: string; value: string }[];
}

/** A metadata_props entry of the model file; undefined when absent or empty. */
export function metadataValue(model: TreeModel, key: string): string | undefined {
  return model.metadata.find((prop) => prop.key === key)?.value || undefined;
}

const ENSEMBLE_OPS = ['TreeEnsembleClassifier', 'TreeEnsembleRegressor'] as const;
const FLOAT = 1;
const DOUBLE = 11;

/** Reads the tree ensemble out of an ONNX file; throws a TreeModelError saying what is wrong otherwise. */
export function readOnnxTrees(file: string): TreeModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new TreeModelError(file, `cannot read the model file (${(error as Error).message})`);
  }
  return parseOnnxTrees(file, bytes);
}

export function parseOnnxTrees(file: string, bytes: Uint8Array): TreeModel {
  const fail = (problem: string): never => {
    throw new TreeModelError(file, problem);
  };
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    return fail(`not an ONNX model (${(error as Error).message})`);
  }
  const graph = model.graph as Graph | null;
  if (!graph || graph.node.length === 0)
    return fail('not an ONNX model (no graph, or a graph without nodes)');

  const nodes = graph.node as Node[];
  const ensembles = nodes.filter((node) => (ENSEMBLE_OPS as readonly string[]).includes(node.opType ?? ''));
  if (ensembles.length === 0) {
    const ops = [...new Set(nodes.map((node) => node.opType))].join(', ');
    const hint = nodes.some((node) => node.opType === 'TreeEnsemble')
      ? ' (the ai.onnx.ml 5 TreeEnsemble operator is not supported: convert with ai.onnx.ml opset 3)'
      : '';
    return fail(`no TreeEnsembleClassifier or TreeEnsembleRegressor node; the graph has ${ops}${hint}`);
  }
  if (ensembles.length > 1) return fail(`${ensembles.length} tree ensembles in one graph; expected one`);
  const node = ensembles[0]!;
  const operator = node.opType as TreeModel['operator'];
  const attributes = new Map(node.attribute.map((attribute) => [attribute.name ?? '', attribute]));

  const input = traceInput(graph, nodes, node.input[0] ?? '', fail);
  const float32Inputs = input.elemType !== DOUBLE;
  const precision = float32Inputs ? Math.fround : (x: number) => x;

  const postTransform = stringAttribute(attributes, 'post_transform') ?? 'NONE';
  if (postTransform !== 'NONE' && postTransform !== 'LOGISTIC') {
    return fail(`post_transform ${postTransform} is not supported (only LOGISTIC or NONE)`);
  }

  const ensembleNodes: EnsembleNodes = {
    treeIds: intsAttribute(attributes, 'nodes_treeids'),
    nodeIds: intsAttribute(attributes, 'nodes_nodeids'),
    featureIds: intsAttribute(attributes, 'nodes_featureids'),
    modes: stringsAttribute(attributes, 'nodes_modes'),
    values: floatsAttribute(attributes, 'nodes_values').map(precision),
    trueIds: intsAttribute(attributes, 'nodes_truenodeids'),
    falseIds: intsAttribute(attributes, 'nodes_falsenodeids'),
    missingTracksTrue: intsAttribute(attributes, 'nodes_missing_value_tracks_true'),
    hitrates: floatsAttribute(attributes, 'nodes_hitrates'),
  };
  const score =
    operator === 'TreeEnsembleClassifier'
      ? classifierScore(attributes, fail)
      : regressorScore(attributes, new Set(ensembleNodes.treeIds).size, fail);
  score.leaves.weights = score.leaves.weights.map(precision);

  const featureNames = readFeatureNames(model, fail);
  const maxFeatureId = ensembleNodes.featureIds.reduce((max, id) => Math.max(max, id), -1);
  const nFeatures = input.width ?? featureNames?.length ?? maxFeatureId + 1;
  if (featureNames && featureNames.length !== nFeatures) {
    fail(`metadata feature_names has ${featureNames.length} names for ${nFeatures} inputs`);
  }
  return {
    file,
    operator,
    postTransform,
    base: precision(score.base),
    featureNames: featureNames ?? Array.from({ length: nFeatures }, (_, i) => `f${i}`),
    float32Inputs,
    metadata: model.metadataProps.map((prop) => ({ key: prop.key ?? '', value: prop.value ?? '' })),
    forest: buildForest(file, ensembleNodes, score.leaves, nFeatures, score.leafScale),
  };
}

interface Score {
  leaves: LeafWeights;
  base: number;
  leafScale: number;
}

/**
 * A binary classifier's positive-class score. With weights for one class only, onnxruntime treats that single
 * score as the positive class's (the usual XGBoost and LightGBM export); with weights for both, class 1's.
 */
function classifierScore(attributes: Map<string, Attribute>, fail: (problem: string) => never): Score {
  const labels = Math.max(
    intsAttribute(attributes, 'classlabels_int64s').length,
    stringsAttribute(attributes, 'classlabels_strings').length,
  );
  if (labels !== 2) fail(`a classifier with ${labels} classes; only binary classifiers are supported`);
  const classIds = intsAttribute(attributes, 'class_ids');
  const distinct = new Set(classIds);
  for (const id of distinct) if (id !== 0 && id !== 1) fail(`class_ids has ${id}, outside the 2 classes`);
  const bases = floatsAttribute(attributes, 'base_values');
  if (bases.length > 2) fail(`base_values has ${bases.length} entries for 2 classes`);
  if (distinct.size === 2 && bases.length === 1) {
    fail(
      'base_values has 1 entry while both classes have leaf weights: which class it belongs to is ambiguous',
    );
  }
  const keep = distinct.size === 2 ? (id: number) => id === 1 : () => true;
  return {
    leaves: selectWeights(attributes, 'class', classIds.map(keep), fail),
    base: bases[bases.length - 1] ?? 0,
    leafScale: 1,
  };
}

function regressorScore(
  attributes: Map<string, Attribute>,
  nTrees: number,
  fail: (problem: string) => never,
): Score {
  const targets = intAttribute(attributes, 'n_targets') ?? 1;
  if (targets !== 1) fail(`a regressor with ${targets} targets; only one target is supported`);
  const aggregate = stringAttribute(attributes, 'aggregate_function') ?? 'SUM';
  if (aggregate !== 'SUM' && aggregate !== 'AVERAGE') {
    fail(`aggregate_function ${aggregate} is not supported (only SUM or AVERAGE)`);
  }
  const bases = floatsAttribute(attributes, 'base_values');
  if (bases.length > 1) fail(`base_values has ${bases.length} entries for 1 target`);
  const targetIds = intsAttribute(attributes, 'target_ids');
  return {
    leaves: selectWeights(
      attributes,
      'target',
      targetIds.map(() => true),
      fail,
    ),
    base: bases[0] ?? 0,
    // onnxruntime divides the sum by the number of trees; scaling every leaf keeps the margin a plain sum.
    leafScale: aggregate === 'AVERAGE' ? 1 / nTrees : 1,
  };
}

function selectWeights(
  attributes: Map<string, Attribute>,
  prefix: 'class' | 'target',
  keep: boolean[],
  fail: (problem: string) => never,
): LeafWeights {
  const treeIds = intsAttribute(attributes, `${prefix}_treeids`);
  const nodeIds = intsAttribute(attributes, `${prefix}_nodeids`);
  const weights = floatsAttribute(attributes, `${prefix}_weights`);
  const n = weights.length;
  if (n === 0) fail(`no leaf weights (${prefix}_weights)`);
  if (treeIds.length !== n || nodeIds.length !== n || keep.length !== n) {
    fail(
      `${prefix}_treeids, ${prefix}_nodeids, ${prefix}_ids and ${prefix}_weights have different lengths (${treeIds.length}, ${nodeIds.length}, ${keep.length}, ${n})`,
    );
  }
  const picked = (_: number, i: number) => keep[i];
  return {
    treeIds: treeIds.filter(picked),
    nodeIds: nodeIds.filter(picked),
    weights: weights.filter(picked),
  };
}

/** The graph input the trees read, directly or through a Cast, with its element type and width. */
function traceInput(
  graph: Graph,
  nodes: Node[],
  name: string,
  fail: (problem: string) => never,
): { elemType: number; width: number | undefined } {
  let castTo: number | undefined;
  let source = name;
  const producer = nodes.find((node) => node.output.includes(source));
  if (producer) {
    if (producer.opType !== 'Cast') {
      fail(
        `the tree ensemble reads ${source}, computed by a ${producer.opType} node: preprocessing inside the model is not supported`,
      );
    }
    castTo = toNumber(producer.attribute.find((attribute) => attribute.name === 'to')?.i ?? 0);
    source = producer.input[0] ?? '';
  }
  const input = graph.input.find((candidate) => candidate.name === source);
  if (!input) fail(`the tree ensemble's input ${source} is not an input of the graph`);
  const tensor = input.type?.tensorType;
  const elemType = castTo ?? tensor?.elemType ?? FLOAT;
  if (elemType !== FLOAT && elemType !== DOUBLE)
    fail(`the trees read ${source} as tensor type ${elemType}, not float or double`);
  const dims = tensor?.shape?.dim ?? [];
  const last = dims.length === 2 ? dims[1] : undefined;
  const width = last?.dimValue !== undefined && last.dimValue !== null ? toNumber(last.dimValue) : undefined;
  return { elemType, width: width && width > 0 ? width : undefined };
}

/** `feature_names` metadata: a JSON array of strings or a comma-separated list. */
function readFeatureNames(
  model: onnxProto.onnx.ModelProto,
  fail: (problem: string) => never,
): string[] | undefined {
  const entry = model.metadataProps.find((prop) => prop.key === 'feature_names');
  if (!entry?.value) return undefined;
  const text = entry.value.trim();
  let names: unknown;
  if (text.startsWith('[')) {
    try {
      names = JSON.parse(text);
    } catch {
      fail('metadata feature_names starts like a JSON array but is not valid JSON');
    }
    if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
      fail('metadata feature_names is JSON but not an array of strings');
    }
  } else {
    names = text.split(',').map((name) => name.trim());
  }
  const list = names as string[];
  const seen = new Set<string>();
  for (const name of list) {
    if (!name) fail('metadata feature_names has an empty name');
    if (seen.has(name)) fail(`metadata feature_names has ${name} twice`);
    seen.add(name);
  }
  return list;
}

function toNumber(value: number | Long): number {
  return typeof value === 'number' ? value : value.toNumber();
}

function intsAttribute(attributes: Map<string, Attribute>, name: string): number[] {
  return (attributes.get(name)?.ints ?? []).map(toNumber);
}

function intAttribute(attributes: Map<string, Attribute>, name: string): number | undefined {
  const attribute = attributes.get(name);
  return attribute?.i === undefined || attribute.i === null ? undefined : toNumber(attribute.i);
}

function stringAttribute(attributes: Map<string, Attribute>, name: string): string | undefined {
  const bytes = attributes.get(name)?.s;
  return bytes && bytes.length > 0 ? Buffer.from(bytes).toString('utf8') : undefined;
}

function stringsAttribute(attributes: Map<string, Attribute>, name: string): string[] {
  return (attributes.get(name)?.strings ?? []).map((bytes) => Buffer.from(bytes).toString('utf8'));
}

/** A FLOATS attribute, or its `_as_tensor` double twin (opset 3). */
function floatsAttribute(attributes: Map<string, Attribute>, name: string): number[] {
  const floats = attributes.get(name)?.floats;
  if (floats && floats.length > 0) return floats;
  const tensor = attributes.get(`${name}_as_tensor`)?.t;
  if (!tensor) return [];
  if (tensor.doubleData && tensor.doubleData.length > 0) return tensor.doubleData;
  if (tensor.floatData && tensor.floatData.length > 0) return tensor.floatData;
  const raw = tensor.rawData;
  if (!raw || raw.length === 0) return [];
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = tensor.dataType === DOUBLE ? 8 : 4;
  return Array.from({ length: raw.byteLength / size }, (_, i) =>
    size === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true),
  );
}
