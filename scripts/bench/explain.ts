/**
 * Client explanation benchmark: `npm run bench:explain -- --db <base.sqlite> [--model models] [--clients 200]`.
 * Opens the explanation engine once (computing the model's explanation reference first if it has none), then
 * times, one client at a time on one thread, the full explanation (features computed from the base, TreeSHAP,
 * family contributions, reasons, warnings) and the counterfactual search for the refused and borderline clients
 * among the first N (the target is 300 ms each). Also checks the tree walk used by the search against
 * onnxruntime on the same clients.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openClientBase } from '../../src-main/data/clientBase.ts';
import { ExplanationEngine } from '../../src-main/explain/explanationEngine.ts';
import { clientFeatures } from '../../src-main/features/client.ts';
import { featureIndex } from '../../src-main/features/recipe.ts';
import { OnnxScorer } from '../../src-main/model/onnxScorer.ts';
import { loadLenderDetails } from '../../src-main/services/lenderDetails.ts';
import { Offers } from '../../src-main/services/offers.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    model: { type: 'string', default: 'models' },
    clients: { type: 'string', default: '200' },
  },
});
if (!args.db) {
  console.error('bench:explain needs --db <client base> (and --model <dir>, default models)');
  process.exit(2);
}
const modelDir = args.model;
const db = openClientBase(args.db, { readonly: true });

let started = performance.now();
const engine = await ExplanationEngine.open(modelDir, { db });
const offers = new Offers(db, loadLenderDetails());
const openMs = performance.now() - started;
const ids = db
  .prepare('SELECT SK_ID_CURR FROM client_features ORDER BY SK_ID_CURR LIMIT ?')
  .pluck()
  .all(Number(args.clients)) as number[];

interface Summary {
  count: number;
  median: number;
  p95: number;
  max: number;
}

function summarise(times: number[]): Summary {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { count: sorted.length, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
}

const show = (label: string, s: Summary) =>
  console.log(
    `${label.padEnd(34)} ${String(s.count).padStart(5)} clients  median ${s.median.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  max ${s.max.toFixed(2)} ms`,
  );

// Warm-up: the first calls compile the code paths.
for (const id of ids.slice(0, 5)) engine.counterfactuals(db, id, 'fr', offers.rateOf(id));

const explainTimes: number[] = [];
const searchTimes: number[] = [];
const statuses = new Map<string, number>();
let options = 0;
for (const id of ids) {
  started = performance.now();
  const explanation = engine.explainClient(db, id, 'fr');
  explainTimes.push(performance.now() - started);
  if (explanation.decision === 'granted' && !explanation.borderline) continue;
  started = performance.now();
  const result = engine.counterfactuals(db, id, 'fr', offers.rateOf(id));
  searchTimes.push(performance.now() - started);
  statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
  options += result.options.length;
}

const scorer = await OnnxScorer.load(modelDir);
let largestGap = 0;
for (const id of ids) {
  const vector = clientFeatures(db, id);
  const onnx = await scorer.scoreOne(scorer.metadata.featureNames.map((name) => vector[featureIndex(name)]!));
  largestGap = Math.max(largestGap, Math.abs(onnx - engine.probabilityOf(vector)));
}
await scorer.release();
db.close();

console.log(
  `Model ${engine.modelVersion} (${engine.model.forest.nTrees} trees, ${engine.features.names.length} inputs, ${engine.reference.method} TreeSHAP); threshold ${engine.threshold}; load average ${loadavg()[0]!.toFixed(1)}`,
);
console.log(`Engine open (model, reference, explainer): ${openMs.toFixed(0)} ms`);
show('explainClient', summarise(explainTimes));
show('counterfactuals (refused, borderline)', summarise(searchTimes));
console.log(
  `  searches: ${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}; ${options} options; target ≤ 300 ms each`,
);
console.log(
  `Tree walk vs onnxruntime: largest probability gap ${largestGap.toExponential(2)} over ${ids.length} clients`,
);
