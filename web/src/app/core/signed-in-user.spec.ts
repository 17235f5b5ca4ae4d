import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { settle } from '../testing/page-testing';
import { AuthService } from './auth.service';
import { SignedInUser } from './signed-in-user';

describe('SignedInUser', () => {
  let backend: HttpTestingController;
  let auth: AuthService;
  let user: SignedInUser;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    user = TestBed.inject(SignedInUser);
  });

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('asks nobody while signed out, and asks the server whose token it is once signed in', async () => {
    await settle();
    backend.expectNone('/api/v1/me');
    expect(user.name()).toBe('');

    auth.signIn('secret-1');
    await settle();
    const req = backend.expectOne('/api/v1/me');
    expect(req.request.method).toBe('GET');
    expect(req.request.headers.get('Authorization')).toBe('Bearer secret-1');
    req.flush({ name: 'alice' });
    await settle();
    expect(user.name()).toBe('alice');

    auth.signOut();
    await settle();
    expect(user.name()).toBe('');
  });

  it('names nobody when the server refuses or does not know the route', async () => {
    auth.signIn('old');
    await settle();
    backend
      .expectOne('/api/v1/me')
      .flush({ error: { code: 'unauthorized', message: 'no' } }, { status: 401, statusText: 'No' });
    await settle();
    expect(user.name()).toBe('');
    // Signed in still: a failed /me alone signs nobody out.
    expect(auth.signedIn()).toBe(true);

    auth.signIn('new');
    await settle();
    backend.expectOne('/api/v1/me').flush({ name: 'bob' });
    await settle();
    expect(user.name()).toBe('bob');
  });
});
