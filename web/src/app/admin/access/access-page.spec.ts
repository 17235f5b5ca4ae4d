import { HttpTestingController } from '@angular/common/http/testing';
import { createWithBackend, enter, settle, text } from '../../testing/page-testing';
import { AccessPage } from './access-page';

describe('AccessPage', () => {
  let backend: HttpTestingController;

  afterEach(() => backend.verify());

  it('shows the tokens and the audit log, and reads the log again after a token is created', async () => {
    const page = await createWithBackend(AccessPage);
    backend = page.backend;
    const root: HTMLElement = page.fixture.nativeElement;
    backend.expectOne('/api/v1/tokens').flush({ items: [] });
    backend
      .expectOne((r) => r.url === '/api/v1/audit')
      .flush({ items: [], total: 0, limit: 50, offset: 0 });
    await settle();
    expect(text(root.querySelector('h1'))).toBe('Access');
    expect(Array.from(root.querySelectorAll('h2')).map(text)).toEqual(['Tokens', 'Audit log']);

    await enter(root.querySelector('#token-name'), 'e2e-agent');
    root.querySelector<HTMLButtonElement>('form.new-token button[type="submit"]')!.click();
    await settle();
    backend
      .expectOne((r) => r.method === 'POST' && r.url === '/api/v1/tokens')
      .flush(
        { name: 'e2e-agent', token: 'f'.repeat(64), created_at: 2, created_by: 'admin' },
        { status: 201, statusText: 'Created' },
      );
    await settle();
    backend.expectOne((r) => r.method === 'GET' && r.url === '/api/v1/tokens').flush({ items: [] });
    const audit = backend.expectOne((r) => r.url === '/api/v1/audit');
    expect(audit.request.params.get('offset')).toBe('0');
    audit.flush({
      items: [
        { id: 1, at: 2, actor: 'admin', action: 'token.create', target: 'e2e-agent', detail: {} },
      ],
      total: 1,
      limit: 50,
      offset: 0,
    });
    await settle();
    expect(text(root.querySelector('tr[data-audit="1"]'))).toContain('token.create');
  });
});
