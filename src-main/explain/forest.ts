import { TreeModelError } from './modelError.ts';

/** Comparison a branch node makes; `left` is the child taken when it holds. */
export const OP_LT = 0;
export const OP_LE = 1;
export const OP_EQ = 2;

/**
 * Every tree of an ensemble in flat typed arrays, nodes of tree t at [treeStart[t], treeStart[t + 1]) in preorder
 * (root first, a node before its children), child indices global. ONNX's six branch modes are normalised to three
 * comparisons by swapping children (x ≥ t is "not x < t"), with the NaN direction carried separately, so traversal
 * needs one small switch.
 */
export interface Forest {
  nTrees: number;
  nFeatures: number;
  treeStart: Int32Array;
  /** Feature index for a branch node, -1 for a leaf. */
  feature: Int32Array;
  threshold: Float64Array;
  op: Uint8Array;
  /** 1 when a missing value (NaN) goes to `left`. */
  nanLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** A leaf's value (the sum of its weights for the explained score); 0 for a branch node. */
  value: Float64Array;
  /** Training data that reached each node (nodes_hitrates), or null when the file has none. */
  cover: Float64Array | null;
}

/** The node attributes of a TreeEnsemble operator, one entry per node, as ONNX stores them. */
export interface EnsembleNodes {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  /** Thresholds, already in the precision the comparisons are made in. */
  values: number[];
  trueIds: number[];
  falseIds: number[];
  /** Empty when the attribute is absent (no node tracks missing values to its true branch). */
  missingTracksTrue: number[];
  /** Empty when the attribute is absent. */
  hitrates: number[];
}

/** Leaf weights for the one score being explained, one entry per (tree, node, weight) triple. */
export interface LeafWeights {
  treeIds: number[];
  nodeIds: number[];
  weights: number[];
}

const LEAF = 'LEAF';
/** Mode → [comparison, whether ONNX's true branch is the comparison's `left`, whether NaN satisfies it]. */
const MODES: Record<string, readonly [number, boolean, boolean]> = {
  BRANCH_LT: [OP_LT, true, false],
  BRANCH_LEQ: [OP_LE, true, false],
  BRANCH_EQ: [OP_EQ, true, false],
  BRANCH_GTE: [OP_LT, false, false],
  BRANCH_GT: [OP_LE, false, false],
  // x != t is true for NaN in onnxruntime, whatever missing_value_tracks_true says.
  BRANCH_NEQ: [OP_EQ, false, true],
};

interface TreeIndex {
  id: number;
  /** Attribute positions of this tree's nodes. */
  positions: number[];
  byNodeId: Map<number, number>;
}

export function buildForest(
  file: string,
  nodes: EnsembleNodes,
  leaves: LeafWeights,
  nFeatures: number,
  leafScale = 1,
): Forest {
  const fail = (problem: string): never => {
    throw new TreeModelError(file, problem);
  };
  checkLengths(nodes, fail);
  const trees = indexTrees(nodes, fail);
  const leafValue = sumLeafWeights(nodes, leaves, trees, leafScale, fail);

  const layout: Layout = {
    feature: [],
    threshold: [],
    op: [],
    nanLeft: [],
    left: [],
    right: [],
    value: [],
    cover: [],
  };
  const treeStart = new Int32Array(trees.length + 1);
  trees.forEach((tree, t) => {
    treeStart[t] = layout.feature.length;
    layOutTree(layout, tree, nodes, leafValue, nFeatures, fail);
  });
  treeStart[trees.length] = layout.feature.length;
  return {
    nTrees: trees.length,
    nFeatures,
    treeStart,
    feature: Int32Array.from(layout.feature),
    threshold: Float64Array.from(layout.threshold),
    op: Uint8Array.from(layout.op),
    nanLeft: Uint8Array.from(layout.nanLeft),
    left: Int32Array.from(layout.left),
    right: Int32Array.from(layout.right),
    value: Float64Array.from(layout.value),
    cover: nodes.hitrates.length > 0 ? Float64Array.from(layout.cover) : null,
  };
}

/** The forest's arrays while trees are laid out (their final size is known only once shared subtrees are copied). */
type Layout = { [K in keyof Omit<Forest, 'nTrees' | 'nFeatures' | 'treeStart'>]: number[] };

function checkLengths(nodes: EnsembleNodes, fail: (problem: string) => never): void {
  const n = nodes.treeIds.length;
  if (n === 0) fail('the tree ensemble has no nodes');
  const required: [string, unknown[]][] = [
    ['nodes_nodeids', nodes.nodeIds],
    ['nodes_featureids', nodes.featureIds],
    ['nodes_modes', nodes.modes],
    ['nodes_values', nodes.values],
    ['nodes_truenodeids', nodes.trueIds],
    ['nodes_falsenodeids', nodes.falseIds],
  ];
  const optional: [string, unknown[]][] = [
    ['nodes_missing_value_tracks_true', nodes.missingTracksTrue],
    ['nodes_hitrates', nodes.hitrates],
  ];
  for (const [name, array] of required) {
    if (array.length !== n) fail(`${name} has ${array.length} entries for ${n} nodes (nodes_treeids)`);
  }
  for (const [name, array] of optional) {
    if (array.length !== 0 && array.length !== n) {
      fail(`${name} has ${array.length} entries for ${n} nodes (nodes_treeids)`);
    }
  }
}

