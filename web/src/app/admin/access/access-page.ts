import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { AuditLog } from './audit-log';
import { TokenList } from './token-list';

/** Who may use the admin pages (named tokens) and what they did with them (the audit log). */
@Component({
  selector: 'app-access-page',
  imports: [AuditLog, TokenList],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Access</h1>
    <app-token-list (changed)="revision.set(revision() + 1)" />
    <app-audit-log [revision]="revision()" />
  `,
})
export class AccessPage {
  /** How many tokens this page created or revoked: the audit log reloads on each. */
  protected readonly revision = signal(0);
}
