import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { RouteName } from './router.ts';

/** Props every page receives: the route's params (e.g. `postId` of `/board/<postId>`). */
export interface PageProps {
  params: Record<string, string>;
}

// Each page is its own lazily loaded chunk: /field must not download deck.gl or MapLibre.
export const pages: Record<Exclude<RouteName, 'notFound'>, LazyExoticComponent<ComponentType<PageProps>>> = {
  map: lazy(() => import('../views/map/MapPage.tsx')),
  board: lazy(() => import('../board/BoardPage.tsx')),
  overview: lazy(() => import('../overview/OverviewPage.tsx')),
  field: lazy(() => import('../field/FieldPage.tsx')),
};
