import { Route, Routes } from '@angular/router';
import { authGuard } from './core/auth.guard';
import { ChatPage } from './chat/chat-page';

/** A page loaded when first visited; its browser title is `title · shopdesk`. */
function page(path: string, title: string, loadComponent: Route['loadComponent']): Route {
  return { path, loadComponent, title: `${title} · shopdesk` };
}

/** Pages behind the admin token, below `path`; `path` itself opens the page at `start`. */
function signedIn(path: string, start: string, pages: Route[]): Route {
  return {
    path,
    canActivate: [authGuard],
    children: [{ path: '', pathMatch: 'full', redirectTo: start }, ...pages],
  };
}

export const routes: Routes = [
  { path: '', component: ChatPage, title: 'Help · shopdesk' },
  page('sign-in', 'Sign in', () => import('./core/sign-in-page').then((m) => m.SignInPage)),
  signedIn('agent', 'review', [
    page('review', 'Review queue', () => import('./agent/review-page').then((m) => m.ReviewPage)),
    page('interactions', 'Interactions', () =>
      import('./agent/interactions-page').then((m) => m.InteractionsPage),
    ),
    page('categories', 'Categories', () =>
      import('./agent/categories-page').then((m) => m.CategoriesPage),
    ),
  ]),
  signedIn('admin', 'models', [
    page('training-data', 'Training data', () =>
      import('./admin/training-data-page').then((m) => m.TrainingDataPage),
    ),
    page('models', 'Models', () => import('./admin/models/models-page').then((m) => m.ModelsPage)),
    page('dashboard', 'Dashboard', () =>
      import('./admin/dashboard-page').then((m) => m.DashboardPage),
    ),
    page('access', 'Access', () => import('./admin/access/access-page').then((m) => m.AccessPage)),
  ]),
  page('**', 'Not found', () => import('./core/not-found-page').then((m) => m.NotFoundPage)),
];
