import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';
import { ApiService } from '../core/api.service';
import { FeedbackInput } from '../core/api.types';
import { FeedbackForm } from './feedback-form';

describe('FeedbackForm', () => {
  let calls: { id: number; body: FeedbackInput; reply: Subject<void> }[];

  function create(sent = false) {
    calls = [];
    const api = {
      sendFeedback: (id: number, body: FeedbackInput) => {
        const reply = new Subject<void>();
        calls.push({ id, body, reply });
        return reply;
      },
    };
    TestBed.configureTestingModule({
      imports: [FeedbackForm],
      providers: [{ provide: ApiService, useValue: api }],
    });
    const fixture = TestBed.createComponent(FeedbackForm);
    fixture.componentRef.setInput('interactionId', 42);
    fixture.componentRef.setInput('token', 'tok');
    fixture.componentRef.setInput('suggested', 'order_status');
    fixture.componentRef.setInput('categories', ['order_status', 'payment_billing']);
    if (sent) fixture.componentRef.setInput('sent', true);
    fixture.detectChanges();
    return fixture;
  }

  it('shows the thank-you alone when the feedback was given before (a reload)', () => {
    const fixture = create(true);
    expect(fixture.nativeElement.textContent).toContain('Thank you for your feedback');
    expect(fixture.nativeElement.querySelector('form')).toBeNull();
    fixture.componentInstance.helpful.set(true);
    fixture.componentInstance.submit();
    expect(calls.length).toBe(0);
  });

  it('tells the page once the feedback is stored', async () => {
    const fixture = create();
    const told: boolean[] = [];
    fixture.componentInstance.sent.subscribe((v) => told.push(v));
    fixture.componentInstance.helpful.set(true);
    fixture.componentInstance.submit();
    expect(told).toEqual([]);
    calls[0].reply.next();
    calls[0].reply.complete();
    expect(told).toEqual([true]);
  });

  it('cannot be sent before helpful is chosen', () => {
    const fixture = create();
    fixture.componentInstance.submit();
    expect(calls.length).toBe(0);
    expect(fixture.componentInstance.canSend()).toBe(false);
  });

  it('offers Yes and No as one radio group, each setting helpful', () => {
    const fixture = create();
    const root: HTMLElement = fixture.nativeElement;
    const radios = Array.from(root.querySelectorAll<HTMLInputElement>('input[type="radio"]'));
    expect(radios.map((r) => [r.name, r.value, r.parentElement?.textContent?.trim()])).toEqual([
      ['fb-42-helpful', 'yes', 'Yes'],
      ['fb-42-helpful', 'no', 'No'],
    ]);
    radios[1].click();
    expect(fixture.componentInstance.helpful()).toBe(false);
    radios[0].click();
    expect(fixture.componentInstance.helpful()).toBe(true);
  });

  it('sends once, then thanks and shows no form', async () => {
    const fixture = create();
    const form = fixture.componentInstance;
    form.helpful.set(false);
    form.category.set('payment_billing');
    form.comment.set('  it was about a refund  ');
    form.submit();
    form.submit(); // a double click while sending
    expect(calls.length).toBe(1);
    expect(calls[0].id).toBe(42);
    expect(calls[0].body).toEqual({
      token: 'tok',
      helpful: false,
      category: 'payment_billing',
      comment: 'it was about a refund',
    });

    calls[0].reply.next();
    calls[0].reply.complete();
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.textContent).toContain('Thank you for your feedback');
    expect(el.querySelector('form')).toBeNull();
    form.submit();
    expect(calls.length).toBe(1);
  });

  it('leaves out an unchosen category and an empty comment', () => {
    const fixture = create();
    fixture.componentInstance.helpful.set(true);
    fixture.componentInstance.submit();
    expect(calls[0].body).toEqual({ token: 'tok', helpful: true });
  });

  it('treats "already given" (409) as sent', async () => {
    const fixture = create();
    fixture.componentInstance.helpful.set(true);
    fixture.componentInstance.submit();
    calls[0].reply.error(
      new HttpErrorResponse({
        status: 409,
        error: {
          error: { code: 'conflict', message: 'feedback for interaction 42 was already given' },
        },
      }),
    );
    await fixture.whenStable();
    expect(fixture.componentInstance.state()).toBe('sent');
    expect(fixture.nativeElement.textContent).toContain('already have your feedback');
  });

  it('shows other errors and allows another try', async () => {
    const fixture = create();
    fixture.componentInstance.helpful.set(true);
    fixture.componentInstance.submit();
    calls[0].reply.error(new HttpErrorResponse({ status: 0 }));
    await fixture.whenStable();
    expect(fixture.componentInstance.state()).toBe('open');
    expect(fixture.nativeElement.querySelector('[role="alert"]').textContent).toContain(
      'could not be reached',
    );
    fixture.componentInstance.submit();
    expect(calls.length).toBe(2);
  });
});
