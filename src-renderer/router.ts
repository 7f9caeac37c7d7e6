import { createRouter, createWebHashHistory, type RouteLocationNormalizedLoaded } from 'vue-router';
import type { ReviewSection } from '../src-main/api/contract.ts';
import ClientsView from './views/ClientsView.vue';

/** The client number of a client route, parsed once here for every view. */
export function routeClientId(route: RouteLocationNormalizedLoaded): number {
  return Number(route.params.clientId);
}

/** The client file's sections, in the order of the section tabs and of the shortcuts 1 to 6. */
export const clientSections = [
  'client-summary',
  'client-explanation',
  'client-profile',
  'client-comparison',
  'client-what-if',
  'client-decision',
] as const;
export type ClientSection = (typeof clientSections)[number];

/** The section as the decision record names it (contract reviewSectionSchema). */
export function reviewSectionOf(section: ClientSection | 'client-sheet'): ReviewSection {
  return section.slice('client-'.length) as ReviewSection;
}

const clientLayout = () => import('./views/ClientLayout.vue');
const clientSummary = () => import('./views/ClientSummaryView.vue');

/** Loads the client file's code ahead of the first selection, so that opening a client waits only for its data. */
export function prefetchClientFile(): void {
  void Promise.all([clientLayout(), clientSummary()]);
}

// Hash history: Electron loads the page from file://, where a path-style URL would point at another file.
// The client list is loaded with the app (it is the first screen); the rest when first opened.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: { name: 'clients' } },
    { path: '/clients', name: 'clients', component: ClientsView },
    {
      path: '/clients/:clientId(\\d+)',
      component: clientLayout,
      children: [
        { path: '', name: 'client-summary', component: clientSummary },
        {
          path: 'explanation',
          name: 'client-explanation',
          component: () => import('./views/ExplanationView.vue'),
        },
        { path: 'profile', name: 'client-profile', component: () => import('./views/ProfileView.vue') },
        {
          path: 'comparison',
          name: 'client-comparison',
          component: () => import('./views/ComparisonView.vue'),
        },
        { path: 'what-if', name: 'client-what-if', component: () => import('./views/WhatIfView.vue') },
        { path: 'decision', name: 'client-decision', component: () => import('./views/DecisionView.vue') },
      ],
    },
    {
      path: '/clients/:clientId(\\d+)/sheet',
      name: 'client-sheet',
      component: () => import('./views/SheetView.vue'),
      meta: { sheet: true },
    },
    { path: '/model', name: 'model', component: () => import('./views/ModelView.vue') },
    { path: '/:unknown(.*)*', redirect: { name: 'clients' } },
  ],
});
