import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';
import { NamedToken } from '../../core/api.types';
import { SignedInUser } from '../../core/signed-in-user';
import { dateTime } from '../../shared/format';
import { createWithBackend, enter, refuse, settle, text } from '../../testing/page-testing';
import { TokenList, tokenNameProblem } from './token-list';

const SECRET = 'ab'.repeat(32);

const token = (name: string, over: Partial<NamedToken> = {}): NamedToken => ({
  name,
  created_at: 1733450000000,
  created_by: 'admin',
  revoked_at: null,
  ...over,
});

describe('tokenNameProblem', () => {
  it('takes 1 to 64 letters, digits, dots, underscores and hyphens', () => {
    expect(tokenNameProblem('alice')).toBe('');
    expect(tokenNameProblem('e2e-agent_2.b')).toBe('');
    expect(tokenNameProblem('a'.repeat(64))).toBe('');
    expect(tokenNameProblem('')).toBe('Give the token a name.');
    expect(tokenNameProblem('a'.repeat(65))).toBe('A token name is 64 characters at most.');
    for (const bad of ['two words', 'alice/x', 'émile', 'a:b'])
      expect(tokenNameProblem(bad)).toMatch(/only letters, digits/);
  });
});

describe('TokenList', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<TokenList>;
  let root: HTMLElement;
  let changes: number;

  const isList = (r: { method: string; url: string }) =>
    r.method === 'GET' && r.url === '/api/v1/tokens';
  const button = (label: string) =>
    Array.from(root.querySelectorAll('button')).find((b) => text(b) === label) ?? null;
  const row = (name: string) => root.querySelector(`tr[data-token="${name}"]`);
  const cells = (name: string) => Array.from(row(name)?.querySelectorAll('td') ?? []).map(text);
  const alert = () => text(root.querySelector('[role="alert"]'));

  async function create(items: NamedToken[], options: { user?: string } = {}) {
    const page = await createWithBackend(TokenList, {
      providers: options.user
        ? [{ provide: SignedInUser, useValue: { name: () => options.user } }]
        : [],
    });
    backend = page.backend;
    fixture = page.fixture;
    root = fixture.nativeElement;
    changes = 0;
    fixture.componentInstance.changed.subscribe(() => changes++);
    backend.expectOne(isList).flush({ items });
    await settle();
  }

  async function submit(name: string): Promise<void> {
    await enter(root.querySelector('#token-name'), name);
    root.querySelector<HTMLButtonElement>('form.new-token button[type="submit"]')!.click();
    await settle();
  }

  async function answer(req: TestRequest, body: object | null, status = 200): Promise<void> {
    req.flush(body, { status, statusText: 'OK' });
    await settle();
  }

  afterEach(() => {
    vi.restoreAllMocks();
    backend.verify();
  });

  it('lists the tokens with who created them and whether they are active', async () => {
    const revokedAt = 1733460000000;
    await create([token('alice'), token('bob', { created_by: 'alice', revoked_at: revokedAt })]);
    expect(Array.from(root.querySelectorAll('thead th')).map(text)).toEqual([
      'Name',
      'Created',
      'Created by',
      'Status',
      'Actions',
    ]);
    expect(cells('alice')).toEqual(['alice', dateTime(1733450000000), 'admin', 'active', 'Revoke']);
    expect(cells('bob')).toEqual([
      'bob',
      dateTime(1733450000000),
      'alice',
      `revoked ${dateTime(revokedAt)}`,
      '',
    ]);
    expect(row('bob')!.querySelector('button')).toBeNull();
    expect(row('alice')!.querySelector('button')!.getAttribute('aria-label')).toBe('Revoke alice');
  });

  it('says when there are no named tokens yet', async () => {
    await create([]);
    expect(text(root.querySelector('tbody'))).toBe('No named tokens yet.');
  });

  it('refuses a bad name before asking the server', async () => {
    await create([]);
    await submit('   ');
    expect(alert()).toBe('Give the token a name.');
    await submit('two words');
    expect(alert()).toBe('A token name holds only letters, digits, ".", "_" and "-".');
    expect(root.querySelector('#token-name')!.getAttribute('aria-invalid')).toBe('true');
    await submit('x'.repeat(65));
    expect(alert()).toBe('A token name is 64 characters at most.');
    backend.expectNone('/api/v1/tokens');
    expect(changes).toBe(0);
  });

  it('creates a token and shows its secret once, until it is dismissed', async () => {
    await create([]);
    await submit(' alice ');
    const post = backend.expectOne('/api/v1/tokens');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({ name: 'alice' });
    await answer(
      post,
      { name: 'alice', token: SECRET, created_at: 1733450000000, created_by: 'admin' },
      201,
    );
    // The list is read again, and the page hears of the change (for the audit log).
    backend.expectOne(isList).flush({ items: [token('alice')] });
    await settle();
    expect(changes).toBe(1);
    expect(cells('alice')[3]).toBe('active');

    const box = root.querySelector('[role="region"].secret')!;
    expect(box).not.toBeNull();
    expect(text(box.querySelector('h3'))).toBe('New token for alice');
    expect(text(box)).toContain('Copy it now: it is not shown again.');
    expect(text(box.querySelector('[data-secret]'))).toBe(SECRET);
    // jsdom has no clipboard: no Copy button, a hint instead.
    expect(button('Copy')).toBeNull();
    expect(text(box)).toContain('Select the token and copy it.');
    expect(root.querySelector<HTMLInputElement>('#token-name')!.value).toBe('');
    expect(root.querySelector('[role="alert"]')).toBeNull();

    button('Done')!.click();
    await settle();
    expect(root.querySelector('.secret')).toBeNull();
    expect(root.textContent).not.toContain(SECRET);
  });

  it('copies the secret when the browser has a clipboard', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    try {
      await create([]);
      await submit('alice');
      await answer(
        backend.expectOne('/api/v1/tokens'),
        { name: 'alice', token: SECRET, created_at: 1, created_by: 'admin' },
        201,
      );
      backend.expectOne(isList).flush({ items: [token('alice')] });
      await settle();
      button('Copy')!.click();
      await settle();
      expect(writeText).toHaveBeenCalledWith(SECRET);
      expect(text(root.querySelector('.secret [role="status"]'))).toBe('Copied to the clipboard.');

      writeText.mockRejectedValue(new Error('denied'));
      button('Copy')!.click();
      await settle();
      expect(text(root.querySelector('.secret [role="status"]'))).toBe(
        'Could not copy: select the token and copy it.',
      );
    } finally {
      delete (navigator as unknown as { clipboard?: unknown }).clipboard;
    }
  });

  it("shows the server's refusal of a taken or bad name, and no secret", async () => {
    await create([token('alice')]);
    await submit('alice');
    refuse(backend.expectOne('/api/v1/tokens'), 409, 'conflict', 'a token named alice is active');
    await settle();
    expect(alert()).toBe('a token named alice is active');
    expect(root.querySelector('.secret')).toBeNull();
    expect(changes).toBe(0);

    await submit('bob');
    expect(root.querySelector('[role="alert"]')).toBeNull();
    refuse(backend.expectOne('/api/v1/tokens'), 422, 'bad_value', 'name: not allowed');
    await settle();
    expect(alert()).toBe('name: not allowed');
    expect(root.querySelector('.secret')).toBeNull();
  });

  it('revokes a token only after the user confirms', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await create([token('alice'), token('bob')]);
    row('alice')!.querySelector('button')!.click();
    await settle();
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm.mock.calls[0][0]).toMatch(/^Revoke the token "alice"\?/);
    expect(confirm.mock.calls[0][0]).not.toMatch(/signed in with/);
    backend.expectNone((r) => r.method === 'DELETE');

    confirm.mockReturnValue(true);
    row('alice')!.querySelector('button')!.click();
    await settle();
    const del = backend.expectOne('/api/v1/tokens/alice');
    expect(del.request.method).toBe('DELETE');
    await answer(del, null, 204);
    expect(text(root.querySelector('[role="status"]'))).toBe('Revoked "alice".');
    backend
      .expectOne(isList)
      .flush({ items: [token('alice', { revoked_at: 1733460000000 }), token('bob')] });
    await settle();
    expect(changes).toBe(1);
    expect(cells('alice')[3]).toBe(`revoked ${dateTime(1733460000000)}`);
    expect(row('alice')!.querySelector('button')).toBeNull();
  });

  it('warns before revoking the token the user is signed in with', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await create([token('alice')], { user: 'alice' });
    row('alice')!.querySelector('button')!.click();
    await settle();
    expect(confirm.mock.calls[0][0]).toMatch(
      /the token you are signed in with: you will be signed out/,
    );
  });

  it('shows a failed revocation and reads the list again', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await create([token('a.b')]);
    row('a.b')!.querySelector('button')!.click();
    await settle();
    refuse(backend.expectOne('/api/v1/tokens/a.b'), 404, 'not_found', 'no active token named a.b');
    await settle();
    expect(alert()).toBe('no active token named a.b');
    backend.expectOne(isList).flush({ items: [token('a.b', { revoked_at: 5 })] });
    await settle();
    expect(changes).toBe(0);
  });

  it('shows a failure to load the list', async () => {
    const page = await createWithBackend(TokenList);
    backend = page.backend;
    root = page.fixture.nativeElement;
    backend.expectOne(isList).flush(null, { status: 503, statusText: 'Unavailable' });
    await settle();
    expect(alert()).toBe('The service is not ready yet. Please try again in a moment.');
  });
});
