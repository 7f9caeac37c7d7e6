import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type {
  AgeBand,
  Comparison,
  ComparisonGroup,
  ContractType,
  IncomeBand,
  Lang,
  Segment,
} from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { requestState } from './request.ts';

export type GroupKind = ComparisonGroup['kind'];

export interface SegmentChoice {
  contractType: ContractType | 'any';
  ageBand: AgeBand | 'any';
  incomeBand: IncomeBand | 'any';
}

/** The comparison group's request from the manager's choice; "any" leaves a criterion out. */
export function comparisonGroup(kind: GroupKind, segment: SegmentChoice, k: number): ComparisonGroup {
  if (kind === 'all') return { kind };
  if (kind === 'similar') return { kind, k };
  return {
    kind,
    contractType: segment.contractType === 'any' ? undefined : segment.contractType,
    ageBand: segment.ageBand === 'any' ? undefined : segment.ageBand,
    incomeBand: segment.incomeBand === 'any' ? undefined : segment.incomeBand,
  };
}

/** The open client against all past clients, similar past clients or a segment: aggregates only. */
export const useComparisonStore = defineStore('comparison', () => {
  const kind = ref<GroupKind>('similar');
  const k = ref(50);
  const segment = reactive<SegmentChoice>({ contractType: 'any', ageBand: 'any', incomeBand: 'any' });
  const comparison = requestState<Comparison>();

  /** Starts the segment choice from the client's own segment, the natural first comparison. */
  function presetSegment(own: Segment): void {
    segment.contractType = own.contractType ?? 'any';
    segment.ageBand = own.ageBand ?? 'any';
    segment.incomeBand = own.incomeBand ?? 'any';
  }

  function load(clientId: number, lang: Lang): Promise<unknown> {
    const group = comparisonGroup(kind.value, segment, k.value);
    return comparison.run(() => callApi('compare', { clientId, lang, group }));
  }

  return {
    kind,
    k,
    segment,
    comparison: comparison.data,
    loading: comparison.loading,
    error: comparison.error,
    presetSegment,
    load,
  };
});
