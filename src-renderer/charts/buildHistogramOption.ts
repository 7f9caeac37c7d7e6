import type { EChartsCoreOption } from 'echarts/core';
import { chartBase, chartColours } from './echarts.ts';

export interface HistogramBin {
  from: number;
  to: number;
  /** Counts per outcome in this bin. */
  repaid: number;
  defaulted: number;
}

export interface HistogramInput {
  bins: readonly HistogramBin[];
  /** The client's value, or null when it is missing (no marker then). */
  clientValue: number | null;
  clientLabel: string;
  repaidLabel: string;
  defaultedLabel: string;
  formatValue: (value: number) => string;
}

/** Each outcome's share per bin: defaults are rare, so raw counts would flatten their distribution to nothing. */
export function sharesByOutcome(bins: readonly HistogramBin[]): { repaid: number[]; defaulted: number[] } {
  const totalRepaid = bins.reduce((sum, bin) => sum + bin.repaid, 0);
  const totalDefaulted = bins.reduce((sum, bin) => sum + bin.defaulted, 0);
  return {
    repaid: bins.map((bin) => (totalRepaid === 0 ? 0 : bin.repaid / totalRepaid)),
    defaulted: bins.map((bin) => (totalDefaulted === 0 ? 0 : bin.defaulted / totalDefaulted)),
  };
}

/** The bin holding a value: bins are [from, to) except the last, which includes its upper edge. */
export function binIndexOf(bins: readonly HistogramBin[], value: number): number {
  const index = bins.findIndex(
    (bin, i) => value >= bin.from && (value < bin.to || (i === bins.length - 1 && value <= bin.to)),
  );
  if (index >= 0) return index;
  const first = bins[0];
  return first !== undefined && value < first.from ? 0 : bins.length - 1;
}

/** Side-by-side histograms of a feature for repaid and defaulted clients, with the client's bin marked. */
export function buildHistogramOption(input: HistogramInput): EChartsCoreOption {
  const shares = sharesByOutcome(input.bins);
  const categories = input.bins.map((bin) => `${input.formatValue(bin.from)} – ${input.formatValue(bin.to)}`);
  const clientBin = input.clientValue === null ? null : categories[binIndexOf(input.bins, input.clientValue)];
  return {
    ...chartBase,
    grid: { left: 8, right: 44, top: 56, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${Math.round(value * 100)} %` },
    xAxis: { type: 'category', data: categories, axisLabel: { rotate: 30, fontSize: 11 } },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => `${Math.round(value * 100)} %` } },
    series: [
      {
        name: input.repaidLabel,
        type: 'bar',
        itemStyle: { color: chartColours.blue },
        data: shares.repaid,
        markLine:
          clientBin === undefined || clientBin === null
            ? undefined
            : {
                symbol: ['none', 'triangle'],
                lineStyle: { color: chartColours.ink, width: 3, type: 'solid' },
                label: { formatter: input.clientLabel, fontWeight: 700, color: chartColours.ink },
                data: [{ xAxis: clientBin }],
              },
      },
      {
        name: input.defaultedLabel,
        type: 'bar',
        itemStyle: { color: chartColours.vermillion },
        data: shares.defaulted,
      },
    ],
  };
}
