import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';
import { SignInPage } from './sign-in-page';

describe('SignInPage', () => {
  let backend: HttpTestingController;

  function create() {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [SignInPage],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SignInPage);
    fixture.componentRef.setInput('returnUrl', '/agent/categories');
    fixture.detectChanges();
    return fixture;
  }

  async function submit(fixture: ReturnType<typeof create>, token: string) {
    await fixture.whenStable();
    const root: HTMLElement = fixture.nativeElement;
    const input = root.querySelector<HTMLInputElement>('#token')!;
    input.value = token;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  }

  afterEach(() => backend.verify());

  it('checks the token with the server, keeps it and goes back where the user was', async () => {
    const fixture = create();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await submit(fixture, ' secret ');
    const req = backend.expectOne('/api/v1/training-jobs');
    expect(req.request.headers.get('Authorization')).toBe('Bearer secret');
    req.flush({ items: [] });
    await fixture.whenStable();
    expect(TestBed.inject(AuthService).token()).toBe('secret');
    expect(navigate).toHaveBeenCalledWith('/agent/categories');
  });

  it('says so when the server refuses the token, and keeps nothing', async () => {
    const fixture = create();
    await submit(fixture, 'wrong');
    backend
      .expectOne('/api/v1/training-jobs')
      .flush(
        { error: { code: 'forbidden', message: 'wrong token' } },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('[role="alert"]')?.textContent).toContain(
      'wrong token',
    );
    expect(TestBed.inject(AuthService).token()).toBeNull();
  });
});
