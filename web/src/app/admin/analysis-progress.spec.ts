import { TestBed } from '@angular/core/testing';
import { analysisJob, text } from '../testing/page-testing';
import { AnalysisProgress, analysisPercent, stageText } from './analysis-progress';

describe('stageText and analysisPercent', () => {
  it('says what each stage does, and something plain for a stage it does not know', () => {
    expect(stageText('reading')).toBe('Reading questions…');
    expect(stageText('grouping')).toBe('Grouping questions…');
    expect(stageText('replaying')).toBe('Replaying recent questions…');
    expect(stageText('done')).toBe('Finishing…');
    expect(stageText('indexing')).toBe('Working…');
    expect(stageText(undefined)).toBe('Working…');
  });

  it('rounds the percentage into 0–100', () => {
    const at = (percent: number) => analysisJob({ progress: { percent, stage: 'grouping' } });
    expect(analysisPercent(at(39.6))).toBe(40);
    expect(analysisPercent(at(-3))).toBe(0);
    expect(analysisPercent(at(140))).toBe(100);
    expect(analysisPercent(at(NaN))).toBe(0);
  });
});

describe('AnalysisProgress', () => {
  it('shows the stage and the percentage beside a progress bar', () => {
    const fixture = TestBed.createComponent(AnalysisProgress);
    fixture.componentRef.setInput(
      'job',
      analysisJob({ progress: { percent: 65, stage: 'replaying' } }),
    );
    fixture.detectChanges();
    const root: HTMLElement = fixture.nativeElement;
    const bar = root.querySelector('progress')!;
    expect(bar.getAttribute('max')).toBe('100');
    expect(bar.getAttribute('value')).toBe('65');
    expect(bar.getAttribute('aria-label')).toBe('Replaying recent questions…');
    expect(text(root.querySelector('.progress-text'))).toBe('Replaying recent questions… 65%');
    expect(root.querySelector('.analysis')!.getAttribute('data-stage')).toBe('replaying');
  });
});
