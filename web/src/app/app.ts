import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from './core/auth.service';
import { SignedInUser } from './core/signed-in-user';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="app-header">
      <a routerLink="/" class="brand">shopdesk</a>
      <button
        type="button"
        class="menu-toggle"
        [attr.aria-expanded]="menuOpen()"
        aria-controls="main-nav"
        (click)="menuOpen.set(!menuOpen())"
      >
        Menu
      </button>
      <nav id="main-nav" aria-label="Main" [class.open]="menuOpen()">
        <a routerLink="/" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: true }"
          >Help chat</a
        >
        <span class="nav-group" aria-hidden="true">Agent</span>
        <a routerLink="/agent/review" routerLinkActive="active">Review queue</a>
        <a routerLink="/agent/interactions" routerLinkActive="active">Interactions</a>
        <a routerLink="/agent/categories" routerLinkActive="active">Categories</a>
        <span class="nav-group" aria-hidden="true">Admin</span>
        <a routerLink="/admin/training-data" routerLinkActive="active">Training data</a>
        <a routerLink="/admin/models" routerLinkActive="active">Models</a>
        <a routerLink="/admin/dashboard" routerLinkActive="active">Dashboard</a>
        <a routerLink="/admin/access" routerLinkActive="active">Access</a>
        @if (auth.signedIn()) {
          @if (user.name(); as name) {
            <span class="signed-in-as"
              >Signed in as <strong>{{ name }}</strong></span
            >
          }
          <button type="button" class="link-button" (click)="signOut()">Sign out</button>
        }
      </nav>
    </header>
    <main id="main" tabindex="-1">
      <router-outlet />
    </main>
  `,
  styles: `
    .signed-in-as {
      margin-left: 0.5rem;
      font-size: 0.9rem;
      opacity: 0.85;
    }
  `,
})
export class App {
  protected readonly auth = inject(AuthService);
  protected readonly user = inject(SignedInUser);
  private readonly router = inject(Router);
  protected readonly menuOpen = signal(false);

  constructor() {
    this.router.events.subscribe((e) => {
      if (e instanceof NavigationEnd) this.menuOpen.set(false);
    });
  }

  protected signOut(): void {
    this.auth.signOut();
    void this.router.navigateByUrl('/');
  }
}
