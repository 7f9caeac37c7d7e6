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

const NOT_LEAF = 'LEAF';
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

  const total = nodes.treeIds.length;
  const forest: Forest = {
    nTrees: trees.length,
    nFeatures,
    treeStart: new Int32Array(trees.length + 1),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    op: new Uint8Array(total),
    nanLeft: new Uint8Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
    cover: nodes.hitrates.length > 0 ? new Float64Array(total) : null,
  };
  let next = 0;
  trees.forEach((tree, t) => {
    forest.treeStart[t] = next;
    next = layOutTree(forest, tree, nodes, leafValue, next, fail);
  });
  forest.treeStart[trees.length] = next;
  return forest;
}

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
    if (nodes.modes[position] !== NOT_LEAF) {
      fail(`tree ${treeId} node ${nodeId} carries a leaf weight but is a ${nodes.modes[position]} node`);
    }
    values.set(position, (values.get(position) ?? 0) + weight * scale);
  });
  return values;
}

/** Checks that a tree's nodes form one tree and writes it in preorder from `start`; returns the next free index. */
function layOutTree(
  forest: Forest,
  tree: TreeIndex,
  nodes: EnsembleNodes,
  leafValue: Map<number, number>,
  start: number,
  fail: (problem: string) => never,
): number {
  const where = (position: number) => `tree ${tree.id} node ${nodes.nodeIds[position]}`;
  const parents = new Map<number, number>();
  const children = new Map<number, [number, number]>();
  for (const position of tree.positions) {
    const mode = nodes.modes[position]!;
    if (mode === NOT_LEAF) continue;
    const spec = MODES[mode];
    if (!spec) fail(`${where(position)}: branch mode ${mode} is not supported`);
    const pair: number[] = [];
    for (const [label, childId] of [
      ['true', nodes.trueIds[position]!],
      ['false', nodes.falseIds[position]!],
    ] as const) {
      const child = tree.byNodeId.get(childId);
      if (child === undefined)
        fail(`${where(position)}: its ${label} child, node ${childId}, does not exist`);
      if (parents.has(child)) {
        fail(
          `tree ${tree.id}: node ${childId} has two parents (nodes ${nodes.nodeIds[parents.get(child)!]} and ${nodes.nodeIds[position]}), so it is not a tree`,
        );
      }
      parents.set(child, position);
      pair.push(child);
    }
    children.set(position, [pair[0]!, pair[1]!]);
  }
  const roots = tree.positions.filter((position) => !parents.has(position));
  if (roots.length === 0) fail(`tree ${tree.id}: every node has a parent, the nodes form a cycle`);
  if (roots.length > 1) {
    const ids = roots.map((position) => nodes.nodeIds[position]);
    fail(
      `tree ${tree.id} has several roots (nodes ${ids.join(', ')}): some nodes are detached from the tree`,
    );
  }

  let next = start;
  const stack: [position: number, slot: number][] = [[roots[0]!, -1]];
  const placed = new Map<number, number>();
  while (stack.length > 0) {
    const [position, parentSlot] = stack.pop()!;
    const index = next++;
    placed.set(position, index);
    if (parentSlot >= 0) {
      // The parent's left child is pushed last and so laid out right after it; its right child comes later.
      if (forest.left[parentSlot] === -1) forest.left[parentSlot] = index;
      else forest.right[parentSlot] = index;
    }
    if (forest.cover) forest.cover[index] = nodes.hitrates[position]!;
    const pair = children.get(position);
    if (!pair) {
      forest.feature[index] = -1;
      forest.left[index] = -1;
      forest.right[index] = -1;
      forest.value[index] = leafValue.get(position) ?? 0;
      continue;
    }
    const featureId = nodes.featureIds[position]!;
    if (!Number.isInteger(featureId) || featureId < 0 || featureId >= forest.nFeatures) {
      fail(`${where(position)}: feature ${featureId} is outside the model's ${forest.nFeatures} inputs`);
    }
    const [op, trueIsLeft, nanSatisfies] = MODES[nodes.modes[position]!]!;
    const nanGoesTrue = nanSatisfies || nodes.missingTracksTrue[position] === 1;
    forest.feature[index] = featureId;
    forest.threshold[index] = nodes.values[position]!;
    forest.op[index] = op;
    forest.nanLeft[index] = nanGoesTrue === trueIsLeft ? 1 : 0;
    forest.left[index] = -1;
    const [trueChild, falseChild] = pair;
    const [leftChild, rightChild] = trueIsLeft ? [trueChild, falseChild] : [falseChild, trueChild];
    stack.push([rightChild, index], [leftChild, index]);
  }
  if (placed.size !== tree.positions.length) {
    // Every node has one parent and the root none, so nodes the root does not reach hang from a cycle.
    const cut = tree.positions.filter((position) => !placed.has(position)).map((p) => nodes.nodeIds[p]);
    fail(`tree ${tree.id}: nodes ${cut.join(', ')} form a cycle, cut off from the root`);
  }
  return next;
}
