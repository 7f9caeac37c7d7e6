/**
 * The ECharts modules the app draws with, registered once: only what the charts use is bundled. The SVG
 * renderer keeps charts sharp on paper and lets the print stylesheet apply.
 */
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([
  BarChart,
  LineChart,
  ScatterChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

/**
 * Okabe–Ito colours, distinguishable with every common colour-vision deficiency; the decal patterns that
 * `chartBase` switches on tell the series apart in black and white too.
 */
export const chartColours = {
  blue: '#0072B2',
  vermillion: '#D55E00',
  green: '#009E73',
  purple: '#CC79A7',
  orange: '#E69F00',
  sky: '#56B4E9',
  ink: '#1b1f24',
  grey: '#6b7785',
} as const;

/** Options every chart starts from: palette, patterns, readable text, no animation (it delays printing). */
export const chartBase = {
  color: [
    chartColours.blue,
    chartColours.vermillion,
    chartColours.green,
    chartColours.purple,
    chartColours.orange,
  ],
  aria: { enabled: true, decal: { show: true } },
  animation: false,
  textStyle: { fontFamily: 'system-ui, sans-serif', fontSize: 13, color: chartColours.ink },
};
