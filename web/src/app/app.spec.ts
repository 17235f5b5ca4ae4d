import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { App } from './app';
import { AuthService } from './core/auth.service';
import { settle, text } from './testing/page-testing';

describe('App header', () => {
  let backend: HttpTestingController;

  async function create(token: string | null) {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    backend = TestBed.inject(HttpTestingController);
    if (token) TestBed.inject(AuthService).signIn(token);
    const fixture = TestBed.createComponent(App);
    fixture.detectChanges();
    await settle();
    return fixture.nativeElement as HTMLElement;
  }

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('links the Access page next to the other admin pages', async () => {
    const root = await create(null);
    const links = Array.from(root.querySelectorAll('nav a')).map((a) => [
      text(a),
      a.getAttribute('href'),
    ]);
    expect(links.slice(-4)).toEqual([
      ['Training data', '/admin/training-data'],
      ['Models', '/admin/models'],
      ['Dashboard', '/admin/dashboard'],
      ['Access', '/admin/access'],
    ]);
  });

  it('names nobody and asks nothing while signed out', async () => {
    const root = await create(null);
    backend.expectNone('/api/v1/me');
    expect(root.querySelector('.signed-in-as')).toBeNull();
    expect(text(root.querySelector('nav'))).not.toContain('Sign out');
  });

  it('says whose token is signed in, and nothing when the server does not say', async () => {
    const root = await create('tok');
    backend.expectOne('/api/v1/me').flush({ name: 'alice' });
    await settle();
    expect(text(root.querySelector('.signed-in-as'))).toBe('Signed in as alice');

    TestBed.resetTestingModule();
    const failed = await create('tok');
    backend.expectOne('/api/v1/me').flush(null, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(failed.querySelector('.signed-in-as')).toBeNull();
    expect(text(failed.querySelector('nav'))).toContain('Sign out');
  });
});
