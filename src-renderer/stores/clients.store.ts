import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type {
  ApiInput,
  ClientStatus,
  ContractType,
  Decision,
  RiskBand,
} from '../../src-main/api/contract.ts';
import { callApi } from '../api/client.ts';
import { requestState } from './request.ts';

export interface ClientFilters {
  status: ClientStatus | 'any';
  decision: Decision | 'any';
  riskBand: RiskBand | 'any';
  contractType: ContractType | 'any';
}

export const pageSize = 25;

/** The search's input from what the manager typed and picked: "any" means no filter. */
export function searchInput(query: string, filters: ClientFilters, page: number): ApiInput<'searchClients'> {
  return {
    query: query.trim(),
    status: filters.status === 'any' ? undefined : [filters.status],
    decision: filters.decision === 'any' ? undefined : filters.decision,
    riskBand: filters.riskBand === 'any' ? undefined : [filters.riskBand],
    contractType: filters.contractType === 'any' ? undefined : filters.contractType,
    pendingFirst: true,
    page,
    pageSize,
  };
}

/** The client search: what was typed, the filters, and the current page of results (pending first). */
export const useClientsStore = defineStore('clients', () => {
  const query = ref('');
  const filters = reactive<ClientFilters>({
    status: 'any',
    decision: 'any',
    riskBand: 'any',
    contractType: 'any',
  });
  const page = ref(1);
  const results = requestState<Awaited<ReturnType<typeof callApi<'searchClients'>>>>();

  function search(): Promise<unknown> {
    const input = searchInput(query.value, filters, page.value);
    return results.run(() => callApi('searchClients', input));
  }

  return {
    query,
    filters,
    page,
    results: results.data,
    loading: results.loading,
    error: results.error,
    search,
  };
});
