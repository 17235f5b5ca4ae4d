import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'app-stub',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<h1>TrainingDataPage</h1>',
})
export class TrainingDataPage {}
