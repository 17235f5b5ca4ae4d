import { Routes } from '@angular/router';
import { authGuard } from './core/auth.guard';
import { ChatPage } from './chat/chat-page';

export const routes: Routes = [
  { path: '', component: ChatPage, title: 'Help · shopdesk' },
  {
    path: 'sign-in',
    loadComponent: () => import('./core/sign-in-page').then((m) => m.SignInPage),
    title: 'Sign in · shopdesk',
  },
  {
    path: 'agent',
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'review' },
      {
        path: 'review',
        loadComponent: () => import('./agent/review-page').then((m) => m.ReviewPage),
        title: 'Review queue · shopdesk',
      },
      {
        path: 'interactions',
        loadComponent: () => import('./agent/interactions-page').then((m) => m.InteractionsPage),
        title: 'Interactions · shopdesk',
      },
      {
        path: 'categories',
        loadComponent: () => import('./agent/categories-page').then((m) => m.CategoriesPage),
        title: 'Categories · shopdesk',
      },
    ],
  },
  {
    path: 'admin',
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'models' },
      {
        path: 'training-data',
        loadComponent: () => import('./admin/training-data-page').then((m) => m.TrainingDataPage),
        title: 'Training data · shopdesk',
      },
      {
        path: 'models',
        loadComponent: () => import('./admin/models/models-page').then((m) => m.ModelsPage),
        title: 'Models · shopdesk',
      },
      {
        path: 'dashboard',
        loadComponent: () => import('./admin/dashboard-page').then((m) => m.DashboardPage),
        title: 'Dashboard · shopdesk',
      },
    ],
  },
  {
    path: '**',
    loadComponent: () => import('./core/not-found-page').then((m) => m.NotFoundPage),
    title: 'Not found · shopdesk',
  },
];
