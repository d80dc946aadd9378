import { BarChart, LineChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';

// A small own hook instead of a wrapper package: init once per element, setOption on change,
// resize with the element, dispose on unmount. Only the chart types used here are registered.
echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DatasetComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export const CHART_FONT = '"Noto Sans SC", system-ui, sans-serif';

/**
 * Canvas text does not wait for web fonts: a chart drawn before the Noto Sans SC chunks covering
 * its labels have loaded paints tofu (the machine has no CJK font). So the glyphs the option
 * needs are loaded first, then the chart is drawn.
 */
export async function loadFontFor(option: ChartOption): Promise<void> {
  const text = [...new Set(JSON.stringify(option).match(/[^ -~\s]/g) ?? [])].join('');
  if (!text || !document.fonts) return;
  try {
    await Promise.all([
      document.fonts.load(`400 12px "Noto Sans SC"`, text),
      document.fonts.load(`700 12px "Noto Sans SC"`, text),
    ]);
  } catch {
    // Draw anyway: a missing glyph is better than no chart.
  }
}

/** Renders `option` into the returned ref's element; `rendered` turns true after the first frame. */
export function useEChart(option: ChartOption | null) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [rendered, setRendered] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!option) return;
    let alive = true;
    void loadFontFor(option).then(() => {
      const c = chart.current;
      if (!alive || !c) return;
      c.setOption({ textStyle: { fontFamily: CHART_FONT }, animation: false, ...option }, true);
      c.on('finished', () => setRendered(true));
      setRendered(true);
    });
    return () => {
      alive = false;
    };
  }, [option]);

  return { ref, rendered };
}
