import { createRouter, createWebHashHistory } from 'vue-router';
import HomeView from './views/HomeView.vue';

// Hash history: Electron loads the page from file://, where a path-style URL would point at another file.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'home', component: HomeView },
    { path: '/:unknown(.*)*', redirect: '/' },
  ],
});
