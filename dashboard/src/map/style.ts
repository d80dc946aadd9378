import type {
  ExpressionSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { CAMERA_COLORS, COMMUNITY_COLOR, POST_COLOR, STATUS_COLORS } from './colors.ts';
import { type FaceFile, fontFacesSpec, MAP_FONT } from './font-faces.ts';

/** Vector-tile layers of the API the style draws (source id = layer name = MVT layer name). */
export const TILE_SOURCES = [
  'basemap',
  'communities',
  'grids',
  'river-segments',
  'police-posts',
  'cameras',
  'camera-views',
  'checkins',
] as const;
export type TileSource = (typeof TILE_SOURCES)[number];

/** Map layers grouped for the legend's visibility toggles (each group is a small unit). */
export const LAYER_GROUPS = {
  communities: ['communities-fill', 'communities-line', 'communities-label'],
  grids: ['grids-fill', 'grids-line', 'grids-label'],
  rivers: ['river-segments-line', 'river-segments-label'],
  posts: ['police-posts-circle', 'police-posts-label'],
  cameras: ['camera-views-fill', 'cameras-circle'],
  checkins: ['checkins-hex', 'checkins-point'],
} as const;
export type LayerGroup = keyof typeof LAYER_GROUPS;

export interface StyleOptions {
  /** Origin of the API, e.g. `location.origin` (tile URLs must be absolute). */
  origin: string;
  /** The bundled font's files (see `faceFilesFromDocument`). */
  faces: FaceFile[];
  /** Group ids switched off. */
  hidden?: Partial<Record<LayerGroup, boolean>>;
}

const text = (field: string): ExpressionSpecification => ['coalesce', ['get', field], ''];
const statusColor = (field = 'status'): ExpressionSpecification =>
  [
    'match',
    ['get', field],
    ...Object.entries(STATUS_COLORS).flat(),
    STATUS_COLORS.no_rule!,
  ] as unknown as ExpressionSpecification;

/**
 * The offline operations-map style: every source is one of Wardmap's own vector-tile layers, labels
 * come from the bundled Noto Sans SC through `font-faces` (no `glyphs` URL, no tile or glyph server
 * outside Wardmap). Pure: the same inputs give the same style (unit-tested).
 */
export function buildStyle(o: StyleOptions): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  for (const name of TILE_SOURCES) {
    sources[name] = {
      type: 'vector',
      tiles: [`${o.origin}/api/tiles/${name}/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      // Check-ins become single points from zoom 17; everything else is complete by 16.
      maxzoom: name === 'checkins' ? 17 : 16,
      promoteId: 'id',
    };
  }
  const vis = (group: LayerGroup) => ({ visibility: o.hidden?.[group] ? 'none' : 'visible' }) as const;
  const font = [MAP_FONT];
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': '#eef1ea' } },
    {
      id: 'basemap-lake',
      type: 'fill',
      source: 'basemap',
      'source-layer': 'basemap',
      filter: ['==', ['get', 'kind'], 'lake'],
      paint: { 'fill-color': '#a9cbe8' },
    },
    {
      id: 'basemap-river',
      type: 'line',
      source: 'basemap',
      'source-layer': 'basemap',
      filter: ['==', ['get', 'kind'], 'river'],
      paint: { 'line-color': '#8fbde3', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 4] },
    },
    {
      id: 'basemap-road',
      type: 'line',
      source: 'basemap',
      'source-layer': 'basemap',
      filter: ['==', ['get', 'kind'], 'road'],
      paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 6] },
    },
    {
      id: 'basemap-building',
      type: 'fill',
      source: 'basemap',
      'source-layer': 'basemap',
      filter: ['==', ['get', 'kind'], 'building'],
      minzoom: 14,
      paint: { 'fill-color': '#d8d3cb', 'fill-outline-color': '#bdb6ab' },
    },
    {
      id: 'communities-fill',
      type: 'fill',
      source: 'communities',
      'source-layer': 'communities',
      layout: vis('communities'),
      paint: {
        'fill-color': ['case', ['>', ['coalesce', ['get', 'openIncidents'], 0], 0], '#f3c1bd', '#e3e7ef'],
        'fill-opacity': 0.45,
      },
    },
    {
      id: 'grids-fill',
      type: 'fill',
      source: 'grids',
      'source-layer': 'grids',
      layout: vis('grids'),
      paint: { 'fill-color': statusColor(), 'fill-opacity': 0.18 },
    },
    {
      id: 'grids-line',
      type: 'line',
      source: 'grids',
      'source-layer': 'grids',
      layout: vis('grids'),
      paint: { 'line-color': statusColor(), 'line-width': 1, 'line-opacity': 0.7 },
    },
    {
      id: 'communities-line',
      type: 'line',
      source: 'communities',
      'source-layer': 'communities',
      layout: vis('communities'),
      paint: { 'line-color': COMMUNITY_COLOR, 'line-width': 2, 'line-dasharray': [3, 2] },
    },
    {
      id: 'river-segments-line',
      type: 'line',
      source: 'river-segments',
      'source-layer': 'river-segments',
      layout: { ...vis('rivers'), 'line-cap': 'round' },
      paint: {
        'line-color': statusColor(),
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2, 16, 6],
      },
    },
    {
      id: 'camera-views-fill',
      type: 'fill',
      source: 'camera-views',
      'source-layer': 'camera-views',
      minzoom: 13,
      layout: vis('cameras'),
      paint: {
        'fill-color': ['case', ['get', 'online'], CAMERA_COLORS.online, CAMERA_COLORS.offline],
        'fill-opacity': 0.18,
      },
    },
    {
      id: 'checkins-hex',
      type: 'fill',
      source: 'checkins',
      'source-layer': 'checkins',
      filter: ['==', ['geometry-type'], 'Polygon'],
      layout: vis('checkins'),
      paint: {
        'fill-color': [
          'interpolate',
          ['linear'],
          ['coalesce', ['get', 'count'], 0],
          1,
          '#fde7c7',
          20,
          '#f59e0b',
          200,
          '#b45309',
        ],
        'fill-opacity': 0.5,
      },
    },
    {
      id: 'checkins-point',
      type: 'circle',
      source: 'checkins',
      'source-layer': 'checkins',
      filter: ['==', ['geometry-type'], 'Point'],
      layout: vis('checkins'),
      paint: { 'circle-radius': 2.5, 'circle-color': '#b45309', 'circle-opacity': 0.7 },
    },
    {
      id: 'cameras-circle',
      type: 'circle',
      source: 'cameras',
      'source-layer': 'cameras',
      layout: vis('cameras'),
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2.5, 16, 6],
        'circle-color': ['case', ['get', 'online'], CAMERA_COLORS.online, CAMERA_COLORS.offline],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    },
    {
      id: 'police-posts-circle',
      type: 'circle',
      source: 'police-posts',
      'source-layer': 'police-posts',
      layout: vis('posts'),
      paint: {
        'circle-radius': 7,
        'circle-color': POST_COLOR,
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'basemap-village-label',
      type: 'symbol',
      source: 'basemap',
      'source-layer': 'basemap',
      filter: ['==', ['get', 'kind'], 'village'],
      layout: { 'text-field': text('name'), 'text-font': font, 'text-size': 12 },
      paint: { 'text-color': '#5b6470', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
    },
    {
      id: 'river-segments-label',
      type: 'symbol',
      source: 'river-segments',
      'source-layer': 'river-segments',
      minzoom: 12,
      layout: {
        ...vis('rivers'),
        'symbol-placement': 'line',
        'text-field': text('chiefName'),
        'text-font': font,
        'text-size': 12,
      },
      paint: { 'text-color': '#1e3a5f', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    {
      id: 'grids-label',
      type: 'symbol',
      source: 'grids',
      'source-layer': 'grids',
      minzoom: 14,
      layout: { ...vis('grids'), 'text-field': text('name'), 'text-font': font, 'text-size': 11 },
      paint: { 'text-color': '#374151', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
    },
    {
      id: 'police-posts-label',
      type: 'symbol',
      source: 'police-posts',
      'source-layer': 'police-posts',
      minzoom: 13,
      layout: {
        ...vis('posts'),
        'text-field': text('name'),
        'text-font': font,
        'text-size': 12,
        'text-offset': [0, 1.2],
        'text-anchor': 'top',
      },
      paint: { 'text-color': POST_COLOR, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    {
      id: 'communities-label',
      type: 'symbol',
      source: 'communities',
      'source-layer': 'communities',
      layout: {
        ...vis('communities'),
        'text-field': text('name'),
        'text-font': font,
        'text-size': ['interpolate', ['linear'], ['zoom'], 11, 13, 15, 18],
      },
      paint: { 'text-color': '#111827', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
  ];
  return {
    version: 8,
    name: 'Wardmap offline',
    sources,
    layers,
    'font-faces': fontFacesSpec(o.faces),
  };
}
