import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { TrainingJob } from '../../core/api.types';
import { TrainingPanel } from './training-panel';

const job = (over: Partial<TrainingJob> = {}): TrainingJob => ({
  id: 3,
  kind: 'auto',
  status: 'running',
  progress: { percent: 40, epoch: 2, epochs: 5, loss: 0.5 },
  error: null,
  model_version: null,
  created_at: 1,
  finished_at: null,
  ...over,
});

describe('TrainingPanel', () => {
  let backend: HttpTestingController;
  let trained: string[];

  const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

  /** Lets resources take their answers and the view catch up; whenStable would wait for open requests. */
  async function settle() {
    await new Promise((r) => setTimeout(r));
    TestBed.tick();
  }

  /** The next poll, which comes after the polling interval. */
  const nextPoll = (id: number) =>
    vi.waitFor(() => backend.expectOne({ method: 'GET', url: `/api/v1/training-jobs/${id}` }), {
      timeout: 2000,
      interval: 50,
    });

  async function create(jobs: TrainingJob[]) {
    trained = [];
    TestBed.configureTestingModule({
      imports: [TrainingPanel],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(TrainingPanel);
    fixture.componentInstance.trained.subscribe((v) => trained.push(v));
    fixture.detectChanges();
    await settle();
    backend.expectOne('/api/v1/training-jobs').flush({ items: jobs });
    await settle();
    return fixture;
  }

  afterEach(() => {
    TestBed.resetTestingModule();
    backend.verify();
  });

  it('follows a job already running until it succeeds, then hands over the version', async () => {
    const fixture = await create([job({ id: 2, status: 'succeeded' }), job()]);
    const root: HTMLElement = fixture.nativeElement;
    expect(text(root.querySelector('.training label'))).toBe('Training job #3: running');
    expect(root.querySelector('#train-progress')!.getAttribute('value')).toBe('40');
    expect(text(root.querySelector('.progress-text'))).toBe('40% · epoch 2 of 5 · loss 0.500');
    expect(root.querySelector('.train-form')).toBeNull();

    (await nextPoll(3)).flush(job({ progress: { percent: 80, epoch: 4, epochs: 5 } }));
    await settle();
    expect(root.querySelector('#train-progress')!.getAttribute('value')).toBe('80');
    expect(trained).toEqual([]);

    (await nextPoll(3)).flush(
      job({ status: 'succeeded', model_version: 'linear-9', progress: {} }),
    );
    await settle();
    expect(root.querySelector('.training')!.getAttribute('data-status')).toBe('succeeded');
    expect(root.querySelector('#train-progress')!.getAttribute('value')).toBe('100');
    expect(text(root.querySelector('.training .success'))).toMatch(/^Trained linear-9\./);
    expect(trained).toEqual(['linear-9']);
    expect(root.querySelector('.train-form')).not.toBeNull();
  });

  it('starts training with the default kind, and says when a job is cancelled', async () => {
    const fixture = await create([]);
    const root: HTMLElement = fixture.nativeElement;
    expect(root.querySelector('.training')).toBeNull();
    root.querySelector<HTMLButtonElement>('.train-form button[type="submit"]')!.click();
    const post = backend.expectOne({ method: 'POST', url: '/api/v1/models' });
    expect(post.request.body).toEqual({});
    post.flush(job({ id: 4, progress: {} }));
    await settle();
    expect(text(root.querySelector('.training label'))).toBe('Training job #4: running');

    Array.from(root.querySelectorAll('button'))
      .find((b) => text(b) === 'Cancel training')!
      .click();
    backend
      .expectOne({ method: 'POST', url: '/api/v1/training-jobs/4/cancel' })
      .flush(job({ id: 4, status: 'cancelled', progress: {} }));
    await settle();
    expect(text(root.querySelector('[role="status"]'))).toBe('Training job #4 was cancelled.');
    expect(root.querySelector('.training')!.getAttribute('data-status')).toBe('cancelled');
    expect(trained).toEqual([]);
  });

  it('shows a failed start as a readable message', async () => {
    const fixture = await create([]);
    const root: HTMLElement = fixture.nativeElement;
    root.querySelector<HTMLButtonElement>('.train-form button[type="submit"]')!.click();
    backend
      .expectOne({ method: 'POST', url: '/api/v1/models' })
      .flush(
        { error: { code: 'conflict', message: 'a training job is already running' } },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    expect(text(root.querySelector('[role="alert"]'))).toBe('a training job is already running');
  });
});
