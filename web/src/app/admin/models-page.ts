import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'app-stub',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<h1>ModelsPage</h1>',
})
export class ModelsPage {}
