import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor, isCustomerRoute } from './auth.interceptor';
import { AuthService } from './auth.service';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let auth: AuthService;
  let router: Router;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    router = TestBed.inject(Router);
  });

  afterEach(() => backend.verify());

  it('adds the bearer token to agent and admin routes', () => {
    auth.signIn('  secret  ');
    http.get('/api/v1/review').subscribe();
    expect(backend.expectOne('/api/v1/review').request.headers.get('Authorization')).toBe(
      'Bearer secret',
    );
    expect(sessionStorage.getItem('shopdesk.adminToken')).toBe('secret');
  });

  it('sends no token on customer routes', () => {
    auth.signIn('secret');
    http.post('/api/v1/answers', { query: 'hi' }).subscribe();
    http.post('/api/v1/interactions/7/feedback', {}).subscribe();
    http.get('/api/v1/categories').subscribe();
    for (const url of [
      '/api/v1/answers',
      '/api/v1/interactions/7/feedback',
      '/api/v1/categories',
    ]) {
      expect(backend.expectOne(url).request.headers.has('Authorization')).toBe(false);
    }
  });

  it('forgets a refused token and sends the user to sign in', async () => {
    auth.signIn('stale');
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    let failed = 0;
    http.get('/api/v1/models').subscribe({ error: () => failed++ });
    backend.expectOne('/api/v1/models').flush(
      { error: { code: 'forbidden', message: 'the admin token is wrong' } },
      {
        status: 403,
        statusText: 'Forbidden',
      },
    );
    expect(failed).toBe(1);
    expect(auth.signedIn()).toBe(false);
    expect(sessionStorage.getItem('shopdesk.adminToken')).toBeNull();
    expect(navigate).toHaveBeenCalledWith(
      ['/sign-in'],
      expect.objectContaining({ queryParams: expect.objectContaining({ reason: 'expired' }) }),
    );
  });

  it('signs out a revoked named token (401) and comes back to the page afterwards', async () => {
    auth.signIn('revoked');
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    vi.spyOn(router, 'url', 'get').mockReturnValue('/admin/access');
    let failed = 0;
    http.get('/api/v1/tokens').subscribe({ error: () => failed++ });
    backend.expectOne('/api/v1/tokens').flush(
      { error: { code: 'unauthorized', message: 'the token was revoked' } },
      {
        status: 401,
        statusText: 'Unauthorized',
      },
    );
    expect(failed).toBe(1);
    expect(auth.signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/sign-in'], {
      queryParams: { returnUrl: '/admin/access', reason: 'expired' },
    });
  });

  it('leaves other errors alone', () => {
    auth.signIn('secret');
    http.get('/api/v1/models').subscribe({ error: () => undefined });
    backend
      .expectOne('/api/v1/models')
      .flush(
        { error: { code: 'not_found', message: 'no' } },
        { status: 404, statusText: 'Not Found' },
      );
    expect(auth.signedIn()).toBe(true);
  });
});

describe('isCustomerRoute', () => {
  it('tells customer routes from the rest', () => {
    expect(isCustomerRoute('POST', '/api/v1/answers')).toBe(true);
    expect(isCustomerRoute('GET', '/api/v1/categories')).toBe(true);
    expect(isCustomerRoute('PUT', '/api/v1/categories/x')).toBe(false);
    expect(isCustomerRoute('GET', '/api/v1/interactions?limit=5')).toBe(false);
    expect(isCustomerRoute('POST', 'http://localhost:8080/api/v1/interactions/12/feedback')).toBe(
      true,
    );
  });
});
