import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'app-stub',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<h1>DashboardPage</h1>',
})
export class DashboardPage {}