function indexTrees(nodes: EnsembleNodes, fail: (problem: string) => never): TreeIndex[] {
  const trees: TreeIndex[] = [];
  const byTreeId = new Map<number, TreeIndex>();
  nodes.treeIds.forEach((treeId, position) => {
    let tree = byTreeId.get(treeId);
    if (!tree) {
      tree = { id: treeId, positions: [], byNodeId: new Map() };
      byTreeId.set(treeId, tree);
      trees.push(tree);
    }
    const nodeId = nodes.nodeIds[position]!;
    if (tree.byNodeId.has(nodeId)) fail(`tree ${treeId}: node id ${nodeId} appears twice`);
    tree.byNodeId.set(nodeId, position);
    tree.positions.push(position);
  });
  return trees;
}

/** Sums each leaf's weights (a leaf may carry several) into a map from attribute position to value. */
function sumLeafWeights(
  nodes: EnsembleNodes,
  leaves: LeafWeights,
  trees: TreeIndex[],
  scale: number,
  fail: (problem: string) => never,
): Map<number, number> {
  const treeById = new Map(trees.map((tree) => [tree.id, tree]));
  const values = new Map<number, number>();
  leaves.weights.forEach((weight, k) => {
    const treeId = leaves.treeIds[k]!;
    const nodeId = leaves.nodeIds[k]!;
    const position = treeById.get(treeId)?.byNodeId.get(nodeId);
    if (position === undefined)
      fail(`a leaf weight refers to tree ${treeId} node ${nodeId}, which does not exist`);
    // onnxruntime ignores weights on branch nodes (old onnxmltools versions wrote some), and so must we.
    if (nodes.modes[position] !== LEAF) return;
    values.set(position, (values.get(position) ?? 0) + weight * scale);
  });
  return values;
}

/** Bound on a forest's nodes once shared subtrees are copied, against a pathological file. */
const MAX_NODES = 50_000_000;

/**
 * Appends a tree in preorder. Like onnxruntime, the tree starts at its first listed node and every node must be
 * reachable from there. A node reached from two parents (LightGBM's converter writes a categorical split as a
 * chain of BRANCH_EQ nodes sharing their true child) is copied under each, which leaves the function unchanged
 * and gives a plain tree.
 */
function layOutTree(
  layout: Layout,
  tree: TreeIndex,
  nodes: EnsembleNodes,
  leafValue: Map<number, number>,
  nFeatures: number,
  fail: (problem: string) => never,
): void {
  const where = (position: number) => `tree ${tree.id} node ${nodes.nodeIds[position]}`;
  const child = (position: number, label: string, childId: number): number => {
    const found = tree.byNodeId.get(childId);
    if (found === undefined) fail(`${where(position)}: its ${label} child, node ${childId}, does not exist`);
    return found;
  };
  const reached = new Set<number>();
  const onPath = new Set<number>();
  const emit = (position: number): number => {
    if (onPath.has(position)) fail(`${where(position)} leads back to itself: the nodes form a cycle`);
    const index = layout.feature.length;
    if (index >= MAX_NODES) fail(`more than ${MAX_NODES} nodes once shared subtrees are copied`);
    reached.add(position);
    const mode = nodes.modes[position]!;
    layout.cover.push(nodes.hitrates[position] ?? 0);
    layout.left.push(-1);
    layout.right.push(-1);
    if (mode === LEAF) {
      layout.feature.push(-1);
      layout.threshold.push(0);
      layout.op.push(0);
      layout.nanLeft.push(0);
      layout.value.push(leafValue.get(position) ?? 0);
      return index;
    }
    const spec = MODES[mode];
    if (!spec) fail(`${where(position)}: branch mode ${mode} is not supported`);
    const featureId = nodes.featureIds[position]!;
    if (!Number.isInteger(featureId) || featureId < 0 || featureId >= nFeatures) {
      fail(`${where(position)}: feature ${featureId} is outside the model's ${nFeatures} inputs`);
    }
    const [op, trueIsLeft, nanSatisfies] = spec;
    const nanGoesTrue = nanSatisfies || nodes.missingTracksTrue[position] === 1;
    const trueChild = child(position, 'true', nodes.trueIds[position]!);
    const falseChild = child(position, 'false', nodes.falseIds[position]!);
    layout.feature.push(featureId);
    layout.threshold.push(nodes.values[position]!);
    layout.op.push(op);
    layout.nanLeft.push(nanGoesTrue === trueIsLeft ? 1 : 0);
    layout.value.push(0);
    onPath.add(position);
    layout.left[index] = emit(trueIsLeft ? trueChild : falseChild);
    layout.right[index] = emit(trueIsLeft ? falseChild : trueChild);
    onPath.delete(position);
    return index;
  };
  emit(tree.positions[0]!);
  if (reached.size !== tree.positions.length) {
    const cut = tree.positions.filter((position) => !reached.has(position)).map((p) => nodes.nodeIds[p]);
    fail(
      `tree ${tree.id}: nodes ${cut.join(', ')} cannot be reached from its first node, ${nodes.nodeIds[tree.positions[0]!]}`,
    );
  }
}
